/**
 * Ordinary / weighted least squares with classical, HC0–HC3 and cluster-robust variances.
 */
import { pFUpper } from '../core/distributions';
import {
  checkDesign, checkVector, coefTable, defaultNames, interceptIndex, tidyRows,
  type ClusterInput, type FitBase, type RegressionInputBase, type TidyRow, type VcovType,
} from './fitBase';
import { crossprodInverseFromR, householderQr, invUpper, qrQty, qrR } from '../core/qr';
import { cholesky, cholInverse, selectColumns } from '../core/linalg';
import { clusterVariance, hatValues, hcVariance } from '../core/robust';
import { absorbWithin } from './absorb';
import { toRows } from '../core/matrix';
import { degenerateMessage, nanMatrix } from '../core/guard';
import { formatWhole } from '../core/numberStyle';

export interface FitOlsInput extends RegressionInputBase, ClusterInput {
  /** Analytic (precision) weights, > 0: minimises Σ wᵢ eᵢ², as R's lm(weights =). */
  readonly weights?: ArrayLike<number>;
  readonly vcov?: VcovType;
  /** Rank tolerance of the QR (R's lm default 1e-7). */
  readonly tol?: number;
  /**
   * Fixed-effect group ids to absorb (within transformation, see absorb.ts) instead of dummy
   * columns. Coefficients, residuals, RSS, R², classical and cluster SEs equal lm(y ~ x + factor(g))
   * with vcovCL(type = 'HC1'): the absorbed levels count in the residual df and in the
   * small-sample factor (n − 1)/(n − k) — fixest's ssc(fixef.K = "full"). HC2/HC3 are refused.
   */
  readonly absorb?: ArrayLike<unknown>;
}

export interface FStat { readonly value: number; readonly df1: number; readonly df2: number; readonly p: number }

export interface OlsFit extends FitBase {
  readonly model: 'ols';
  readonly dfResidual: number;
  readonly rss: number;
  readonly sigma: number;
  readonly r2: number;
  readonly adjR2: number;
  /** Classical overall F test of all non-intercept coefficients (R's summary.lm). */
  readonly F: FStat | null;
  /**
   * Wald F of all non-intercept coefficients with the fit's vcov (b′V⁻¹b / q); for cluster vcov
   * df2 = G − 1 as Stata reports it, otherwise df2 = n − k (as lmtest::waldtest). Equals F for
   * classical vcov.
   */
  readonly fWald: FStat | null;
  readonly fitted: Float64Array;
  readonly residuals: Float64Array;
  readonly hasIntercept: boolean;
  /** Classical vcov, kept for anova/nested tests regardless of the reported vcov type. */
  readonly vcovClassical: readonly (readonly number[])[];
}

/**
 * fitOls. Inputs: y (n), x (n × p, no implicit intercept), optional weights (> 0), vcov type,
 * cluster ids. Output: a frozen OlsFit. Solved by Householder QR with R's rank rule; aliased
 * columns are reported in `aliased` and left out of the coefficient vectors. Fails with a clear
 * message on non-finite input, length mismatches, or vcov 'cluster' without cluster ids.
 */
