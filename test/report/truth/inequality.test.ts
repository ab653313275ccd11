// Notebook 04's truth checks: each generating value must fall in its 95% CI; one shifted value FAILs.
import { describe, expect, it } from 'vitest';
import { inequalityTruthChecks } from '../../../src/report/truth/inequality';

describe('inequalityTruthChecks', () => {
  const indices = [
    { year: 'all', measure: 'rate ratio D1/D10', estimate: 3, 'conf.low': 2.8, 'conf.high': 3.2 },
    { year: 'all', measure: 'RII', estimate: 3.5, 'conf.low': 3.2, 'conf.high': 3.9 },
  ];
  const negbin = { tidy: () => [{ term: 'idaci_decile', estimate: 0.12, 'conf.low': 0.11, 'conf.high': 0.13 }, { term: 'idaci_decile:pandemic', estimate: 0.01, 'conf.low': -0.01, 'conf.high': 0.03 }] };
  const withinLa = { tidy: () => [{ term: 'deprivation', estimate: 0.3, 'conf.low': 0.28, 'conf.high': 0.32 }] };
  const truth = { rateRatioMostVsLeast: 3.1, rii: 3.4, logRatePerDecile: 0.125, pandemicInteractionPerDecile: 0.02, logRatePerSdDeprivationWithinLa: 0.31 };
  it('passes when every truth is covered and FAILs the one that is not', () => {
    expect(inequalityTruthChecks(truth, { indices, negbin, withinLa }).failed).toEqual([]);
    const bad = inequalityTruthChecks({ ...truth, rii: 4.5 }, { indices, negbin, withinLa });
    expect(bad.failed).toEqual(['RII']);
    expect(bad.table.rows[1].result).toBe('FAIL');
  });
  it('names a missing term', () => {
    expect(() => inequalityTruthChecks(truth, { indices, negbin: { tidy: () => [] }, withinLa })).toThrow(/idaci_decile/);
  });
  it('skips every check on real data (no truth)', () => {
    const rep = inequalityTruthChecks(undefined, { indices, negbin, withinLa });
    expect([rep.skipped, rep.failed, rep.checks]).toEqual([true, [], []]);
  });
  it('reads the pooled ("all") rows, not a single year', () => {
    const yearly = [{ ...indices[1], year: 2020, 'conf.low': 4.4, 'conf.high': 4.6 }, ...indices];
    expect(inequalityTruthChecks(truth, { indices: yearly, negbin, withinLa }).failed).toEqual([]);
  });
  it('names a truth value that is missing or not a number', () => {
    const { rii: _, ...noRii } = truth;
    expect(() => inequalityTruthChecks(noRii, { indices, negbin, withinLa })).toThrow('truth.json inequality: "rii" is not a number');
  });
});
