// Robust (sandwich) variances, once for every estimator: HC0–HC3 for regression, and the
// cluster sandwich that regression (sandwich::vcovCL) and Cox (grouped dfbeta, D′D) share.
import { crossprod, sandwich } from './linalg';
import { labelCodes } from './groups';
import { degenerateMessage, guardVariance, nanMatrix } from './guard';

/**
 * Meat of a sandwich from per-row scores s_i x_i: Σ_i s_i² x_i x_iᵀ (cluster = null), or
 * Σ_g u_g u_gᵀ with u_g = Σ_{i∈g} s_i x_i (cluster codes 0..G−1). Returns the p × p meat.
 */
export function scoreMeat(x: Float64Array, n: number, p: number, score: Float64Array, cluster: Int32Array | null, nClusters: number): Float64Array {
  if (!cluster) {
    const sq = new Float64Array(n);
    for (let i = 0; i < n; i++) sq[i] = score[i] * score[i];
    return crossprod(x, n, p, sq);
  }
  const U = new Float64Array(nClusters * p);
  for (let i = 0; i < n; i++) {
    const s = score[i];
    if (s === 0) continue;
    const off = i * p; const go = cluster[i] * p;
    for (let a = 0; a < p; a++) U[go + a] += s * x[off + a];
  }
  return crossprod(U, nClusters, p, null);
}

/** Per-row hat values hᵢ = ‖x̃ᵢ R⁻¹‖² from the kept columns x̃ (n × r) and Rinv (r × r upper). */
export function hatValues(x: Float64Array, n: number, r: number, Rinv: Float64Array): Float64Array {
  const h = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const off = i * r;
    let s2 = 0;
    for (let j = 0; j < r; j++) {
      let s = 0;
      for (let k = 0; k <= j; k++) s += x[off + k] * Rinv[k * r + j];
      s2 += s * s;
    }
    h[i] = s2;
  }
  return h;
}

/** A hat value within √ε of 1 is 1 up to rounding (sandwich::vcovHC then warns and gives NaN). */
const LEVERAGE_ONE_TOL = Math.sqrt(2.220446049250313e-16);

/**
 * Heteroskedasticity-consistent variance, as sandwich::vcovHC(type = HC0..HC3):
 * bread · Σ ωᵢ sᵢ² xᵢxᵢᵀ · bread, with ωᵢ = 1 (HC0), n/(n−k) overall (HC1), 1/(1−hᵢ) (HC2),
 * 1/(1−hᵢ)² (HC3). Inputs: bread (k × k), x (n × k row-major), per-row scores s (n), hat values
 * (n, needed for HC2/HC3). Output: V (k × k) and warnings. A hat value of 1 (to √ε) makes
 * HC2/HC3 undefined: V is all NaN and the warning names the observations (1-based, as R).
 */
export function hcVariance(type: 'HC0' | 'HC1' | 'HC2' | 'HC3', bread: Float64Array, x: Float64Array, n: number, k: number,
  score: Float64Array, hat: Float64Array | null, who: string): { V: Float64Array; warnings: string[] } {
  const s = Float64Array.from(score);
  if (type === 'HC2' || type === 'HC3') {
    if (!hat) throw new Error(`${who}: ${type} needs hat values`);
    const ones: number[] = [];
    for (let i = 0; i < n; i++) if (Math.abs(1 - hat[i]) < LEVERAGE_ONE_TOL) ones.push(i + 1);
    if (ones.length) return { V: nanMatrix(k), warnings: [degenerateMessage(who, { kind: 'leverage-one', observations: ones })] };
    for (let i = 0; i < n; i++) { const d = 1 - hat[i]; s[i] = type === 'HC2' ? s[i] / Math.sqrt(d) : s[i] / d; }
  }
  const V = sandwich(bread, scoreMeat(x, n, k, s, null, 0), k);
  if (type === 'HC1') { const adj = n / (n - k); for (let i = 0; i < k * k; i++) V[i] *= adj; }
  return { V, warnings: [] };
}

/**
 * Cluster-robust sandwich as sandwich::vcovCL: bread · Σ_g u_g u_gᵀ · bread × G/(G−1), and
 * × (n−1)/(n−k) for clusterType 'HC1'. Inputs: bread (k × k), x (n × k), scores s (n), cluster
 * ids (any values, none missing), who (fitter name). Output: V, G and warnings. With one cluster
 * the variance does not exist (Σ u_g u_gᵀ is the squared total score, 0 at the estimate): V is
 * NaN with a warning; a coefficient whose variance is at rounding level of the model-based scale
 * (bread · mean score²) is NaN with a warning naming it (`names`, default 'column j'). Failure: throws when ids
 * are absent or have the wrong length.
 */
export function clusterVariance(bread: Float64Array, x: Float64Array, n: number, k: number, score: Float64Array,
  cluster: ArrayLike<unknown> | undefined, clusterType: 'HC0' | 'HC1', who: string, kAdj = k, names?: readonly string[]): { V: Float64Array; G: number; warnings: string[] } {
  if (!cluster) throw new Error(`${who}: vcov 'cluster' needs \`cluster\` ids`);
  const { codes, levels } = labelCodes(cluster, n, `${who}: cluster`);
  const G = levels.length;
  if (G < 2) return { V: nanMatrix(k), G, warnings: [degenerateMessage(who, { kind: 'one-cluster', nClusters: G })] };
  const V = sandwich(bread, scoreMeat(x, n, k, score, codes, G), k);
  let adj = G / (G - 1);
  // kAdj: parameters in the (n − 1)/(n − k) factor, including absorbed fixed effects.
  if (clusterType === 'HC1') adj *= (n - 1) / (n - kAdj);
  for (let i = 0; i < k * k; i++) V[i] *= adj;
  // A coefficient whose every cluster score sum is 0 (a cluster-level dummy whose cluster is the
  // only one it touches, e.g. a factor nested in the clusters) gets a variance of rounding size
  // relative to the model-based one: no variance (NaN), named, as Cox's robust variance.
  // Reference: bread · mean(score²), the model-based variance's scale whether or not the bread
  // carries σ² (OLS passes (XᵀX)⁻¹, logit the inverse information).
  let ms = 0;
  for (let i = 0; i < n; i++) ms += score[i] * score[i];
  ms /= n;
  const bad = guardVariance(V, k, names ?? Array.from({ length: k }, (_, j) => `column ${j + 1}`), Array.from({ length: k }, (_, j) => bread[j * k + j] * ms));
  return { V, G, warnings: bad.length ? [`${degenerateMessage(who, { kind: 'zero-variance', terms: bad })} (every cluster's score sum is 0 for these: the term is constant within clusters and fitted exactly)`] : [] };
}

/**
 * Grouped infinitesimal-jackknife variance V·(Σ_g u_g u_gᵀ)·V from per-group score sums u_g
 * (G × p row-major) and the model-based variance V (p × p): Cox's D′D with D = U·V
 * (survival's residuals(type = "dfbeta", collapse = cluster), no small-sample factor).
 */
export function groupedJackknifeVariance(groupScores: Float64Array, G: number, p: number, varModel: Float64Array): Float64Array {
  return sandwich(varModel, crossprod(groupScores, G, p, null), p);
}
