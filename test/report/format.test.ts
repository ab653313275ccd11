import { describe, it, expect } from 'vitest';
import { starsFor, STARS_LEGEND, formatP } from '../../src/report/format';

describe('starsFor', () => {
  it('gives the stars of the legend, with each cut-off exclusive (p < 0.05, not <=)', () => {
    const cases: Array<[number, string]> = [[0.2, ''], [0.05, ''], [0.0499, '*'], [0.01, '*'], [0.0099, '**'], [0.001, '**'], [0.000999, '***'], [0, '***']];
    for (const [p, s] of cases) expect(starsFor(p), String(p)).toBe(s);
  });
  it('no stars for a missing p (NA or NaN)', () => {
    expect(starsFor(null)).toBe('');
    expect(starsFor(NaN)).toBe('');
  });
  it('the legend names the three cut-offs starsFor uses', () => {
    for (const [p, s] of [[0.04, '*'], [0.009, '**'], [0.0009, '***']] as const) {
      expect(starsFor(p)).toBe(s);
      expect(STARS_LEGEND).toContain(`${s} p < `);
    }
  });
  it('re-exports the library number formatter (p below 0.001 as "<0.001")', () => {
    expect(formatP(0.0004)).toBe('<0.001');
  });
});
