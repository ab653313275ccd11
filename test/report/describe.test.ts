// sampleSummary against R (mean, sd with n − 1), trueClassesTable on a truth block and on real data,
// randomSlopeSummary's row and note.
import { describe, expect, it } from 'vitest';
import { randomSlopeSummary, sampleSummary, trueClassesTable } from '../../src/report/index';

describe('sampleSummary', () => {
  it('matches R: x <- c(2, 4, 4, 4, 5, 5, 7, 9); mean(x) = 5, sd(x) = 2.13809', () => {
    const s = sampleSummary(Float64Array.from([2, 4, 4, 4, 5, 5, 7, 9]));
    expect(s.draws).toBe(8);
    expect(s.mean).toBe(5);
    expect(s.sd).toBeCloseTo(2.138089935299395, 14);
  });
  it('gives NaN SD for one value', () => {
    expect(Number.isNaN(sampleSummary([3]).sd)).toBe(true);
  });
});

describe('trueClassesTable', () => {
  const truth = { classes: { labels: ['A', 'B'], shares: [0.6, 0.4], sharesPandemic2021: [0.5, 0.5], expectedAriTrueParameters: 0.91234 } };
  it('one row per true class, the best ARI as a note', () => {
    const t = trueClassesTable(truth)!;
    expect(t.rows).toEqual([
      { class: 1, label: 'A', 'share 2014/15-2019/20': 0.6, 'share 2020/21': 0.5 },
      { class: 2, label: 'B', 'share 2014/15-2019/20': 0.4, 'share 2020/21': 0.5 },
    ]);
    expect(t.note).toBe('Best achievable ARI with the true parameters: 0.912');
  });
  it('null on real data; names a missing field', () => {
    expect(trueClassesTable(undefined)).toBeNull();
    expect(() => trueClassesTable({ classes: { labels: [] } })).toThrow(/classes.shares/);
  });
});

describe('randomSlopeSummary', () => {
  const fit = { names: ['(Intercept)', 'fsm1'], coef: [50, -8], sigma: 12, randomSd: [3, 0.5], randomCorrelation: [[1, -0.2], [-0.2, 1]], warnings: ['boundary fit'] };
  it('reads the effect, SDs, correlation and residual SD; warnings become the note', () => {
    const t = randomSlopeSummary(fit, 'fsm1', 'FSM gap (national)', 'FSM slope');
    expect(t.rows[0]).toMatchObject({ 'FSM gap (national)': -8, 'SD of LA intercepts': 3, 'SD of the FSM slope': 0.5, 'correlation (intercept, slope)': -0.2, 'residual SD': 12 });
    expect(t.note).toBe('note: boundary fit');
  });
  it('names a missing term', () => {
    expect(() => randomSlopeSummary(fit, 'fsm', 'gap', 'slope')).toThrow(/no coefficient "fsm"/);
  });
});
