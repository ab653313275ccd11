// Modal / BCH step-3 estimators of src/lca/distal/weighted against the M-estimation they stand
// for, computed independently: the estimates solve Σ_i w_i ψ_i(θ) = 0, and the covariance is the
// full sandwich A⁻¹ M A⁻ᵀ with A the numerical Jacobian of Σ w ψ (not assumed diagonal) and
// M = Σ w ψ ψᵀ. ψ per row and class k: shares b_k − π_k; normal b_k (y − μ_k) and
// b_k ((y − μ_k)² − σ²_k) (common variance: summed over k); categorical b_k ([y = c] − p_kc).
// deltaToNatural is checked against a numerical Jacobian of naturalFromTheta.
import { Matrix, inverse } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/random';
import { naturalFromTheta, newNatural, nThetaParams, setDerived, thetaFromNatural, type Model, type Units } from '../../../src/lca/distal/model';
import { deltaToNatural, weightedEstimates } from '../../../src/lca/distal/weighted';

const K = 3;
const m = 60;

function units(mod: Model, bch: boolean, seed: number): Units {
  const rng = createRng(seed);
  const s = new Int32Array(m); const y = new Float64Array(m); const w = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    s[i] = i % K; // every class assigned
    y[i] = mod.kind === 'normal' ? s[i] + rng.nextNormal() : rng.nextFloat() < 0.5 ? s[i] % mod.C : rng.nextInt(mod.C);
    w[i] = 0.5 + rng.nextFloat();
  }
  let b: Float64Array | null = null;
  if (bch) {
    // D: P(assigned s | true k), rows summing to 1; BCH weights are rows of D⁻¹ (some negative)
    const D = new Matrix(Array.from({ length: K }, (_, r) => Array.from({ length: K }, (_, c) => (r === c ? 0.88 : 0) + 0.04)));
    const Di = inverse(D);
    b = new Float64Array(m * K);
    for (let i = 0; i < m; i++) for (let k = 0; k < K; k++) b[i * K + k] = Di.get(s[i], k);
  }
  return { m, s, y, w, b, W: w.reduce((a, v) => a + v, 0) };
}

/** Σ_i w_i ψ_i(θ) and the rows ψ_i, θ in weightedEstimates' order. */
function psiRows(u: Units, mod: Model, th: ArrayLike<number>): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i < u.m; i++) {
    const bk = Array.from({ length: K }, (_, k) => (u.b ? u.b[i * K + k] : u.s[i] === k ? 1 : 0));
    const r: number[] = bk.map((v, k) => v - th[k]);
    if (mod.kind === 'normal') {
      for (let k = 0; k < K; k++) r.push(bk[k] * (u.y[i] - th[K + k]));
      if (mod.common) r.push(bk.reduce((a, v, k) => a + v * ((u.y[i] - th[K + k]) ** 2 - th[2 * K]), 0));
      else for (let k = 0; k < K; k++) r.push(bk[k] * ((u.y[i] - th[K + k]) ** 2 - th[2 * K + k]));
    } else {
      for (let k = 0; k < K; k++) for (let c = 0; c < mod.C; c++) r.push(bk[k] * ((u.y[i] === c ? 1 : 0) - th[K + k * mod.C + c]));
    }
    rows.push(r);
  }
  return rows;
}
const total = (u: Units, rows: number[][]) => rows[0].map((_, a) => rows.reduce((s, r, i) => s + u.w[i] * r[a], 0));

function sandwichByHand(u: Units, mod: Model, est: Float64Array): number[][] {
  const P = est.length;
  const h = 1e-6;
  const A = Matrix.zeros(P, P);
  for (let b = 0; b < P; b++) {
    const up = Array.from(est); up[b] += h;
    const dn = Array.from(est); dn[b] -= h;
    const gu = total(u, psiRows(u, mod, up)); const gd = total(u, psiRows(u, mod, dn));
    for (let a = 0; a < P; a++) A.set(a, b, (gu[a] - gd[a]) / (2 * h));
  }
  const M = Matrix.zeros(P, P);
  psiRows(u, mod, est).forEach((r, i) => { for (let a = 0; a < P; a++) for (let b = 0; b < P; b++) M.set(a, b, M.get(a, b) + u.w[i] * r[a] * r[b]); });
  const Ai = inverse(A);
  return Ai.mmul(M).mmul(Ai.transpose()).to2DArray();
}