export function fitOls(input: FitOlsInput): OlsFit {
  const X0 = checkDesign(input.x, undefined);
  const n = X0.nrow;
  const y0 = checkVector(input.y, n, 'y');
  const w = input.weights ? checkVector(input.weights, n, 'weights', { positive: true }) : null;
  const vcovType = input.vcov ?? 'classical';
  // Absorbed fixed effects: fit the demeaned problem; nAbsorbed parameters are counted in df.
  const ab = input.absorb ? absorbWithin(X0.data, n, X0.ncol, defaultNames(X0.ncol, input.names), y0, input.absorb, w, 'fitOls') : null;
  if (ab && (vcovType === 'HC1' || vcovType === 'HC2' || vcovType === 'HC3')) throw new Error(`fitOls: vcov '${vcovType}' is not available with absorbed fixed effects (use classical, HC0 or cluster)`);
  const X = ab ? { nrow: n, ncol: ab.p, data: ab.x } : X0;
  const p0 = X.ncol;
  const y = ab ? ab.y : y0;
  const nAbsorbed = ab ? ab.nLevels : 0;
  const allNames = ab ? ab.names : defaultNames(p0, input.names);
  const level = input.level ?? 0.95;
  const warnings: string[] = [];
  if (n === 0) throw new Error('fitOls: no rows');

  // Weighted problem as OLS on sqrt(w)-scaled rows.
  let xs = X.data; let ys = y;
  let sw: Float64Array | null = null;
  if (w) {
    sw = new Float64Array(n);
    for (let i = 0; i < n; i++) sw[i] = Math.sqrt(w[i]);
    xs = new Float64Array(n * p0);
    ys = new Float64Array(n);
    for (let i = 0; i < n; i++) { const s = sw[i]; ys[i] = y[i] * s; for (let j = 0; j < p0; j++) xs[i * p0 + j] = X.data[i * p0 + j] * s; }
  }
  const qr = householderQr(xs, n, p0, input.tol ?? 1e-7);
  const r = qr.rank;
  const keptIdx = Array.from(qr.pivot.subarray(0, r));
  const names = keptIdx.map((j) => allNames[j]);
  const aliased = Array.from(qr.pivot.subarray(r)).sort((a, b) => a - b).map((j) => allNames[j]);
  if (aliased.length) warnings.push(`${aliased.length} coefficient(s) not defined because of singularities: ${aliased.join(', ')}`);
  if (n <= r + nAbsorbed) throw new Error(`fitOls: ${formatWhole(n)} rows but ${formatWhole(r + nAbsorbed)} coefficients; no residual degrees of freedom`);

  const qty = Float64Array.from(ys);
  qrQty(qr, qty);
  const R = qrR(qr);
  const beta = new Float64Array(r);
  for (let i = r - 1; i >= 0; i--) {
    let s = qty[i];
    for (let k = i + 1; k < r; k++) s -= R[i * r + k] * beta[k];
    beta[i] = s / R[i * r + i];
  }
  const xk = r === p0 ? X.data : selectColumns(X.data, n, p0, keptIdx);
  const xks = r === p0 ? xs : selectColumns(xs, n, p0, keptIdx);
  const fitted = new Float64Array(n);
  const resid = new Float64Array(n);
  let rss = 0;
  for (let i = 0; i < n; i++) {
    let f = 0;
    const off = i * r;
    for (let j = 0; j < r; j++) f += xk[off + j] * beta[j];
    const e = y[i] - f;
    fitted[i] = ab ? y0[i] - e : f;
    resid[i] = e;
    rss += (w ? w[i] : 1) * e * e;
  }
  const df = n - r - nAbsorbed;
  const sigma2 = rss / df;
  const bread = crossprodInverseFromR(R, r);
  const Vclassical = new Float64Array(r * r);
  for (let i = 0; i < r * r; i++) Vclassical[i] = sigma2 * bread[i];

  let V: Float64Array;
  let nClusters: number | undefined;
  if (vcovType === 'classical') V = Vclassical;
  else {
    // Scores on the scaled problem: ẽᵢ x̃ᵢ = wᵢ eᵢ xᵢ.
    const score = new Float64Array(n);
    for (let i = 0; i < n; i++) score[i] = sw ? sw[i] * resid[i] : resid[i];
    if (vcovType === 'cluster') {
      const cl = clusterVariance(bread, xks, n, r, score, input.cluster, input.clusterType ?? 'HC1', 'fitOls', r + nAbsorbed, names);
      V = cl.V;
      nClusters = cl.G;
      warnings.push(...cl.warnings);
    } else if (vcovType === 'HC0' || vcovType === 'HC1' || vcovType === 'HC2' || vcovType === 'HC3') {
      const hat = vcovType === 'HC2' || vcovType === 'HC3' ? hatValues(xks, n, r, invUpper(R, r)) : null;
      const hc = hcVariance(vcovType, bread, xks, n, r, score, hat, 'fitOls');
      V = hc.V;
      warnings.push(...hc.warnings);
    } else throw new Error(`fitOls: unknown vcov type '${vcovType as string}' (classical, HC0, HC1, HC2, HC3, cluster)`);
  }
  // summary.lm's rule for an essentially perfect fit: residual variance < (mean(f)² + var(f)) · 1e-30.
  // R then reports SE 0, t = Inf, p = 0; here the variance is not defined (NaN) and the warning says why.
  let fMean = 0;
  for (let i = 0; i < n; i++) fMean += fitted[i];
  fMean /= n;
  let fVar = 0;
  for (let i = 0; i < n; i++) fVar += (fitted[i] - fMean) ** 2;
  fVar /= n - 1;
  if (sigma2 < (fMean * fMean + fVar) * 1e-30) {
    warnings.push(degenerateMessage('fitOls', { kind: 'perfect-fit' }));
    V = nanMatrix(r);
  }

  // Goodness of fit.
  const ic = ab ? -1 : interceptIndex(xk, n, r, names);
  const hasIntercept = ic >= 0 || ab !== null;
  let sw0 = 0; let ybar = 0;
  for (let i = 0; i < n; i++) { const wi = w ? w[i] : 1; sw0 += wi; ybar += wi * y0[i]; }
  ybar /= sw0;
  let tss = 0;
  for (let i = 0; i < n; i++) { const wi = w ? w[i] : 1; const d = hasIntercept ? y0[i] - ybar : y0[i]; tss += wi * d * d; }
  const r2 = 1 - rss / tss;
  const dfInt = hasIntercept ? 1 : 0;
  const adjR2 = 1 - (1 - r2) * ((n - dfInt) / df);
  // With absorbed effects the overall F counts the G − 1 non-intercept levels, as lm with dummies.
  const df1 = r + nAbsorbed - dfInt;
  const F: FStat | null = df1 > 0 ? (() => { const v = ((tss - rss) / df1) / sigma2; return { value: v, df1, df2: df, p: pFUpper(v, df1, df) }; })() : null;
  let fWald: FStat | null = null;
  if (df1 > 0 && r > (ic >= 0 ? 1 : 0)) {
    const idx = Array.from({ length: r }, (_, j) => j).filter((j) => j !== ic);
    // Absorbed: the Wald F covers the estimated coefficients only (fixest's convention).
    const q = idx.length;
    const Vq = new Float64Array(q * q);
    for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) Vq[a * q + b] = V[idx[a] * r + idx[b]];
    const L = cholesky(Vq, q);
    if (L) {
      const Vi = cholInverse(L, q);
      let wald = 0;
      for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) wald += beta[idx[a]] * Vi[a * q + b] * beta[idx[b]];
      const df2 = vcovType === 'cluster' ? (nClusters as number) - 1 : df;
      const v = wald / q;
      fWald = { value: v, df1: q, df2, p: pFUpper(v, q, df2) };
      if (vcovType === 'cluster' && q > df2) warnings.push(`cluster-robust Wald F: ${q} restrictions exceed G − 1 = ${df2}; the joint test is not defined`);
    }
  }
  let sumLogW = 0;
  if (w) for (let i = 0; i < n; i++) sumLogW += Math.log(w[i]);
  const logLik = 0.5 * (sumLogW - n * (Math.log(2 * Math.PI) + 1 - Math.log(n) + Math.log(rss)));
  const k = r + nAbsorbed + 1;
  const tab = coefTable(names, beta, V, vcovType === 'cluster' ? `cluster-${input.clusterType ?? 'HC1'}` : vcovType, 't', df, level, warnings, 'fitOls');
  const fit: OlsFit = {
    model: 'ols',
    ...tab,
    aliased: Object.freeze(aliased),
    n, dfResidual: df, rss, sigma: Math.sqrt(sigma2), r2, adjR2, F, fWald,
    logLik, aic: -2 * logLik + 2 * k, bic: -2 * logLik + Math.log(n) * k,
    converged: true,
    warnings: Object.freeze(warnings),
    options: Object.freeze({ vcov: vcovType, clusterType: vcovType === 'cluster' ? input.clusterType ?? 'HC1' : undefined, weighted: !!w, level, allNames, absorbedLevels: nAbsorbed }),
    nClusters,
    fitted, residuals: resid, hasIntercept,
    vcovClassical: Object.freeze(toRows(Vclassical, r)),
    summary(): TidyRow[] { return tidyRows(tab, aliased, allNames); },
    tidy(): TidyRow[] { return tidyRows(tab, aliased, allNames); },
    glance(): TidyRow {
      return {
        'r.squared': r2, 'adj.r.squared': adjR2, sigma: Math.sqrt(sigma2), statistic: F ? F.value : null, 'p.value': F ? F.p : null,
        df: F ? F.df1 : null, logLik, AIC: -2 * logLik + 2 * k, BIC: -2 * logLik + Math.log(n) * k, deviance: rss,
        'df.residual': df, nobs: n, 'n.clusters': nClusters ?? null, 'variance.type': tab.vcovType,
      };
    },
    varianceType: tab.vcovType,
    spec: Object.freeze({ vcov: vcovType, weighted: !!w, level }),
  };
  return Object.freeze(fit);
}

