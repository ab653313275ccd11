// LA and school draws of the synthetic generator (src/data/synth/areas).
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/random';
import { drawAreas, laOfDraw, laShares, OUTCOMES, slopeStream } from '../../../src/data/synth/areas';
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

describe('LA FSM slopes', () => {
  const schools = SCHOOLS_PER_LA.small;
  it('come from their own stream: every other draw is the same whatever the slope stream', () => {
    const a = drawAreas(createRng(1), schools, slopeStream(1));
    const b = drawAreas(createRng(1), schools, slopeStream(2));
    expect(b.laRe).toEqual(a.laRe);
    expect(Array.from(b.schoolRe.ks4_att8)).toEqual(Array.from(a.schoolRe.ks4_att8));
    expect(b.laFsm.ks4_att8).not.toEqual(a.laFsm.ks4_att8);
    expect(drawAreas(createRng(1), schools, slopeStream(1)).laFsm).toEqual(a.laFsm);
  });
  it('have the SD and intercept correlation of params.ts for Attainment 8 (pooled over seeds), and are 0 elsewhere', () => {
    const { sd, corr } = ATTAINMENT.ks4_att8.laFsmSlope;
    let sbb = 0, sab = 0, saa = 0, n = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const a = drawAreas(createRng(seed), schools, slopeStream(seed));
      a.laFsm.ks4_att8.forEach((b, l) => { const z = a.laRe.ks4_att8[l]; sbb += b * b; sab += b * z; saa += z * z; n++; });
      for (const o of OUTCOMES) if (ATTAINMENT[o].laFsmSlope.sd === 0) expect(a.laFsm[o].every((x) => x === 0)).toBe(true);
    }
    // 3040 draws: SE of an SD about 1.3%, of a correlation about 0.017
    expect(Math.abs(Math.sqrt(sbb / n) / sd - 1)).toBeLessThan(0.05);
    expect(Math.abs(sab / Math.sqrt(saa * sbb) - corr)).toBeLessThan(0.06);
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
