/**
 * Distal outcomes of latent classes (classes as PREDICTOR of an outcome), three-step:
 * step 1 is a fitted LCA, step 2 the modal assignment W, step 3 the class-specific
 * distribution of an outcome y, corrected for classification error with
 *   D[k][s] = P(W = s | X = k)   (lcaClassificationError, held fixed as in every three-step method)
 *
 *   modal: plain estimates within the assigned classes. Biased towards the overall mean/
 *          distribution whenever D ≠ I (the baseline the corrections are judged against).
 *   BCH:   weighted estimates with w_ik = (D⁻¹)[W_i][k] (lcaBchWeights; Bakk, Tekle & Vermunt
 *          2013). Weights can be negative, so estimates can leave the parameter space.
 *   ML:    maximise Σ_i w_i log Σ_k D[k][W_i] π_k f(y_i | X = k) over the shares π and the
 *          outcome parameters (Vermunt 2010; Bakk & Vermunt 2016).
 *
 * Outcome models: 'normal' (class means, and class-specific variances by default, as in
 * Bakk & Vermunt's ML; `variance: 'common'` pools them), 'categorical' (class-specific category
 * probabilities), 'binary' (P(y = 1) per class; values 0/1 or false/true).
 *
 * SEs treat step 1 as known (standard for the three-step approach). modal and BCH: sandwich of
 * the estimating equations; ML: inverse observed information from a numerical Hessian.
 * Case weights of the fit (`weights` in fitLca) are frequency weights here too.
 */
import { Matrix, inverse } from 'ml-matrix';
import { pChisqUpper, qNorm } from '../../core/distributions';
import { degenerateMessage, guardedSe } from '../../core/guard';
import type { LcaFit } from '../fit/fit';
import { lcaBchWeights, lcaClassificationError } from '../threestep';
import type { LcaDistalLevel, LcaDistalOptions, LcaDistalWald, LcaDistalResult } from './types';
import { type OutcomeKind, type Model, type Units, nThetaParams, newNatural } from './model';
import { fitMl } from './ml';
import { weightedEstimates, deltaToNatural } from './weighted';
import { codeOutcome } from './outcome';
import { formatWhole } from '../../core/numberStyle';

export type { LcaDistalType, LcaDistalMethod, LcaDistalValue, LcaDistalLevel, LcaDistalOptions, LcaDistalWald, LcaDistalResult } from './types';