export interface AnovaRow {
  readonly model: number;
  readonly 'res.df': number;
  readonly rss: number;
  readonly df: number | null;
  readonly 'sum.sq': number | null;
  readonly statistic: number | null;
  readonly 'p.value': number | null;
}

/**
 * R's anova(m1, m2, ...) for nested OLS fits: each row compares a model with the previous one,
 * and the F denominator is the residual mean square of the largest model (most coefficients,
 * i.e. smallest residual df) in the call — so pairwise calls reproduce anova(ma, mb).
 */
export function anovaNested(fits: readonly OlsFit[]): AnovaRow[] {
  if (fits.length < 2) throw new Error('anovaNested: needs at least two fits');
  const n = fits[0].n;
  fits.forEach((f, i) => { if (f.n !== n) throw new Error(`anovaNested: model ${i + 1} has n = ${f.n}, model 1 has n = ${n}; fits must use the same rows`); });
  let big = fits[0];
  for (const f of fits) if (f.dfResidual < big.dfResidual) big = f;
  const scale = big.rss / big.dfResidual;
  return fits.map((f, i) => {
    if (i === 0) return { model: 1, 'res.df': f.dfResidual, rss: f.rss, df: null, 'sum.sq': null, statistic: null, 'p.value': null };
    const prev = fits[i - 1];
    const df = prev.dfResidual - f.dfResidual;
    const ss = prev.rss - f.rss;
    const F = (ss / df) / scale;
    return { model: i + 1, 'res.df': f.dfResidual, rss: f.rss, df, 'sum.sq': ss, statistic: F, 'p.value': pFUpper(Math.abs(F), Math.abs(df), big.dfResidual) };
  });
}
