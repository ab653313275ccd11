// The one number style (src/display/numbers): U+2212 minus on the page, ASCII '-' in CSV, one
// p-value style, thousands separators.
import { describe, expect, it } from 'vitest';
import { asciiMinus, formatCount, formatEstimate, formatFixed, formatNumber, formatP, isPValueColumn, MINUS, pInProse, typographicMinus } from '../../src/display/numbers';

describe('typographicMinus / asciiMinus', () => {
  it('writes sign minuses as U+2212 and leaves hyphens between words and dates alone', () => {
    expect(typographicMinus('-0.25')).toBe(`${MINUS}0.25`);
    expect(typographicMinus('(-1.2 to -0.3)')).toBe(`(${MINUS}1.2 to ${MINUS}0.3)`);
    expect(typographicMinus('-.5')).toBe(`${MINUS}.5`);
    expect(typographicMinus('1.5e-5')).toBe(`1.5e${MINUS}5`);
    expect(typographicMinus('-Inf')).toBe(`${MINUS}Inf`);
    expect(typographicMinus('2024-06-01')).toBe('2024-06-01');
    expect(typographicMinus('KS2-KS4, file-2, 2019-20')).toBe('KS2-KS4, file-2, 2019-20');
    expect(typographicMinus('a - b')).toBe('a - b');
  });
  it('asciiMinus undoes it so CSV numbers parse', () => {
    const shown = typographicMinus('-1,234.5 and (-0.3)');
    expect(shown).not.toContain('-');
    expect(asciiMinus(shown)).toBe('-1,234.5 and (-0.3)');
    expect(Number(asciiMinus(formatEstimate(-0.25, 2)))).toBe(-0.25);
  });
});

describe('formatters', () => {
  it('formatEstimate: fixed decimals, separators, U+2212, no "-0.00"', () => {
    expect(formatEstimate(-1234.567, 2)).toBe(`${MINUS}1,234.57`);
    expect(formatEstimate(0.125, 2)).toBe('0.13');
    expect(formatEstimate(-0.001, 2)).toBe('0.00');
    expect(formatEstimate(-Infinity)).toBe(`${MINUS}Inf`);
    expect(formatEstimate(NaN)).toBe('NA');
  });
  it('formatP: "<0.001", then 3 decimals, ">0.999"', () => {
    expect([formatP(1e-20), formatP(0.0004), formatP(0.0123), formatP(0.5), formatP(0.9996), formatP(null), formatP(NaN)])
      .toEqual(['<0.001', '<0.001', '0.012', '0.500', '>0.999', 'NA', 'NA']);
  });
  it('pInProse', () => {
    expect([pInProse(0.0304), pInProse(1e-9), pInProse(1)]).toEqual(['p = 0.030', 'p < 0.001', 'p > 0.999']);
  });
  it('formatCount: separators, suppressed as [c]', () => {
    expect(formatCount(123456)).toBe('123,456');
    expect(formatCount(null)).toBe('[c]');
  });
  it('formatNumber: significant digits, separators above 1,000, U+2212, p columns as formatP', () => {
    expect(formatNumber(-0.0123456, 4)).toBe(`${MINUS}0.01235`);
    expect(formatNumber(-320430, 4)).toBe(`${MINUS}320,430`);
    expect(formatNumber(-1234.56, 4)).toBe(`${MINUS}1,235`);
    expect(formatNumber(12345.678, 4)).toBe('12,346');
    expect(formatNumber(-1.5e-7, 3)).toBe(`${MINUS}1.50e${MINUS}7`);
    expect(formatNumber(0.0123, 4, 'p.value')).toBe('0.012');
    expect(formatNumber(2e-19, 4, 'p')).toBe('<0.001');
    expect(formatNumber(NaN, 4)).toBe('');
    expect(formatFixed(-12.345, 1)).toBe(`${MINUS}12.3`);
  });
  it('isPValueColumn: p, p.value, "p (frailty)", "LRT p", Pr(>|z|); not words that end in p', () => {
    for (const c of ['p', 'p.value', 'p_value', 'P', 'p (frailty)', 'LRT p', 'Pr(>|z|)']) expect(isPValueColumn(c), c).toBe(true);
    for (const c of ['step', 'group', 'gap', 'pct', 'pathway', 'p hat estimate']) expect(isPValueColumn(c), c).toBe(false);
  });
});
