import { describe, it, expect } from 'vitest';
import { sideBySide } from '../../src/display/sideBySide';

const m1 = [{ term: 'x', estimate: 0.5, 'conf.low': 0.25, 'conf.high': 0.754 }, { term: 'z', estimate: -1, 'conf.low': -1.5, 'conf.high': -0.5 }];
const m2 = [{ term: 'x', estimate: 0.6, 'conf.low': 0.4, 'conf.high': 0.8 }, { term: 'w', estimate: 2, 'conf.low': 1, 'conf.high': 3 }];

describe('sideBySide', () => {
  it('one row per term in first-seen order, one column per model, blank where a model lacks the term', () => {
    const out = sideBySide([{ name: 'A', rows: m1 }, { name: 'B', rows: m2 }]);
    expect(out.map((r) => r.term)).toEqual(['x', 'z', 'w']);
    expect(out[0]).toEqual({ term: 'x', A: '0.50 (0.25 to 0.75)', B: '0.60 (0.40 to 0.80)' });
    expect(out[1].B).toBe('');
    expect(out[2]).toEqual({ term: 'w', A: '', B: '2.00 (1.00 to 3.00)' });
  });
  it('digits, other column names and term labels', () => {
    const rows = [{ term: 'x', hr: 1.23456, lo: 1.1, hi: 1.4 }];
    const out = sideBySide([{ name: 'Cox', rows }], { estimate: 'hr', low: 'lo', high: 'hi', digits: 3, termLabel: (t) => t.toUpperCase() });
    expect(out).toEqual([{ term: 'X', Cox: '1.235 (1.100 to 1.400)' }]);
  });
  it('footer rows come last, blank for models they do not name', () => {
    const out = sideBySide([{ name: 'A', rows: m1 }, { name: 'B', rows: m2 }], { footer: [{ term: 'N', A: '1,000' }] });
    expect(out[out.length - 1]).toEqual({ term: 'N', A: '1,000', B: '' });
  });
  it('negative estimates with the typographic minus, as every table shows them', () => {
    const out = sideBySide([{ name: 'A', rows: m1 }]);
    expect(out[1].A).toBe('\u22121.00 (\u22121.50 to \u22120.50)');
  });
  it('no models, no rows', () => {
    expect(sideBySide([])).toEqual([]);
  });
});
