// The one missing-value rule (src/core/missing): as R's read.csv reads an empty field, '' and
// blank text are NA; 0, 'NA' as text, false and Infinity are values.
import { describe, expect, it } from 'vitest';
import { isMissing } from '../../src/core/missing';

describe('isMissing', () => {
  it('counts null, undefined, NaN, empty and blank text as missing', () => {
    for (const v of [null, undefined, NaN, '', '   ', '\t\n']) expect(isMissing(v)).toBe(true);
  });
  it('counts every other value as present', () => {
    for (const v of [0, -0, Infinity, 'NA', '0', ' x ', false, true, {}, []]) expect(isMissing(v)).toBe(false);
  });
});
