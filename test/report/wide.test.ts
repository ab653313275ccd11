import { describe, expect, it } from 'vitest';
import { wideCoefTable } from '../../src/report/index';

const tidy = [2, 10, 3].flatMap((k) => ['(Intercept)', 'male', 'age'].map((term, j) => ({
  term, class: k, estimate: Math.log(1 + k / 10 + j / 100), 'conf.low': Math.log(1 + k / 10 + j / 100) - 0.1, 'conf.high': Math.log(1 + k / 10 + j / 100) + 0.1, method: 'bch',
})));

describe('wideCoefTable', () => {
  it('one row per class in natural order, terms as columns, odds ratios with exponentiated CIs', () => {
    const t = wideCoefTable(tidy, { groupLabel: (k) => `class ${k}`, termLabels: { male: 'Boy (vs girl)' }, note: 'BCH; reference: class 1' });
    expect(t.rows.length).toBe(3);
    expect(t.columns).toEqual(['class', 'Boy (vs girl)', 'age']);
    expect(t.rows.map((r) => r.class)).toEqual(['class 2', 'class 3', 'class 10']);
    // class 2, male: OR = 1.21, CI exp(log 1.21 ± 0.1) = (1.09, 1.34)
    expect(t.rows[0]['Boy (vs girl)']).toBe('1.21 (1.09 to 1.34)');
    expect(t.note).toBe('BCH; reference: class 1');
    expect(JSON.stringify(t.rows)).not.toContain('bch');
  });
  it('log scale when exponentiate is false; a missing cell shows a dash', () => {
    const t = wideCoefTable(tidy.filter((r) => !(r.class === 3 && r.term === 'age')), { exponentiate: false, digits: 3 });
    expect(t.rows[0].male).toBe(`${Math.log(1.21).toFixed(3)} (${(Math.log(1.21) - 0.1).toFixed(3)} to ${(Math.log(1.21) + 0.1).toFixed(3)})`);
    expect(t.rows[1].age).toBe('—');
  });
});
