// Disclosure control for magnitudes (means, totals of a continuous variable) and for extremes.
// Rules as ACRO/SACRO configure them for magnitude tables: a threshold on contributors, N-K
// dominance (the largest N contributors may not make up more than K% of the total) and the p%
// rule (the total minus the two largest may not let the second largest estimate the largest to
// within p%). Defaults follow ACRO's: threshold 10, N = 2, K = 90%, p = 10%.
import { sdcRules, type SdcRules } from '../sdc';

export interface MagnitudeRules {
  /** N of the N-K rule (largest contributors). */
  nkN: number;
  /** K of the N-K rule, as a fraction. */
  nkK: number;
  /** p of the p% rule, as a fraction. */
  p: number;
}

export const DEFAULT_MAGNITUDE_RULES: MagnitudeRules = Object.freeze({ nkN: 2, nkK: 0.9, p: 0.1 });

export interface MagnitudeCheck {
  ok: boolean;
  /** Why a value was withheld: 'threshold', 'nk-dominance', 'p-percent'. */
  reasons: string[];
  contributors: number;
}

/**
 * Judges whether a magnitude built from `values` may be shown. Magnitudes (sums and means) use the
 * absolute values, since dominance concerns the size of each contribution.
 * Inputs: contributors' values (non-finite ones ignored). Output: ok and the failed rules.
 */
export function checkMagnitude(values: ArrayLike<number>, partial?: Partial<SdcRules>, m: MagnitudeRules = DEFAULT_MAGNITUDE_RULES): MagnitudeCheck {
  const rules = sdcRules(partial);
  const xs: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) xs.push(Math.abs(values[i]));
  const reasons: string[] = [];
  if (xs.length < rules.minCount) reasons.push('threshold');
  xs.sort((a, b) => b - a);
  const total = xs.reduce((s, x) => s + x, 0);
  if (total > 0) {
    let top = 0;
    for (let i = 0; i < Math.min(m.nkN, xs.length); i++) top += xs[i];
    if (top > m.nkK * total) reasons.push('nk-dominance');
    if (xs.length >= 2 && total - xs[0] - xs[1] < m.p * xs[0]) reasons.push('p-percent');
  }
  return { ok: reasons.length === 0, reasons, contributors: xs.length };
}

/** A mean made safe: null unless its contributors pass the threshold and dominance rules. */
export function protectMean(values: ArrayLike<number>, partial?: Partial<SdcRules>, m?: MagnitudeRules): number | null {
  const c = checkMagnitude(values, partial, m);
  if (!c.ok) return null;
  let s = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) { s += values[i]; n++; }
  return s / n;
}

/**
 * Minimum and maximum are one person's values, so they are never shown as such. Returns the bands
 * (of width `band`, e.g. "0–5" and "85–90") that hold the `minCount`-th smallest and largest values:
 * at least `minCount` contributors lie at or beyond each band. Throws when asked with fewer than
 * 2·minCount values, since then the bands overlap the whole range of a small group.
 */
export function bandedRange(values: ArrayLike<number>, band: number, partial?: Partial<SdcRules>): { low: string; high: string } {
  const rules = sdcRules(partial);
  if (!(band > 0)) throw new Error(`bandedRange: band must be positive, got ${band}`);
  const xs: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) xs.push(values[i]);
  if (xs.length < 2 * rules.minCount) {
    throw new Error(`bandedRange: ${xs.length} values; at least ${2 * rules.minCount} are needed to show a banded range`);
  }
  xs.sort((a, b) => a - b);
  const fmt = (x: number) => String(Math.round(x * 1e6) / 1e6);
  const bandOf = (x: number, up: boolean) => {
    const lo = up ? Math.ceil(x / band) * band - band : Math.floor(x / band) * band;
    return `${fmt(lo)}–${fmt(lo + band)}`;
  };
  return { low: bandOf(xs[rules.minCount - 1], false), high: bandOf(xs[xs.length - rules.minCount], true) };
}
