// Which design columns are linearly independent (R's rank rule), for dropping aliased terms.
import type { DenseMatrix } from '../core/matrix';

/**
 * Linearly independent columns of x, in order, by a sequential (unpivoted except for drops)
 * Cholesky of the column-scaled cross-product — the analogue of R's dqrdc2 rule that moves a
 * column aside when its residual norm, after projecting on earlier kept columns, falls below
 * `tol` times its own norm. Inputs: x (n × p). Output: kept column indices. All-zero columns
 * are always dropped. tol defaults to 1e-7 on the norm ratio (R's lm default), applied to the
 * squared ratio; a cross-product Cholesky cannot resolve ratios below ~1e-7, which matches.
 */
export function independentColumns(x: DenseMatrix, tol = 1e-7): number[] {
  const { nrow: n, ncol: p, data } = x;
  const g = new Float64Array(p * p);
  const row = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    const off = i * p;
    for (let a = 0; a < p; a++) row[a] = data[off + a];
    for (let a = 0; a < p; a++) {
      const xa = row[a];
      if (xa === 0) continue;
      const ga = a * p;
      for (let b = a; b < p; b++) g[ga + b] += xa * row[b];
    }
  }
  const scale = new Float64Array(p);
  for (let a = 0; a < p; a++) scale[a] = g[a * p + a] > 0 ? 1 / Math.sqrt(g[a * p + a]) : 0;
  // L stored row-major lower triangle over kept columns.
  const kept: number[] = [];
  const L: Float64Array[] = [];
  const thr = Math.max(tol * tol, 1e-10);
  for (let j = 0; j < p; j++) {
    if (scale[j] === 0) continue;
    const lj = new Float64Array(kept.length + 1);
    for (let a = 0; a < kept.length; a++) {
      const k = kept[a];
      const gkj = (k < j ? g[k * p + j] : g[j * p + k]) * scale[k] * scale[j];
      let s = gkj;
      const lk = L[a];
      for (let b = 0; b < a; b++) s -= lk[b] * lj[b];
      lj[a] = s / lk[a];
    }
    let d = 1;
    for (let a = 0; a < kept.length; a++) d -= lj[a] * lj[a];
    if (d <= thr) continue;
    lj[kept.length] = Math.sqrt(d);
    kept.push(j);
    L.push(lj);
  }
  return kept;
}
