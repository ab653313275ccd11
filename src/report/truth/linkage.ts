// The attainment truth refits on true and on linked inputs. The generator knows each pupil's CSC exposure
// and true class (pupil_truth.csv); linkage shows only what reaches the NPD through a pupil matching
// reference, so a child whose CIN records carry no PMR looks like 'none'. Fitting the generating
// specification on the true inputs tests the estimator; fitting it on the linked inputs as well measures
// how much linkage misclassification biases the CSC gaps (a limitation real linked studies share).
import type { TableLike } from '../../formula/design';
import { ols } from '../../regression/table';
import type { TidyRow } from '../../regression/fitBase';
import { plainTable } from '../../display/sdc';
import { formatEstimate, formatWhole } from '../../core/numberStyle';
import { levelLabel } from '../dictionary';
import { CSC_DICTIONARY } from '../dictionaries';
import type { TruthCheck, TruthSection } from './table';

/** What the truth checks read from the generator's pupil truth (src/data/synth/pupilTruth.ts). */
export interface PupilTruthLike {
  level(keyStage: 2 | 4, pmr: string, academicYear: number): number;
  trueClass(keyStage: 2 | 4, pmr: string, academicYear: number): number;
}

const LEVELS = ['none', 'CIN', 'CPP', 'CLA'];

const CLASS_LABELS = Array.from({ length: 128 }, (_, k) => String(k));
const classLabel = (v: unknown): string => (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < CLASS_LABELS.length ? CLASS_LABELS[v] : String(v));

/** Per row of a linked KS table: the true exposure and class. */
export interface TrueInputs {
  readonly exposure: string[];
  readonly trueClass: string[];
  /** rows with CSC contact before the test (true exposure not 'none') */
  readonly exposed: number;
  /** of them, rows the linked table shows as 'none' (their CIN records carry no PMR) */
  readonly unlinked: number;
  /** rows whose linked exposure is neither the true one nor 'none': a timing or linkage bug, never expected */
  readonly contradicted: number;
}

/**
 * The true inputs of each row of a linked KS table (columns pmr, academic_year, csc_exposure).
 * Errors: throws naming the count when rows have no truth (the truth is of another data set).
 */
export function trueInputs(table: TableLike, truth: PupilTruthLike, keyStage: 2 | 4): TrueInputs {
  const pmr = table.array('pmr'); const ay = table.array('academic_year'); const obs = table.array('csc_exposure');
  const n = table.numRows();
  // Labels are shared strings (one per level), not one string per row: millions of rows at national size.
  const exposure: string[] = new Array(n); const trueClass: string[] = new Array(n);
  let missing = 0, exposed = 0, unlinked = 0, contradicted = 0;
  for (let i = 0; i < n; i++) {
    const l = truth.level(keyStage, String(pmr[i]), Number(ay[i]));
    if (l < 0) { missing++; continue; }
    exposure[i] = LEVELS[l];
    trueClass[i] = classLabel(truth.trueClass(keyStage, String(pmr[i]), Number(ay[i])));
    if (l > 0) {
      exposed++;
      if (obs[i] === 'none') unlinked++;
    }
    if (obs[i] !== exposure[i] && obs[i] !== 'none') contradicted++;
  }
  if (missing > 0) throw new Error(`trueInputs: ${formatWhole(missing)} of ${formatWhole(n)} KS${keyStage} rows have no pupil truth (is the truth file from this data set?)`);
  return { exposure, trueClass, exposed, unlinked, contradicted };
}

/**
 * The generating specification `outcome ~ csc_exposure + true_class_f + fsm + sen + eal + idaci_decile`
 * by OLS with school-clustered SEs (R: lm + sandwich::vcovCL(cluster = ~school)), on the true inputs when
 * given, else on the linked csc_exposure and true_class columns.
 */
export function generatingFit(table: TableLike, outcome: string, inputs?: TrueInputs): GeneratingFit {
  const tc = table.array('true_class');
  const extra: Record<string, ArrayLike<unknown>> = inputs
    ? { csc_exposure: inputs.exposure, true_class_f: inputs.trueClass }
    : { true_class_f: Array.from(tc, classLabel) };
  const fit = ols(withColumns(table, extra), {
    formula: `${outcome} ~ csc_exposure + true_class_f + fsm + sen + eal + idaci_decile`,
    levels: { csc_exposure: LEVELS }, reference: { csc_exposure: 'none', sen: 'N', true_class_f: '0' },
  }, { vcov: 'cluster', cluster: 'school' });
  // Only the coefficient table is read; the fit itself holds n-long fitted values and residuals and
  // (through its context) the table, and six such fits at once cost GBs at national size.
  const rows = fit.tidy();
  return Object.freeze({ names: fit.names, coef: fit.coef, se: fit.se, tidy: () => rows.map((r) => ({ ...r })) });
}

