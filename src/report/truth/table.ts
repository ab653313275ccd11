// The compact pass/fail table every notebook's "checks against known truth" section shows, and the
// coverage rows (true value inside the 95% CI?) the model checks summarise. Plain data only: no fitting.
import { plainTable, type ProtectedTable } from '../../display/sdc';
import { formatEstimate, formatNumber } from '../../core/numberStyle';
import { labelTerm, type DataDictionary } from '../dictionary';
import { CSC_DICTIONARY } from '../dictionaries';

/** One check: a shown value against a target; `asserted: false` marks a diagnostic that cannot fail the run. */
export interface TruthCheck {
  readonly check: string;
  readonly value: string;
  readonly target: string;
  readonly pass: boolean;
  readonly asserted?: boolean;
}

/** One estimated term against its generating value (log scale for HR/OR/RR). */
export interface CoverageRow {
  readonly [key: string]: string | number;
  readonly term: string;
  readonly truth: number;
  readonly estimate: number;
  readonly 'conf.low': number;
  readonly 'conf.high': number;
  readonly inside: 'yes' | 'NO';
}

/**
 * What every truth-check call returns. `table` is the compact pass/fail table (shown through the
 * same display path as every table, so the output checker reads it); `coverage` lists term-level
 * coverage where the check has one; `assert()` throws naming the failed asserted checks, so a
 * notebook run fails when the estimates stray from the truth.
 */
export interface TruthReport {
  readonly checks: readonly TruthCheck[];
  readonly table: ProtectedTable;
  /** The coverage rows as shown: terms labelled from the data dictionary, numbers to 3 decimals. */
  readonly coverage: ProtectedTable | null;
  /** The coverage rows as data (R's term names, unrounded). */
  readonly coverageRows: readonly CoverageRow[];
  readonly failed: readonly string[];
  /** True when there was no known truth (real data): every check skipped. */
  readonly skipped: boolean;
  /** Every table to show, captioned, in order: the pass/fail table, the coverage rows, then any detail tables. */
  readonly sections: readonly TruthSection[];
  assert(): void;
}

/** A captioned table of a truth report (see truthBundle for showing them all at once). */
export interface TruthSection {
  readonly caption: string;
  readonly table: ProtectedTable;
}

/** "f2" before "f10": compares digit runs by value (R's `gtools::mixedsort`). */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' });
}

const fixed = (x: number, digits: number) => (Number.isFinite(x) ? formatEstimate(x, digits) : 'NaN');

/** |value − target| ≤ tolerance. NaN never passes. */
export function withinCheck(check: string, value: number, target: number, tolerance: number, digits = 2, asserted = true): TruthCheck {
  return {
    check, value: fixed(value, digits), target: `${fixed(target, digits)} ± ${formatNumber(Math.round(tolerance * 10 ** digits) / 10 ** digits)}`,
    pass: Number.isFinite(value) && Math.abs(value - target) <= tolerance, asserted,
  };
}

/** low ≤ value ≤ high. NaN never passes. */
export function rangeCheck(check: string, value: number, low: number, high: number, digits = 2, asserted = true): TruthCheck {
  return {
    check, value: fixed(value, digits), target: `${fixed(low, digits)} – ${fixed(high, digits)}`,
    pass: Number.isFinite(value) && value >= low && value <= high, asserted,
  };
}

/** value ≥ bound. NaN never passes. */
export function atLeastCheck(check: string, value: number, bound: number, digits = 2, asserted = true): TruthCheck {
  return { check, value: fixed(value, digits), target: `≥ ${fixed(bound, digits)}`, pass: Number.isFinite(value) && value >= bound, asserted };
}

/** value ≤ bound. NaN never passes. */
export function atMostCheck(check: string, value: number, bound: number, digits = 2, asserted = true): TruthCheck {
  return { check, value: fixed(value, digits), target: `≤ ${fixed(bound, digits)}`, pass: Number.isFinite(value) && value <= bound, asserted };
}

/** Exact agreement of two labels (e.g. the K chosen by BIC). */
export function equalCheck(check: string, value: string | number, target: string | number, asserted = true): TruthCheck {
  return { check, value: String(value), target: String(target), pass: String(value) === String(target), asserted };
}

/** The true value inside [low, high]; a NaN bound never covers. */
export function coverageCheck(check: string, truth: number, estimate: number, low: number, high: number): TruthCheck {
  return {
    check, value: `${fixed(estimate, 3)} (${fixed(low, 3)} to ${fixed(high, 3)})`, target: `covers ${fixed(truth, 3)}`,
    pass: Number.isFinite(low) && Number.isFinite(high) && truth >= low && truth <= high,
  };
}

/** A map from a term's variable to its true effect: a number (numeric term) or level → effect (factor). */
export type TrueEffects = Readonly<Record<string, number | Readonly<Record<string, number>>>>;

/**
 * The true effect for a model term named as R names it (`sexM`, `idaci_decile`): the longest variable
 * name that prefixes the term wins, so `sen` and `sex` cannot be confused. Null when the term is not in
 * the truth (intercept, LA dummies, interactions not generated).
 */
