// LA and school draws of the synthetic generator (src/data/synth/areas).
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/random';
import { drawAreas, laOfDraw, laShares, OUTCOMES } from '../../../src/data/synth/areas';
import { ATTAINMENT, N_LAS, REFERRAL_RATE, SCHOOLS_PER_LA } from '../../../src/data/synth/params';

describe('drawAreas', () => {
  const schools = SCHOOLS_PER_LA.small;
  const a = drawAreas(createRng(1), schools);
  it('draws one value per LA and per school, deterministically per seed', () => {
    expect(a.laNames).toHaveLength(N_LAS);
    expect(a.laNames[0]).toBe('LA001');
    expect(a.schoolRe.ks2_read.length).toBe(N_LAS * schools.primary);
    expect(a.schoolRe.ks4_p8.length).toBe(N_LAS * schools.secondary);
    expect(Array.from(drawAreas(createRng(1), schools).laRateMult)).toEqual(Array.from(a.laRateMult));
    expect(Array.from(drawAreas(createRng(2), schools).laRateMult)).not.toEqual(Array.from(a.laRateMult));
  });
  it('log rate multipliers and school effects have the SDs of params.ts (chi-square 99.9% band)', () => {
    const sdOf = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0) / v.length);
    const n = N_LAS;
    const ratio = sdOf(Array.from(a.laRateMult, Math.log)) / REFERRAL_RATE.laLogRateSd;
    expect(ratio ** 2 * n).toBeGreaterThan(104); // qchisq(0.0005, 152)
    expect(ratio ** 2 * n).toBeLessThan(210);    // qchisq(0.9995, 152)
    for (const o of OUTCOMES) expect(Math.abs(sdOf(a.schoolRe[o]) / ATTAINMENT[o].sd.school - 1)).toBeLessThan(0.15);
  });
});

describe('laOfDraw and laShares', () => {
  const a = drawAreas(createRng(3), SCHOOLS_PER_LA.tiny);
  it('picks the first LA whose cumulative size exceeds u, as a linear scan does', () => {
    const r = createRng(4);
    for (let t = 0; t < 2000; t++) {
      const u = r.nextFloat() * a.cum;
      let lin = 0;
      while (a.laSizeCum[lin] <= u) lin++;
      expect(laOfDraw(a, u)).toBe(lin);
    }
    expect(laOfDraw(a, 0)).toBe(0);
  });
  it('shares sum to 1 and are the differences of the cumulative sizes', () => {
    const s = laShares(a);
    expect(s.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 12);
    expect(s[5]).toBeCloseTo((a.laSizeCum[5] - a.laSizeCum[4]) / a.cum, 15);
  });
});