/** What the truth checks keep of a generating fit: its coefficients and tidy table. */
export interface GeneratingFit {
  readonly names: readonly string[];
  readonly coef: ArrayLike<number>;
  readonly se: ArrayLike<number>;
  tidy(): TidyRow[];
}

/** `table` with columns added or replaced by `extra` (same rows, no copy of the other columns). */
function withColumns(table: TableLike, extra: Record<string, ArrayLike<unknown>>): TableLike {
  const names = [...table.columnNames(), ...Object.keys(extra).filter((k) => !table.columnNames().includes(k))];
  return {
    numRows: () => table.numRows(),
    columnNames: () => names.slice(),
    array: (name: string) => extra[name] ?? table.array(name),
  };
}

type Fit = GeneratingFit;

/** One outcome's CSC gaps from the two fits. */
export interface LinkageComparison {
  readonly outcome: string;
  readonly keyStage: 2 | 4;
  readonly onTrue: Fit;
  readonly onLinked: Fit;
  readonly inputs: TrueInputs;
}

const f = (x: number, d: number) => (Number.isFinite(x) ? formatEstimate(x, d) : 'NaN');
const gap = (fit: Fit, level: string) => fit.coef[fit.names.indexOf(`csc_exposure${level}`)];

/**
 * The linkage bias of the CSC gaps: a table (outcome, group, gap on true exposure, on linked exposure,
 * attenuation 1 − linked / true), an asserted check that linked exposure departs from the truth only by missing
 * linkage (no contradicted rows), and a sentence for the notebook. Shares of pupils are percentages of
 * large counts; no count is shown.
 */
export function linkageBias(comparisons: readonly LinkageComparison[], digits: Record<string, number> = {}): {
  checks: TruthCheck[]; detail: TruthSection; sentence: string;
} {
  const rows: Array<Record<string, string>> = [];
  const att: number[] = [];
  for (const c of comparisons) {
    const d = digits[c.outcome] ?? 3;
    for (const level of LEVELS.slice(1)) {
      const t = gap(c.onTrue, level), l = gap(c.onLinked, level);
      att.push(1 - l / t);
      rows.push({ outcome: c.outcome, 'CSC group': levelLabel('csc_exposure', level, CSC_DICTIONARY), 'gap (true inputs)': f(t, d), 'gap (linked inputs)': f(l, d), 'attenuation (1 − linked / true)': f(1 - l / t, 3) });
    }
  }
  const contradicted = comparisons.reduce((s, c) => s + c.inputs.contradicted, 0);
  const check: TruthCheck = {
    check: 'linked CSC exposure differs from the truth only where linkage is missing (rows otherwise differing)',
    value: contradicted === 0 ? '0' : 'more than 0', target: '0', pass: contradicted === 0,
  };
  const byStage = new Map(comparisons.map((c) => [c.keyStage, c.inputs]));
  const lost = [...byStage].map(([ks, x]) => `${f(100 * x.unlinked / Math.max(1, x.exposed), 1)}% at KS${ks}`).join(' and ');
  const pct = att.filter(Number.isFinite).map((x) => 100 * x);
  const mean = pct.reduce((a, b) => a + b, 0) / Math.max(1, pct.length);
  const head = comparisons[0];
  const hd = head === undefined ? 3 : digits[head.outcome] ?? 3;
  const sentence = head === undefined ? '' : `Linkage misclassification: of the pupils with CSC contact before the test, ${lost} have no pupil matching `
    + `reference on their CIN records, so the linked data show them as having no CSC contact. Fitted on linked rather than true exposure, the CSC gaps of the `
    + `generating model are ${f(mean, 1)}% smaller on average (from ${f(Math.min(...pct), 1)}% to ${f(Math.max(...pct), 1)}% across outcomes and groups; `
    + `${head.outcome}, ${levelLabel('csc_exposure', 'CIN', CSC_DICTIONARY).toLowerCase()}: ${f(gap(head.onLinked, 'CIN'), hd)} against ${f(gap(head.onTrue, 'CIN'), hd)}), and effects correlated with CSC contact `
    + '(FSM, SEN) absorb part of the gap. Real CIN–NPD match rates are lower than the synthetic data\'s, so real gaps may be attenuated more.';
  return {
    checks: [check],
    detail: { caption: 'Linkage bias: CSC exposure gaps of the generating model fitted on the true and on the linked exposure', table: plainTable(rows) },
    sentence,
  };
}
