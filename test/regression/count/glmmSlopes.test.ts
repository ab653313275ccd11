// fitGlmmSlopes beyond the R fixture: parameter recovery on simulated data with known random
// intercept and slope SDs, and a singular fit (no slope variation) flagged, never silent.
import { describe, expect, it } from 'vitest';
import { fitGlmmSlopes } from '../../../src/index';
import { createRng } from '../../../src/core/random';

function simulate(seed: number, G: number, per: number, sdInt: number, sdSlope: number, rho: number) {
  const rng = createRng(seed);
  const b = Array.from({ length: G }, () => { const a = rng.nextNormal(); const c = rng.nextNormal(); return [sdInt * a, sdSlope * (rho * a + Math.sqrt(1 - rho * rho) * c)]; });
  const pois = (mu: number) => { let k = 0; let p = Math.exp(-mu); let s = p; const r = rng.nextFloat(); while (r > s) { k++; p *= mu / k; s += p; } return k; };
  const x: number[][] = []; const z: number[][] = []; const y: number[] = []; const off: number[] = []; const g: string[] = [];
  for (let gi = 0; gi < G; gi++) for (let k = 0; k < per; k++) {
    const dep = rng.nextNormal(); const pop = 200 + rng.nextInt(800);
    const mu = pop * Math.exp(-4 + 0.5 * dep + b[gi][0] + b[gi][1] * dep);
    x.push([1, dep]); z.push([dep]); y.push(pois(mu)); off.push(Math.log(pop)); g.push(`G${String(gi).padStart(3, '0')}`);
  }
  return { x, z, y, off, g, b };
}

describe('fitGlmmSlopes', () => {
  it('recovers the fixed slope (95% CI) and the random-effect SDs and correlation (within sampling error of 80 groups)', () => {
    const s = simulate(11, 80, 25, 0.3, 0.15, 0.5);
    const f = fitGlmmSlopes({ y: s.y, x: s.x, names: ['(Intercept)', 'dep'], z: s.z, zNames: ['dep'], groups: s.g, offset: s.off });
    expect(f.converged).toBe(true);
    const t = f.tidy()[1];
    expect(Number(t['conf.low'])).toBeLessThan(0.5); expect(Number(t['conf.high'])).toBeGreaterThan(0.5);
    // SD estimates from G = 80 groups have sampling SD ≈ SD/√(2G) ≈ 8%; allow 3 of those
    expect(Math.abs(f.sdRandom[0] / 0.3 - 1)).toBeLessThan(0.25);
    expect(Math.abs(f.sdRandom[1] / 0.15 - 1)).toBeLessThan(0.25);
    expect(Math.abs(f.corRandom[1] - 0.5)).toBeLessThan(0.35);
    // conditional modes track the true group slopes
    const corr = pearson(s.b.map((v) => v[1]), Array.from({ length: 80 }, (_, g) => f.conditionalModes[g * 2 + 1]));
    expect(corr).toBeGreaterThan(0.8);
  });
  it('no slope variation: a singular fit is warned, β SEs stay finite (boundary θ held fixed)', () => {
    const s = simulate(12, 40, 20, 0.3, 0, 0);
    const f = fitGlmmSlopes({ y: s.y, x: s.x, names: ['(Intercept)', 'dep'], z: s.z, zNames: ['dep'], groups: s.g, offset: s.off });
    if (f.theta[2] < 1e-4) {
      expect(f.warnings.join(' ')).toMatch(/singular fit/);
      // the one number style (core/numberStyle): "0.183", not "1.83e-1"; scientific only below 1e-4, with U+2212
      expect(f.warnings.join(' ')).not.toMatch(/\de[+-]\d/);
      expect(f.warnings.join(' ')).toMatch(/θ diagonal \d\.\d+, /);
      expect(Array.from(f.se).every(Number.isFinite)).toBe(true);
    } else expect(f.sdRandom[1]).toBeLessThan(0.05);
    const t = f.tidy()[1];
    expect(Number(t['conf.low'])).toBeLessThan(0.5); expect(Number(t['conf.high'])).toBeGreaterThan(0.5);
  });
  it('fewer than 3 groups is an error', () => {
    expect(() => fitGlmmSlopes({ y: [1, 2, 3], x: [[1, 0], [1, 1], [1, 2]], z: [[0], [1], [2]], groups: ['a', 'a', 'b'] })).toThrow(/at least 3/);
  });
});

function pearson(a: number[], b: number[]): number {
  const n = a.length; const ma = a.reduce((s, v) => s + v, 0) / n; const mb = b.reduce((s, v) => s + v, 0) / n;
  let sab = 0; let saa = 0; let sbb = 0;
  for (let i = 0; i < n; i++) { sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) ** 2; sbb += (b[i] - mb) ** 2; }
  return sab / Math.sqrt(saa * sbb);
}
