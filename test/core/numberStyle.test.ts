// numberStyle (src/core/numberStyle): the one number style, usable below the display layer (warnings
// written by regression, lca and survival code) without importing display.
import { describe, expect, it } from 'vitest';
import { formatNumber, formatWhole, formatEstimate, pInProse } from '../../src/core/numberStyle';
import * as display from '../../src/display/numbers';

describe('core number style', () => {
  it('a warning number reads 0.183, not 1.83e-1; only values below 1e-4 in scientific notation, with U+2212', () => {
    expect(formatNumber(0.18304, 3)).toBe('0.183');
    expect(formatNumber(8.71e-11, 3)).toBe('8.71e\u221211');
    expect(formatNumber(-2.5, 3)).toBe('\u22122.5');
  });
  it('whole numbers (N, events) with thousands separators', () => {
    expect(formatWhole(51230)).toBe('51,230');
    expect(formatWhole(-1200)).toBe('\u22121,200');
    expect(formatWhole(NaN)).toBe('NA');
  });
  it('display/numbers re-exports the same functions (one definition)', () => {
    expect(display.formatNumber).toBe(formatNumber);
    expect(display.formatEstimate).toBe(formatEstimate);
    expect(display.pInProse).toBe(pInProse);
  });
});
