/** Coding of the distal outcome column (numeric, categorical levels, binary). */
import type { LcaDistalValue, LcaDistalLevel, LcaDistalOptions } from './types';

/** Type-qualified key of an outcome level, so 1 and '1' are different levels. */
export function levelKey(v: LcaDistalLevel): string {
  return `${typeof v}:${String(v)}`;
}

/** Validate and code the outcome; missing → NaN. Categorical/binary codes are 0..C−1. */
export function codeOutcome(options: LcaDistalOptions, n: number): { y: Float64Array; levels: LcaDistalLevel[] | null } {
  const out = options.outcome;
  if (out == null || typeof (out as { length?: unknown }).length !== 'number') throw new Error('lcaDistal: `outcome` must be an array with one value per row of the fit');
  if (out.length !== n) throw new Error(`lcaDistal: outcome has ${out.length} values but the fit has ${n} rows (pass one value per row, null for missing)`);
  const y = new Float64Array(n);
  const isMissing = (v: unknown): boolean => v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));
  if (options.type === 'normal') {
    for (let i = 0; i < n; i++) {
      const v = out[i] as LcaDistalValue;
      if (isMissing(v)) y[i] = NaN;
      else if (typeof v === 'number' && Number.isFinite(v)) y[i] = v;
      else throw new Error(`lcaDistal: outcome row ${i + 1}: ${String(v)} is not a finite number (normal outcome; use null for missing)`);
    }
    return { y, levels: null };
  }
  if (options.type === 'binary') {
    for (let i = 0; i < n; i++) {
      const v = out[i] as LcaDistalValue;
      if (isMissing(v)) y[i] = NaN;
      else if (v === 0 || v === false) y[i] = 0;
      else if (v === 1 || v === true) y[i] = 1;
      else throw new Error(`lcaDistal: outcome row ${i + 1}: ${String(v)} is not 0/1 or false/true (binary outcome; use null for missing)`);
    }
    return { y, levels: [0, 1] };
  }
  let levels: LcaDistalLevel[];
  if (options.levels) levels = Array.from(options.levels);
  else {
    const seen = new Map<string, LcaDistalLevel>();
    for (let i = 0; i < n; i++) {
      const v = out[i] as LcaDistalValue;
      if (!isMissing(v)) seen.set(levelKey(v as LcaDistalLevel), v as LcaDistalLevel);
    }
    levels = Array.from(seen.values());
    const allNumbers = levels.every((v) => typeof v === 'number');
    levels.sort((a, b) => (allNumbers ? (a as number) - (b as number) : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
  }
  if (levels.length < 2) throw new Error(`lcaDistal: a categorical outcome needs at least 2 levels (found ${levels.length})`);
  const code = new Map<string, number>();
  levels.forEach((v, c) => code.set(levelKey(v), c));
  for (let i = 0; i < n; i++) {
    const v = out[i] as LcaDistalValue;
    if (isMissing(v)) y[i] = NaN;
    else {
      const c = code.get(levelKey(v as LcaDistalLevel));
      if (c === undefined) throw new Error(`lcaDistal: outcome row ${i + 1}: ${String(v)} is not one of the levels`);
      y[i] = c;
    }
  }
  return { y, levels };
}