/** Class-specific distribution of a distal outcome, with modal, BCH or ML three-step estimation. */
export function lcaDistal(fit: LcaFit, options: LcaDistalOptions): LcaDistalResult {
  const K = fit.nClasses;
  const n = fit.nRows;
  if (K < 2) throw new Error('lcaDistal: needs at least 2 classes');
  const method = options.method;
  if (method !== 'modal' && method !== 'bch' && method !== 'ml') throw new Error(`lcaDistal: method must be 'modal', 'bch' or 'ml' (got ${String(method)})`);
  if (options.type !== 'normal' && options.type !== 'categorical' && options.type !== 'binary') throw new Error(`lcaDistal: type must be 'normal', 'categorical' or 'binary' (got ${String(options.type)})`);
  const level = options.level ?? 0.95;
  const { y: yRaw, levels } = codeOutcome(options, n);
  const kind: OutcomeKind = options.type === 'normal' ? 'normal' : 'categorical';
  const C = levels ? levels.length : 0;
  const mod: Model = { K, kind, C, common: kind === 'normal' && options.variance === 'common' };
  const rowW = fit.internal.prepared.rowWeights;
  const warnings: string[] = [];
  const { D } = lcaClassificationError(fit);
  const bw = method === 'bch' ? lcaBchWeights(fit).data : null;

  let nUsed = 0;
  let N = 0;
  let mean0 = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(yRaw[i])) continue;
    nUsed++;
    const wi = rowW ? rowW[i] : 1;
    N += wi;
    mean0 += wi * yRaw[i];
  }
  const nExcluded = n - nUsed;
  if (nUsed === 0 || !(N > 0)) throw new Error('lcaDistal: no rows with an observed outcome (and positive weight)');
  if (nExcluded > 0) warnings.push(`${formatWhole(nExcluded)} of ${formatWhole(n)} rows have a missing outcome and were excluded`);

  // Normal outcomes are standardised so that EM, the Newton step sizes and the sandwich's
  // fourth moments work on O(1) numbers whatever the outcome's units.
  let centre = 0;
  let scale = 1;
  let units: Units;
  if (kind === 'normal') {
    mean0 /= N;
    let v0 = 0;
    for (let i = 0; i < n; i++) if (!Number.isNaN(yRaw[i])) v0 += (rowW ? rowW[i] : 1) * (yRaw[i] - mean0) ** 2;
    v0 /= N;
    if (!(v0 > 0)) throw new Error('lcaDistal: the outcome is constant among the analysed rows');
    centre = mean0;
    scale = Math.sqrt(v0);
    units = { m: nUsed, s: new Int32Array(nUsed), y: new Float64Array(nUsed), w: new Float64Array(nUsed), b: bw ? new Float64Array(nUsed * K) : null, W: N };
    let u = 0;
    for (let i = 0; i < n; i++) {
      if (Number.isNaN(yRaw[i])) continue;
      units.s[u] = fit.modal[i];
      units.y[u] = (yRaw[i] - centre) / scale;
      units.w[u] = rowW ? rowW[i] : 1;
      if (bw && units.b) for (let k = 0; k < K; k++) units.b[u * K + k] = bw[i * K + k];
      u++;
    }
  } else {
    // every row of an (assigned class, level) cell contributes identically: aggregate
    const cw = new Float64Array(K * C);
    const cb = bw ? new Float64Array(K * C * K) : null;
    for (let i = 0; i < n; i++) {
      if (Number.isNaN(yRaw[i])) continue;
      const cell = fit.modal[i] * C + yRaw[i];
      cw[cell] += rowW ? rowW[i] : 1;
      if (bw && cb) for (let k = 0; k < K; k++) cb[cell * K + k] = bw[i * K + k];
    }
    let m = 0;
    for (let j = 0; j < K * C; j++) if (cw[j] > 0) m++;
    units = { m, s: new Int32Array(m), y: new Float64Array(m), w: new Float64Array(m), b: cb ? new Float64Array(m * K) : null, W: N };
    let u = 0;
    for (let j = 0; j < K * C; j++) {
      if (!(cw[j] > 0)) continue;
      units.s[u] = Math.floor(j / C);
      units.y[u] = j % C;
      units.w[u] = cw[j];
      if (cb && units.b) for (let k = 0; k < K; k++) units.b[u * K + k] = cb[j * K + k];
      u++;
    }
  }

  let est: Float64Array;
  let vcovStd: number[][];
  let logLik: number | null = null;
  let converged = true;
  let iterations = 0;
  let varianceType: LcaDistalResult['varianceType'] = 'sandwich';
  if (method === 'modal' || method === 'bch') {
    ({ est, vcov: vcovStd } = weightedEstimates(units, mod, warnings, method));
  } else {
    // start from the modal estimates, pulled inside the parameter space
    const start = weightedEstimates({ ...units, b: null }, mod, [], 'modal');
    const nat = newNatural(mod);
    for (let k = 0; k < K; k++) nat.pi[k] = Math.max(start.est[k], 1e-3);
    let z = 0;
    for (let k = 0; k < K; k++) z += nat.pi[k];
    for (let k = 0; k < K; k++) nat.pi[k] /= z;
    if (kind === 'normal') {
      for (let k = 0; k < K; k++) {
        const mu = start.est[K + k];
        nat.mu[k] = Number.isFinite(mu) ? mu : 0;
        const s2 = start.est[2 * K + (mod.common ? 0 : k)];
        nat.s2[k] = Number.isFinite(s2) && s2 > 1e-4 ? s2 : 1;
      }
    } else {
      for (let k = 0; k < K; k++) {
        let zk = 0;
        for (let c = 0; c < C; c++) {
          const p = start.est[K + k * C + c];
          nat.p[k * C + c] = Number.isFinite(p) ? Math.max(p, 1e-4) : 1 / C;
          zk += nat.p[k * C + c];
        }
        for (let c = 0; c < C; c++) nat.p[k * C + c] /= zk;
      }
    }
    const logD = new Float64Array(K * K);
    for (let k = 0; k < K; k++) for (let s = 0; s < K; s++) logD[k * K + s] = Math.log(D[k][s]);
    const r = fitMl(units, mod, logD, nat, options.maxIter ?? 5000, options.tol ?? 1e-10);
    warnings.push(...r.warnings);
    logLik = r.logLik;
    converged = r.converged;
    iterations = r.iterations;
    varianceType = 'observed-information';
    let Vtheta: number[][];
    const P = nThetaParams(mod);
    try {
      if (!r.info) throw new Error('no information');
      Vtheta = inverse(new Matrix(r.info)).to2DArray();
    } catch {
      Vtheta = Array.from({ length: P }, () => new Array<number>(P).fill(NaN));
    }
    ({ est, vcov: vcovStd } = deltaToNatural(r.nat, mod, Vtheta));
    if (kind === 'normal') {
      // the log-likelihood of the outcome in its own units (the Jacobian of standardisation)
      logLik -= N * Math.log(scale);
    }
  }
  if (!converged) warnings.push(`${method}: did not converge`);

  // back to the outcome's units: μ = centre + scale·μ̃, σ² = scale²·σ̃²
  const Pn = est.length;
  const mult = new Float64Array(Pn).fill(1);
  if (kind === 'normal') {
    for (let k = 0; k < K; k++) mult[K + k] = scale;
    for (let j = 2 * K; j < Pn; j++) mult[j] = scale * scale;
  }
  const estimate: number[] = [];
  for (let j = 0; j < Pn; j++) estimate.push(est[j] * mult[j] + (kind === 'normal' && j >= K && j < 2 * K ? centre : 0));
  const vcov = vcovStd.map((row, a) => row.map((v, c) => v * mult[a] * mult[c]));
  const names: string[] = [];
  for (let k = 0; k < K; k++) names.push(`class${k + 1}:share`);
  if (kind === 'normal') {
    for (let k = 0; k < K; k++) names.push(`class${k + 1}:mean`);
    if (mod.common) names.push('variance');
    else for (let k = 0; k < K; k++) names.push(`class${k + 1}:variance`);
  } else for (let k = 0; k < K; k++) for (let c = 0; c < C; c++) names.push(`class${k + 1}:Pr(${String((levels as LcaDistalLevel[])[c])})`);
  // core/guard: a zero variance (a proportion of 0 or 1, a constant outcome within a class) or a
  // negative one is no precision: NaN (null in tidy) and named, never SE 0 with a zero-width CI.
  const badSe: string[] = [];
  const se = estimate.map((e, j) => guardedSe(vcov[j][j], names[j], badSe, e * e));
  if (badSe.length) warnings.push(`${degenerateMessage(method, { kind: 'zero-variance', terms: badSe })} (reported as null)`);

  // Wald test of equal outcome distributions: contrasts of class k vs class 1
  const contrastIdx: Array<[number, number]> = [];
  if (kind === 'normal') for (let k = 1; k < K; k++) contrastIdx.push([K + k, K]);
  else for (let k = 1; k < K; k++) for (let c = 1; c < C; c++) contrastIdx.push([K + k * C + c, K + c]);
  const df = contrastIdx.length;
  let statistic = NaN;
  try {
    const r = contrastIdx.map(([a, b]) => estimate[a] - estimate[b]);
    const V = contrastIdx.map(([a, b]) => contrastIdx.map(([c, d]) => vcov[a][c] - vcov[a][d] - vcov[b][c] + vcov[b][d]));
    const Vi = inverse(new Matrix(V));
    statistic = new Matrix([r]).mmul(Vi).mmul(Matrix.columnVector(r)).get(0, 0);
  } catch {
    statistic = NaN;
  }
  // a negative quadratic form means the covariance is not positive definite (boundary estimates)
  if (!(statistic >= 0) || !Number.isFinite(statistic)) {
    statistic = NaN;
    warnings.push('wald: the contrasts\' covariance is singular or not positive definite; no test');
  }
  const wald: LcaDistalWald = { statistic, df, pValue: Number.isFinite(statistic) ? pChisqUpper(statistic, df) : NaN };

  const zq = qNorm(1 - (1 - level) / 2);
  const tidy: Array<Record<string, number | string | null>> = [];
  const row = (cls: number | null, term: string, j: number): void => {
    const e = estimate[j];
    const s = Number.isFinite(se[j]) ? se[j] : null;
    tidy.push({ class: cls, term, estimate: e, 'std.error': s, 'conf.low': s === null ? null : e - zq * s, 'conf.high': s === null ? null : e + zq * s, method });
  };
  for (let k = 0; k < K; k++) {
    row(k + 1, 'share', k);
    if (kind === 'normal') {
      row(k + 1, 'mean', K + k);
      if (!mod.common) row(k + 1, 'variance', 2 * K + k);
    } else for (let c = options.type === 'binary' ? 1 : 0; c < C; c++) row(k + 1, `Pr(${String((levels as LcaDistalLevel[])[c])})`, K + k * C + c);
  }
  if (kind === 'normal' && mod.common) row(null, 'variance', 2 * K);

  const sharesSe = se.slice(0, K);
  let means: number[] | null = null;
  let meansSe: number[] | null = null;
  let variances: number[] | null = null;
  let variancesSe: number[] | null = null;
  let probs: number[][] | null = null;
  let probsSe: number[][] | null = null;
  if (kind === 'normal') {
    means = estimate.slice(K, 2 * K);
    meansSe = se.slice(K, 2 * K);
    variances = Array.from({ length: K }, (_, k) => estimate[2 * K + (mod.common ? 0 : k)]);
    variancesSe = Array.from({ length: K }, (_, k) => se[2 * K + (mod.common ? 0 : k)]);
  } else {
    probs = Array.from({ length: K }, (_, k) => estimate.slice(K + k * C, K + (k + 1) * C));
    probsSe = Array.from({ length: K }, (_, k) => se.slice(K + k * C, K + (k + 1) * C));
  }
  const { outcome: _omit, ...rest } = options;
  void _omit;
  return Object.freeze({
    spec: Object.freeze({ type: options.type, method, variance: kind === 'normal' ? (mod.common ? 'common' : 'class') : null, level, outcomeName: options.outcomeName ?? 'outcome', levels }),
    options: Object.freeze(rest),
    nClasses: K,
    nRows: n,
    nUsed,
    nExcluded,
    N,
    shares: estimate.slice(0, K),
    sharesSe,
    means,
    meansSe,
    variances,
    variancesSe,
    probs,
    probsSe,
    names,
    estimate,
    vcov,
    wald,
    logLik,
    converged,
    iterations,
    classificationError: D,
    warnings,
    varianceType,
    tidy: () => tidy,
    summary: () => tidy,
    glance: () => ({
      method, statistic: wald.statistic, df: wald.df, 'p.value': wald.pValue, logLik, nobs: nUsed, 'n.excluded': nExcluded, 'df.residual': null,
      converged: converged ? 1 : 0, 'variance.type': varianceType,
    }),
  });
}
