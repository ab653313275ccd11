import { describe, expect, it } from 'vitest';
import { coverageRows, naturalCompare, trueEffectOf, truthReport, withinCheck, atLeastCheck, coverageCheck } from '../../../src/report/truth/index';

describe('truth table helpers', () => {
  it('sorts f2 before f10 (natural order)', () => {
    expect(['f10', 'f2', 'f1'].sort(naturalCompare)).toEqual(['f1', 'f2', 'f10']);
    const rows = ['true_class_f10', 'true_class_f2', 'sexM'].map((term) => ({ term, estimate: 0, 'conf.low': -1, 'conf.high': 1 }));
    const cov = coverageRows(rows, { true_class_f: { 2: 0.5, 10: 0.2 }, sex: { M: 0.1 } });
    expect(cov.map((r) => r.term)).toEqual(['sexM', 'true_class_f2', 'true_class_f10']);
  });

  it('matches the longest variable name, so sen and sex stay apart; unknown terms are skipped', () => {
    const fx = { sen: { E: -3 }, sex: { M: 0.2 }, idaci_decile: -0.1, se: 9 };
    expect(trueEffectOf('senE', fx)).toBe(-3);
    expect(trueEffectOf('sexM', fx)).toBe(0.2);
    expect(trueEffectOf('idaci_decile', fx)).toBe(-0.1);
    expect(trueEffectOf('idaci_decile2', fx)).toBeNull();
    expect(trueEffectOf('(Intercept)', fx)).toBeNull();
  });

  it('marks a truth outside the CI (and a NaN bound) as not covered', () => {
    const cov = coverageRows([
      { term: 'a', estimate: 1, 'conf.low': 0.5, 'conf.high': 1.5 },
      { term: 'b', estimate: 1, 'conf.low': 0.5, 'conf.high': 1.5 },
      { term: 'c', estimate: 1, 'conf.low': NaN, 'conf.high': 1.5 },
    ], { a: 1.2, b: 2, c: 1 });
    expect(cov.map((r) => r.inside)).toEqual(['yes', 'NO', 'NO']);
  });

  it('a failed asserted check shows FAIL, is named in the note and makes assert() throw; a diagnostic does not', () => {
    const rep = truthReport([
      withinCheck('mean', 10.4, 10, 0.5, 1),
      withinCheck('wrong estimate', 12, 10, 0.5, 1),
      atLeastCheck('diagnostic', 0.1, 0.5, 2, false),
      coverageCheck('RII', 2, 2.5, 2.2, 2.8),
    ]);
    expect(rep.table.rows.map((r) => r.result)).toEqual(['PASS', 'FAIL', 'outside (diagnostic)', 'FAIL']);
    expect(rep.failed).toEqual(['wrong estimate', 'RII']);
    expect(rep.table.note).toContain('wrong estimate');
    expect(() => rep.assert()).toThrow(/Truth checks failed: wrong estimate; RII/);
  });

  it('NaN never passes, and real data (no truth) gives a skipped table that does not throw', () => {
    expect(withinCheck('nan', NaN, 0, 1).pass).toBe(false);
    const rep = truthReport(null);
    expect(rep.skipped).toBe(true);
    expect(rep.table.rows[0].result).toMatch(/skipped/);
    expect(() => rep.assert()).not.toThrow();
  });
});