const cases: [string, Model, boolean][] = [
  ['modal, normal, class-specific variances', { K, kind: 'normal', C: 0, common: false }, false],
  ['BCH, normal, common variance', { K, kind: 'normal', C: 0, common: true }, true],
  ['BCH, categorical (3 levels)', { K, kind: 'categorical', C: 3, common: false }, true],
];

describe('weightedEstimates', () => {
  cases.forEach(([name, mod, bch], t) => {
    it(`${name}: solves Σ w ψ = 0 and its vcov is the full sandwich`, () => {
      const u = units(mod, bch, 31 + t);
      const warnings: string[] = [];
      const { est, vcov } = weightedEstimates(u, mod, warnings, 'test');
      expect(warnings).toEqual([]);
      total(u, psiRows(u, mod, est)).forEach((g) => expect(Math.abs(g)).toBeLessThan(1e-10));
      const V = sandwichByHand(u, mod, est);
      V.forEach((row, a) => row.forEach((v, b) => expect(vcov[a][b]).toBeCloseTo(v, 7)));
      expect(V[K][K]).toBeGreaterThan(1e-4); // the comparison is not between zeros
    });
  });
  it('a class with no weight gives NaN estimates and a warning naming it', () => {
    const mod: Model = { K, kind: 'normal', C: 0, common: false };
    const u = units(mod, false, 5);
    for (let i = 0; i < m; i++) if (u.s[i] === 2) u.s[i] = 0;
    const warnings: string[] = [];
    const { est } = weightedEstimates(u, mod, warnings, 'distal');
    expect(est[2]).toBe(0);
    expect(Number.isNaN(est[K + 2])).toBe(true);
    expect(warnings.some((w) => /distal: class 3 has total weight 0 ≤ 0/.test(w))).toBe(true);
  });
});

describe('deltaToNatural', () => {
  for (const mod of [{ K, kind: 'normal', C: 0, common: false }, { K, kind: 'categorical', C: 3, common: false }] as Model[]) {
    it(`${mod.kind}: J V Jᵀ with J the numerical Jacobian of θ → natural parameters`, () => {
      const nat = newNatural(mod);
      nat.pi.set([0.5, 0.3, 0.2]);
      if (mod.kind === 'normal') { nat.mu.set([-1, 0, 1.5]); nat.s2.set([0.6, 1, 2]); } else nat.p.set([0.2, 0.3, 0.5, 0.6, 0.3, 0.1, 0.1, 0.1, 0.8]);
      setDerived(nat, mod);
      const P = nThetaParams(mod);
      const theta = new Float64Array(P);
      thetaFromNatural(nat, mod, theta);
      const flat = (th: Float64Array): number[] => {
        const n2 = newNatural(mod); naturalFromTheta(th, mod, n2);
        return mod.kind === 'normal' ? [...n2.pi, ...n2.mu, ...n2.s2] : [...n2.pi, ...n2.p];
      };
      const rng = createRng(3);
      const L = Matrix.rand(P, P, { random: () => rng.nextFloat() });
      const Vt = L.mmul(L.transpose()).to2DArray();
      const h = 1e-6;
      const cols = Array.from({ length: P }, (_, b) => {
        const up = theta.slice(); up[b] += h; const dn = theta.slice(); dn[b] -= h;
        const fu = flat(up); const fd = flat(dn);
        return fu.map((v, a) => (v - fd[a]) / (2 * h));
      });
      const J = new Matrix(cols).transpose();
      const expected = J.mmul(new Matrix(Vt)).mmul(J.transpose()).to2DArray();
      const { est, vcov } = deltaToNatural(nat, mod, Vt);
      flat(theta).forEach((v, a) => expect(est[a]).toBeCloseTo(v, 12));
      expected.forEach((row, a) => row.forEach((v, b) => expect(vcov[a][b]).toBeCloseTo(v, 7)));
    });
  }
});
