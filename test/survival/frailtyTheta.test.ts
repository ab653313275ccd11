// The θ search of the gamma frailty Cox model: the I-likelihood's slope (envelope theorem) against
// finite differences of fitted I-likelihoods at fixed θ (coxph's frailty(g, theta = θ)), the
// correction's slope against an exact sum where digamma differences cancel (small θ), and the
// root search on known curves (interior maximum, boundary 0, search limit).
import { describe, expect, it } from 'vitest';
import { fitCox } from '../../src/survival/cox';
import { gammaCorrection, iLikelihoodSlope, searchTheta } from '../../src/survival/frailtyTheta';

function lcg(seed: number) { let s = seed >>> 0; return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32); }

function simulate(n: number, G: number, sdFrailty: number) {
  const rnd = lcg(11);
  const u = Array.from({ length: G }, () => sdFrailty * (rnd() + rnd() + rnd() - 1.5) * 2);
  const g = Array.from({ length: n }, () => Math.floor(rnd() * G));
  const x = Array.from({ length: n }, () => [rnd() * 2 - 1, rnd() < 0.4 ? 1 : 0]);
  const time = x.map((xi, i) => Math.ceil(-Math.log(rnd()) / (0.05 * Math.exp(0.5 * xi[0] - 0.3 * xi[1] + u[g[i]]))));
  const event = time.map(() => (rnd() < 0.8 ? 1 : 0));
  return { time, event, x, g };
}

describe('iLikelihoodSlope', () => {
  it('equals the central difference of the I-likelihood over fixed-θ fits', () => {
    const d = simulate(600, 12, 0.5);
    const iLik = (theta: number) => fitCox({ time: d.time, event: d.event, x: d.x, frailty: d.g, frailtyTheta: theta, ties: 'efron' });
    for (const theta of [0.05, 0.3]) {
      const h = 1e-4 * theta;
      const fd = (iLik(theta + h).iLikelihood - iLik(theta - h).iLikelihood) / (2 * h);
      const f = iLik(theta);
      const events = new Float64Array(f.frailtyLevels.length);
      d.g.forEach((gi, i) => { events[f.frailtyLevels.indexOf(String(gi))] += d.event[i]; });
      const slope = iLikelihoodSlope(theta, f.frailties, events);
      expect(Math.abs(slope - fd), `θ = ${theta}: ${slope} vs ${fd}`).toBeLessThan(1e-5 * (1 + Math.abs(fd)));
    }
  });
  it('keeps full precision as θ → 0, where the digamma differences cancel', () => {
    // With w = 0 the slope is −θ⁻² Σ_j [ψ(ν + d_j) − ψ(ν) − log(1 + d_j/ν)], and for integer d_j
    // ψ(ν + d) − ψ(ν) = Σ_{i<d} 1/(ν + i) exactly.
    const events = Float64Array.from([1, 7, 30, 0, 250]);
    for (const theta of [0.05, 0.004, 1e-3, 1e-5]) {
      const nu = 1 / theta;
      let ref = 0;
      for (const dj of events) { let s = 0; for (let i = 0; i < dj; i++) s += 1 / (nu + i); ref += s - Math.log1p(dj / nu); }
      ref = -ref / (theta * theta);
      const got = iLikelihoodSlope(theta, new Float64Array(events.length), events);
      expect(Math.abs(got / ref - 1), `θ = ${theta}: ${got} vs ${ref}`).toBeLessThan(theta < 1e-4 ? 1e-6 : 1e-9);
    }
  });
  it('gammaCorrection is 0 at θ = 0 and its slope matches iLikelihoodSlope with w = 0', () => {
    const events = Float64Array.from([3, 12, 40]);
    expect(gammaCorrection(0, events)).toBe(0);
    const theta = 0.2;
    const h = 1e-5;
    const fd = (gammaCorrection(theta + h, events) - gammaCorrection(theta - h, events)) / (2 * h);
    expect(iLikelihoodSlope(theta, new Float64Array(3), events)).toBeCloseTo(fd, 5);
  });
});

describe('searchTheta', () => {
  it('finds an interior maximum from the slope in few evaluations', () => {
    let calls = 0;
    const r = searchTheta((t) => { calls++; return { v: -((t - 0.37) ** 2), dv: t > 0 ? -2 * (t - 0.37) : NaN }; });
    expect(r.theta).toBeCloseTo(0.37, 9);
    expect(r.boundary).toBe(false);
    expect(calls).toBeLessThan(12);
  });
  it('returns the boundary 0 when the I-likelihood falls from θ = 0, and warns at the search limit', () => {
    const down = searchTheta((t) => ({ v: -t, dv: t > 0 ? -1 : NaN }));
    expect(down).toEqual({ theta: 0, boundary: true, warning: null });
    const up = searchTheta((t) => ({ v: t, dv: t > 0 ? 1 : NaN }));
    expect(up.boundary).toBe(false);
    expect(up.warning).toMatch(/search limit/);
  });
});
