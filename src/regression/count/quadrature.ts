/**
 * Gauss–Hermite rule for the standard normal density (lme4's GHrule): nodes z_k, weights w_k with
 * Σ w_k f(z_k) ≈ ∫ f(z) φ(z) dz. Golub–Welsch: the nodes are the eigenvalues of the Jacobi matrix
 * of the probabilists' Hermite polynomials (off-diagonal √k), weights the squared first
 * components of its unit eigenvectors. The eigen-solver is ml-matrix's.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

const cache = new Map<number, { z: Float64Array; w: Float64Array }>();

/**
 * The k-node Gauss–Hermite rule for the standard normal density (lme4's GHrule): nodes z (ascending,
 * exactly symmetric) and weights w summing to 1, exact for polynomials of degree ≤ 2k − 1. Cached
 * per k. Errors: k not an integer in 1..100. Source: Golub & Welsch (1969).
 */
export function ghRule(k: number): { z: Float64Array; w: Float64Array } {
  if (!Number.isInteger(k) || k < 1 || k > 100) throw new Error(`nAGQ must be an integer in 1..100, got ${k}`);
  const hit = cache.get(k);
  if (hit) return hit;
  let rule: { z: Float64Array; w: Float64Array };
  if (k === 1) rule = { z: Float64Array.of(0), w: Float64Array.of(1) };
  else {
    const J = Matrix.zeros(k, k);
    for (let i = 1; i < k; i++) { J.set(i, i - 1, Math.sqrt(i)); J.set(i - 1, i, Math.sqrt(i)); }
    const e = new EigenvalueDecomposition(J, { assumeSymmetric: true });
    const vals = e.realEigenvalues; const V = e.eigenvectorMatrix;
    const order = vals.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
    const z = new Float64Array(k); const w = new Float64Array(k);
    order.forEach(([v, i], r) => { z[r] = v; w[r] = V.get(0, i) ** 2; });
    // Exact symmetry: average mirrored nodes so the rule integrates odd functions to 0.
    for (let r = 0; r < k / 2; r++) {
      const a = (z[k - 1 - r] - z[r]) / 2; const b = (w[r] + w[k - 1 - r]) / 2;
      z[r] = -a; z[k - 1 - r] = a; w[r] = b; w[k - 1 - r] = b;
    }
    if (k % 2 === 1) z[(k - 1) / 2] = 0;
    let s = 0; for (let r = 0; r < k; r++) s += w[r];
    for (let r = 0; r < k; r++) w[r] /= s;
    rule = { z, w };
  }
  cache.set(k, rule);
  return rule;
}
