// Notebook 04: the first-referral process is known (truth.json → inequality), so the population rate
// ratio, RII, gradient per decile, pandemic interaction and within-LA gradient per SD must each fall in
// their 95% CI.
import { coverageCheck, truthReport, type TruthReport } from './table';
import { truthNumber, type TruthBlock } from './read';

interface Row { readonly [key: string]: unknown }
interface Tidy { tidy(): ReadonlyArray<Row> }

export interface InequalityTruthInput {
  /** inequalityByYear rows (measure, year, estimate, conf.low, conf.high): the pooled ("all") rows are checked. */
  readonly indices: ReadonlyArray<Row>;
  /** Negative binomial fit with terms idaci_decile and idaci_decile:pandemic (log scale). */
  readonly negbin: Tidy;
  /** GLMM with LA random intercepts and the term deprivation (per SD, log scale). */
  readonly withinLa: Tidy;
}

function pick(rows: ReadonlyArray<Row>, where: (r: Row) => boolean, what: string): Row {
  const r = rows.find(where);
  if (!r) throw new Error(`inequalityTruthChecks: ${what} not found`);
  return r;
}

/** `truth` is the panel's inequality block (`panel.truth`); undefined on real data (checks skipped). */
export function inequalityTruthChecks(truth: TruthBlock | undefined, input: InequalityTruthInput): TruthReport {
  if (truth === undefined) return truthReport(null);
  const w = 'inequality';
  const cov = (label: string, t: number, r: Row) => coverageCheck(label, t, Number(r.estimate), Number(r['conf.low']), Number(r['conf.high']));
  const index = (m: string) => pick(input.indices, (r) => r.year === 'all' && r.measure === m, `pooled "${m}"`);
  const term = (fit: Tidy, t: string) => pick(fit.tidy(), (r) => r.term === t, `term "${t}"`);
  return truthReport([
    cov('rate ratio D1/D10', truthNumber(truth, 'rateRatioMostVsLeast', w), index('rate ratio D1/D10')),
    cov('RII', truthNumber(truth, 'rii', w), index('RII')),
    cov('log rate per decile', truthNumber(truth, 'logRatePerDecile', w), term(input.negbin, 'idaci_decile')),
    cov('pandemic × decile', truthNumber(truth, 'pandemicInteractionPerDecile', w), term(input.negbin, 'idaci_decile:pandemic')),
    cov('log rate per SD (within LA)', truthNumber(truth, 'logRatePerSdDeprivationWithinLa', w), term(input.withinLa, 'deprivation')),
  ]);
}
