// ML step 3 of src/lca/distal/ml against the log-likelihood written out directly,
// ℓ(θ) = Σ_u w_u log Σ_k D[k][s_u] π_k f_k(y_u) (Vermunt 2010; Bakk et al. 2013), with
// θ = (share logits, means and log variances | level logits) of src/lca/distal/model:
// passOver's ℓ, scoreFromStats against a central-difference gradient, and fitMl's estimate is a
// stationary maximum whose observed information is the numerical Hessian.
import { Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/random';
import { fitMl, passOver, scoreFromStats } from '../../../src/lca/distal/ml';
import { naturalFromTheta, newNatural, nThetaParams, setDerived, type Model, type Natural, type Units } from '../../../src/lca/distal/model';

const K = 3;
// D[k][s] = P(assigned s | true k), rows summing to 1
const D = [[0.8, 0.15, 0.05], [0.1, 0.8, 0.1], [0.05, 0.15, 0.8]];
const LOG_D = Float64Array.from(D.flat().map(Math.log));

function units(mod: Model, m: number, seed: number): Units {
  const rng = createRng(seed);
  const s = new Int32Array(m); const y = new Float64Array(m); const w = new Float64Array(m);
  const probs = [[0.7, 0.2, 0.1], [0.2, 0.6, 0.2], [0.1, 0.3, 0.6]];
  for (let i = 0; i < m; i++) {
    const u = rng.nextFloat(); const k = u < 0.5 ? 0 : u < 0.8 ? 1 : 2;
    const v = rng.nextFloat(); s[i] = v < D[k][0] ? 0 : v < D[k][0] + D[k][1] ? 1 : 2;
    if (mod.kind === 'normal') y[i] = [-1, 0.5, 2][k] + (mod.common ? 0.8 : [0.6, 0.9, 1.2][k]) * rng.nextNormal();
    else { const c = rng.nextFloat(); y[i] = c < probs[k][0] ? 0 : c < probs[k][0] + probs[k][1] ? 1 : 2; }
    w[i] = 0.5 + rng.nextFloat();
  }
  return { m, s, y, w, b: null, W: w.reduce((a, v) => a + v, 0) };
}

function directLogLik(u: Units, mod: Model, theta: Float64Array): number {
  const nat = newNatural(mod);
  naturalFromTheta(theta, mod, nat);
  let ll = 0;
  for (let i = 0; i < u.m; i++) {
    let tot = 0;
    for (let k = 0; k < K; k++) {
      const f = mod.kind === 'normal'
        ? Math.exp(-((u.y[i] - nat.mu[k]) ** 2) / (2 * nat.s2[k])) / Math.sqrt(2 * Math.PI * nat.s2[k])
        : nat.p[k * mod.C + u.y[i]];
      tot += D[k][u.s[i]] * nat.pi[k] * f;
    }
    ll += u.w[i] * Math.log(tot);
  }
  return ll;
}

function gradient(u: Units, mod: Model, theta: Float64Array): number[] {
  return Array.from(theta, (_, a) => {
    const h = 1e-6;
    const up = theta.slice(); up[a] += h; const dn = theta.slice(); dn[a] -= h;
    return (directLogLik(u, mod, up) - directLogLik(u, mod, dn)) / (2 * h);
  });
}

const MODELS: [string, Model][] = [
  ['normal, class-specific variances', { K, kind: 'normal', C: 0, common: false }],
  ['normal, common variance', { K, kind: 'normal', C: 0, common: true }],
  ['categorical, 3 levels', { K, kind: 'categorical', C: 3, common: false }],
];

describe('passOver and scoreFromStats', () => {
  MODELS.forEach(([name, mod], t) => {
    it(`${name}: ℓ and ∂ℓ/∂θ equal the direct log-likelihood and its numerical gradient`, () => {
      const u = units(mod, 200, 7 + t);
      const P = nThetaParams(mod);
      const rng = createRng(40 + t);
      const theta = Float64Array.from({ length: P }, () => 0.6 * rng.nextNormal());
      const nat: Natural = newNatural(mod);
      naturalFromTheta(theta, mod, nat);
      const stats = new Float64Array(3 * K + K * mod.C);
      const ll = passOver(u, mod, LOG_D, nat, stats, new Float64Array(K));
      expect(ll).toBeCloseTo(directLogLik(u, mod, theta), 9);
      const g = new Float64Array(P);
      scoreFromStats(stats, nat, mod, u.W, g);
      const num = gradient(u, mod, theta);
      expect(Math.max(...num.map(Math.abs))).toBeGreaterThan(1); // away from the maximum: informative
      num.forEach((v, a) => expect(g[a]).toBeCloseTo(v, 5));
    });
  });
});

describe('fitMl', () => {
  MODELS.forEach(([name, mod], t) => {
    it(`${name}: a stationary maximum of the direct log-likelihood, information = −Hessian`, () => {
      const u = units(mod, 600, 20 + t);
      const nat = newNatural(mod);
      nat.pi.set([1 / 3, 1 / 3, 1 / 3]);
      if (mod.kind === 'normal') { nat.mu.set([-0.5, 0, 1]); nat.s2.fill(1); } else nat.p.set([0.5, 0.3, 0.2, 0.3, 0.4, 0.3, 0.2, 0.3, 0.5]);
      setDerived(nat, mod);
      const r = fitMl(u, mod, LOG_D, nat, 2000, 1e-12);
      expect(r.converged).toBe(true);
      expect(r.warnings).toEqual([]);
      expect(r.logLik).toBeCloseTo(directLogLik(u, mod, r.theta), 8);
      gradient(u, mod, r.theta).forEach((v) => expect(Math.abs(v)).toBeLessThan(1e-4));
      const P = r.theta.length;
      const h = 1e-4;
      const H = Matrix.zeros(P, P);
      for (let a = 0; a < P; a++) {
        const up = r.theta.slice(); up[a] += h; const dn = r.theta.slice(); dn[a] -= h;
        const gu = gradient(u, mod, up); const gd = gradient(u, mod, dn);
        for (let b = 0; b < P; b++) H.set(a, b, -(gu[b] - gd[b]) / (2 * h));
      }
      for (let a = 0; a < P; a++) for (let b = 0; b < P; b++) {
        const scale = Math.sqrt(Math.abs(H.get(a, a) * H.get(b, b)));
        expect(Math.abs(r.info![a][b] - H.get(a, b)) / scale).toBeLessThan(1e-3);
      }
      // a maximum: every coordinate move lowers ℓ
      for (let a = 0; a < P; a++) for (const d of [-1e-3, 1e-3]) {
        const th = r.theta.slice(); th[a] += d;
        expect(directLogLik(u, mod, th)).toBeLessThan(r.logLik);
      }
      // the estimates recover the truth roughly (600 units): shares within 0.1
      [0.5, 0.3, 0.2].forEach((p, k) => expect(Math.abs(r.nat.pi[k] - p)).toBeLessThan(0.1));
    });
  });
});