export function trueEffectOf(term: string, effects: TrueEffects): number | null {
  const names = Object.keys(effects).sort((a, b) => b.length - a.length);
  for (const name of names) {
    if (!term.startsWith(name)) continue;
    const v = effects[name];
    const level = term.slice(name.length);
    if (typeof v === 'number') return level === '' ? v : null;
    const x = v[level];
    return typeof x === 'number' ? x : null;
  }
  return null;
}

type EstimateRow = Readonly<Record<string, unknown>>;

/** Coverage of every term that has a true effect, in natural term order (f2 before f10). */
export function coverageRows(rows: ReadonlyArray<EstimateRow>, effects: TrueEffects, label?: string): CoverageRow[] {
  const out: CoverageRow[] = [];
  for (const r of rows) {
    const term = String(r.term);
    const truth = trueEffectOf(term, effects);
    if (truth === null) continue;
    const low = Number(r['conf.low']);
    const high = Number(r['conf.high']);
    const inside = Number.isFinite(low) && Number.isFinite(high) && truth >= low && truth <= high ? 'yes' : 'NO';
    out.push({ ...(label === undefined ? {} : { outcome: label }), term, truth, estimate: Number(r.estimate), 'conf.low': low, 'conf.high': high, inside });
  }
  return out.sort((a, b) => naturalCompare(String(a.outcome ?? ''), String(b.outcome ?? '')) || naturalCompare(a.term, b.term));
}

/** Share of coverage rows whose CI holds the truth: the nominal-coverage check (≥ `bound`). */
export function coverageShareCheck(check: string, rows: readonly CoverageRow[], bound = 0.8): TruthCheck {
  const share = rows.length === 0 ? NaN : rows.filter((r) => r.inside === 'yes').length / rows.length;
  return atLeastCheck(`${check} (${rows.length} terms)`, share, bound);
}

/** Labels of the terms of the truth refits: the study dictionary and the true class. */
const TRUTH_DICTIONARY: DataDictionary = { ...CSC_DICTIONARY, true_class_f: { label: 'True class' } };

/** A coverage row as a reader sees it: "Ethnic group: Asian", estimates to 3 decimals, the CI in one cell. */
function coverageDisplay(rows: readonly CoverageRow[]): Array<Record<string, string>> {
  return rows.map((r) => {
    const l = labelTerm(r.term, TRUTH_DICTIONARY);
    return {
      ...(r.outcome === undefined ? {} : { outcome: String(r.outcome) }),
      term: l.level === null ? l.label : `${l.variableLabel}: ${l.label}`,
      truth: fixed(r.truth, 3), estimate: fixed(r.estimate, 3), '95% CI': `${fixed(r['conf.low'], 3)} to ${fixed(r['conf.high'], 3)}`, inside: r.inside,
    };
  });
}

/** Captions of a report's tables; `details` are extra captioned tables (e.g. class effects against truth). */
export interface TruthCaptions {
  readonly checks?: string;
  readonly coverage?: string;
  readonly details?: readonly TruthSection[];
}

/** Packs checks into the report the notebooks show. Passing `null` means real data: nothing to check. */
export function truthReport(
  checks: readonly TruthCheck[] | null, coverage: readonly CoverageRow[] = [], scale = '', captions: TruthCaptions = {},
): TruthReport {
  const checksCaption = captions.checks ?? 'Checks against known truth';
  if (checks === null) {
    const table = plainTable([{ check: 'known truth', value: '—', target: '—', result: 'skipped (real data)' }]);
    return { checks: [], table, coverage: null, coverageRows: [], failed: [], skipped: true, sections: [{ caption: checksCaption, table }], assert: () => undefined };
  }
  const failed = checks.filter((c) => !c.pass && c.asserted !== false).map((c) => c.check);
  // A diagnostic with no target is only reported; one with a target says whether it is within it.
  const result = (c: TruthCheck) => {
    if (c.asserted !== false) return c.pass ? 'PASS' : 'FAIL';
    if (c.target === '—') return 'reported';
    return c.pass ? 'within (diagnostic)' : 'outside (diagnostic)';
  };
  const rows = checks.map((c) => ({ check: c.check, value: c.value, target: c.target, result: result(c) }));
  const note = failed.length === 0
    ? `All ${checks.filter((c) => c.asserted !== false).length} asserted checks pass.`
    : `${failed.length} asserted check(s) FAIL: ${failed.join('; ')}.`;
  const table = plainTable(rows, note);
  const coverageTable = coverage.length > 0 ? plainTable(coverageDisplay(coverage), `${scale ? scale + '; ' : ''}inside: the true value lies in the 95% CI.`) : null;
  const sections: TruthSection[] = [{ caption: checksCaption, table }];
  if (coverageTable) sections.push({ caption: captions.coverage ?? 'True values against estimates (95% CI)', table: coverageTable });
  sections.push(...(captions.details ?? []));
  return {
    checks, table, coverage: coverageTable, coverageRows: coverage, failed, skipped: false, sections,
    assert: () => { if (failed.length > 0) throw new Error(`Truth checks failed: ${failed.join('; ')}`); },
  };
}
