/**
 * fitGlmmSlopes: Poisson GLMM with a correlated random intercept and slope(s) per group and an
 * offset, by maximum likelihood with the Laplace approximation, as
 * lme4::glmer(y ~ x + offset(o) + (1 + z | g), family = poisson, nAGQ = 1). θ (lme4's Cholesky
 * parametrisation) and β are optimised jointly on the Laplace deviance (./slopesLaplace) by
 * Newton with finite-difference derivatives, so the optimum is found to ~1e-9 rather than to a
 * derivative-free optimiser's stopping rule. SEs: lme4's default (β block of 2H⁻¹, H its
 * deriv12 Hessian of its own devfun) and the R_X-based ones (vcov(fit, use.hessian = FALSE)).
 */
import { cholesky, cholInverse, cholSolve } from '../../core/linalg';
import { toDense, type MatrixInput } from '../../core/matrix';
import { checkCounts } from './checks';
import { defaultNames, fullRankDesign } from '../fitBase';
import { fitGlm } from './glm';
import type { GlmmFitCommon } from './glmm';
import { deriv12Hessian } from './lme4hessian';
import { labelCodes } from '../../core/groups';
import { nanMatrix } from '../../core/guard';
import { formatNumber } from '../../core/numberStyle';
import { seFromVcov, waldRows, type Row, type TidyOptions } from './result';
import { fixedEta, laplace, lambdaOf, lgammaSum, lme4Devfun, nTheta, type LaplaceState, type SlopesModel } from './slopesLaplace';

export interface FitGlmmSlopesInput {
  readonly y: ArrayLike<number>;
  readonly x: MatrixInput;
  readonly names?: readonly string[];
  /** Random-effect covariates per row (the slopes; the random intercept is added), n × s. */
  readonly z: MatrixInput;
  readonly zNames?: readonly string[];
  /** Group id per row (e.g. LA); levels sorted as R's factor(). */
  readonly groups: ArrayLike<unknown>;
  readonly offset?: ArrayLike<number>;
  /** 'hessian' (lme4's default) or 'rx' (use.hessian = FALSE). */
  readonly vcov?: 'hessian' | 'rx';
  /** PIRLS tolerance of lme4's devfun for the Hessian (glmerControl tolPwrss; default 1e-7). */
  readonly tolPwrss?: number;
  readonly level?: number;
  readonly maxIter?: number;
  readonly spec?: unknown;
}

export interface GlmmSlopesFit extends GlmmFitCommon {
  /** Random-effect terms: '(Intercept)' then the slopes. */
  readonly randomNames: readonly string[];
  /** lme4's θ (lower-triangular Λ read column by column; Σ = ΛΛ'). */
  readonly theta: Float64Array;
  /** SDs of the random effects and their correlation matrix (r × r), as VarCorr. */
  readonly sdRandom: Float64Array;
  readonly corRandom: Float64Array;
}

/**
 * fitGlmmSlopes. Output: frozen GlmmSlopesFit. Warnings: singular fit (a random-effect SD ≈ 0 or
 * a correlation of ±1: lme4's isSingular rule, θ diagonal < 1e-4; boundary θ held fixed for the
 * Hessian), non-convergence, a Hessian that is not positive definite (Hessian SEs NaN). Errors: bad counts/offsets, fewer than 3 groups.
 */
export function fitGlmmSlopes(input: FitGlmmSlopesInput): GlmmSlopesFit {
  const X = toDense(input.x, 'x'); const Zs = toDense(input.z, 'z');
  const n = X.nrow; const p0 = X.ncol;
  if (Zs.nrow !== n) throw new Error(`fitGlmmSlopes: z has ${Zs.nrow} rows, x has ${n}`);
  const warnings: string[] = [];
  const { y, offset } = checkCounts(input.y, input.offset, undefined, n, warnings, 'fitGlmmSlopes');
  const gi = labelCodes(input.groups, n, 'fitGlmmSlopes: groups');
  const G = gi.levels.length;
  if (G < 3) throw new Error(`fitGlmmSlopes: ${G} group(s); a random intercept and slope need at least 3`);
  const allNames = defaultNames(p0, input.names, 'fitGlmmSlopes');
  const { x, p, names, aliased } = fullRankDesign(X, allNames, warnings);
  const r = Zs.ncol + 1; const nt = nTheta(r);
  const z = new Float64Array(n * r);
  for (let i = 0; i < n; i++) { z[i * r] = 1; for (let a = 1; a < r; a++) z[i * r + a] = Zs.data[i * (r - 1) + a - 1]; }
  const randomNames = ['(Intercept)', ...(input.zNames ?? Array.from({ length: r - 1 }, (_, a) => `z${a + 1}`))];
  const order = new Int32Array(n); const start = new Int32Array(G + 1);
  for (let i = 0; i < n; i++) start[gi.codes[i] + 1]++;
  for (let g = 0; g < G; g++) start[g + 1] += start[g];
  const fillAt = start.slice(0, G);
  for (let i = 0; i < n; i++) order[fillAt[gi.codes[i]]++] = i;
  const m: SlopesModel = { n, p, r, G, y, x, z, offset, order, start, lgy: lgammaSum(y) };

  // Start: Poisson GLM for β, a small diagonal Λ.
  const q = nt + p;
  const phi = new Float64Array(q);
  const glm0 = fitGlm({ y, x: { nrow: n, ncol: p, data: x }, names, family: 'poisson', offset: offset ?? undefined });
  for (let c = 0, k = 0; c < r; c++) for (let i = c; i < r; i++, k++) phi[k] = i === c ? 0.2 : 0;
  phi.set(glm0.coef, nt);
  let uCur = new Float64Array(G * r);
  const dev = (par: Float64Array): number => {
    const s = laplace(m, par.subarray(0, nt), par.subarray(nt), uCur);
    return s.ok ? s.deviance : NaN;
  };
  let state: LaplaceState = laplace(m, phi.subarray(0, nt), phi.subarray(nt), uCur);
  uCur = state.u; let f = state.deviance;
  const maxIter = input.maxIter ?? 200;
  let converged = false; let iter = 0;
  // Newton with a finite-difference Hessian, refreshed by BFGS updates from the gradients between
  // full recomputations (every 8th iteration or after a halved step): one Hessian costs ~2q²
  // deviance evaluations, a gradient 2q.
  let H = new Float64Array(0); let gPrev = new Float64Array(0); const sPrev = new Float64Array(q); let fresh = 0;
  for (iter = 1; iter <= maxIter; iter++) {
    const grad = fdGrad(dev, phi);
    if (iter === 1 || fresh >= 8) { H = deriv12Hessian(dev, phi, 1e-4); fresh = 0; }
    else {
      const yv = grad.map((gv, j) => gv - gPrev[j]);
      let sy = 0; for (let j = 0; j < q; j++) sy += sPrev[j] * yv[j];
      const Hs = new Float64Array(q); for (let j = 0; j < q; j++) for (let l = 0; l < q; l++) Hs[j] += H[j * q + l] * sPrev[l];
      let sHs = 0; for (let j = 0; j < q; j++) sHs += sPrev[j] * Hs[j];
      if (sy > 1e-12 * Math.sqrt(sHs * sHs) && sHs > 0) {
        for (let j = 0; j < q; j++) for (let l = 0; l < q; l++) H[j * q + l] += yv[j] * yv[l] / sy - Hs[j] * Hs[l] / sHs;
      }
      fresh++;
    }
    gPrev = grad;
    let L = cholesky(H, q);
    for (let lam = 1e-8; !L && lam < 1e10; lam *= 10) {
      const R = H.slice(); for (let j = 0; j < q; j++) R[j * q + j] += lam * Math.max(1, Math.abs(H[j * q + j]));
      L = cholesky(R, q);
    }
    if (!L) { warnings.push('Newton: the Hessian could not be regularised'); break; }
    const step = cholSolve(L, q, grad);
    let t = 1; const trial = new Float64Array(q); let fNew = NaN; let trialState = state;
    for (let half = 0; half < 50; half++) {
      for (let j = 0; j < q; j++) trial[j] = phi[j] - t * step[j];
      trialState = laplace(m, trial.subarray(0, nt), trial.subarray(nt), uCur);
      fNew = trialState.ok ? trialState.deviance : NaN;
      if (Number.isFinite(fNew) && fNew <= f + 1e-12 * Math.abs(f)) break;
      t /= 2;
    }
    if (!Number.isFinite(fNew)) { warnings.push('Newton: no step reduced the deviance'); break; }
    let maxStep = 0;
    for (let j = 0; j < q; j++) maxStep = Math.max(maxStep, Math.abs(trial[j] - phi[j]) / (1 + Math.abs(phi[j])));
    for (let j = 0; j < q; j++) sPrev[j] = trial[j] - phi[j];
    if (t < 1) fresh = 8;
    phi.set(trial); f = fNew; state = trialState; uCur = state.u;
    if (maxStep < 1e-8) { converged = true; break; }
  }
  if (!converged) warnings.push(`Newton did not converge in ${maxIter} iterations`);
  // Λ's columns are defined up to sign (ΛΛ' is unchanged): make the diagonal ≥ 0, as lme4's bounds do.
  for (let c = 0, k = 0; c < r; c++) {
    const kc = k; const neg = phi[kc] < 0;
    for (let i = c; i < r; i++, k++) if (neg) phi[k] = -phi[k];
    if (neg) for (let g = 0; g < G; g++) uCur[g * r + c] = -uCur[g * r + c];
    void kc;
  }
  state = laplace(m, phi.subarray(0, nt), phi.subarray(nt), uCur); f = state.deviance;
  const theta = phi.slice(0, nt); const coef = phi.slice(nt);
  const Lam = lambdaOf(theta, r);
  const Sigma = new Float64Array(r * r);
  for (let a = 0; a < r; a++) for (let b = 0; b < r; b++) { let s = 0; for (let c = 0; c < r; c++) s += Lam[a * r + c] * Lam[b * r + c]; Sigma[a * r + b] = s; }
  const sdRandom = new Float64Array(r); const corRandom = new Float64Array(r * r);
  for (let a = 0; a < r; a++) sdRandom[a] = Math.sqrt(Sigma[a * r + a]);
  for (let a = 0; a < r; a++) for (let b = 0; b < r; b++) corRandom[a * r + b] = Sigma[a * r + b] / (sdRandom[a] * sdRandom[b]);
  let singular = false;
  for (let c = 0; c < r; c++) if (Lam[c * r + c] < 1e-4) singular = true;
  if (singular) warnings.push(`singular fit: a random-effect SD is ≈ 0 or a correlation is ±1 (θ diagonal ${Array.from({ length: r }, (_, c) => formatNumber(Lam[c * r + c], 3)).join(', ')}); its boundary θ is held fixed for the Hessian SEs; the random-effect structure is over-parametrised for these data`);

  // Conditional modes b = Λû and conditional variances Λ A⁻¹ Λ' (ranef condVar).
  const modes = new Float64Array(G * r); const condSd = new Float64Array(G * r);
  const AinvAll = new Float64Array(G * r * r);
  for (let g = 0; g < G; g++) {
    const La = cholesky(state.A.slice(g * r * r, (g + 1) * r * r), r)!;
    const Ai = cholInverse(La, r); AinvAll.set(Ai, g * r * r);
    for (let a = 0; a < r; a++) {
      let b = 0; for (let c = 0; c < r; c++) b += Lam[a * r + c] * state.u[g * r + c];
      modes[g * r + a] = b;
      let v = 0; for (let c = 0; c < r; c++) for (let d = 0; d < r; d++) v += Lam[a * r + c] * Ai[c * r + d] * Lam[a * r + d];
      condSd[g * r + a] = Math.sqrt(v);
    }
  }
  // R_X-based vcov: (X'WX − Σ_g M_g' A_g⁻¹ M_g)⁻¹, M_g = Λ'Z_g'W X_g, W = μ̂.
  const XtWX = new Float64Array(p * p); const M = new Float64Array(r * p); const zl = new Float64Array(r);
  let devCond = 0;
  for (let g = 0; g < G; g++) {
    M.fill(0);
    for (let k = start[g]; k < start[g + 1]; k++) {
      const i = order[k]; const mu = state.mu[i];
      devCond += 2 * ((y[i] > 0 ? y[i] * Math.log(y[i] / mu) : 0) - (y[i] - mu));
      for (let c = 0; c < r; c++) { let v = 0; for (let a = c; a < r; a++) v += z[i * r + a] * Lam[a * r + c]; zl[c] = v; }
      for (let j = 0; j < p; j++) {
        const wx = mu * x[i * p + j];
        for (let l = j; l < p; l++) XtWX[j * p + l] += wx * x[i * p + l];
        for (let c = 0; c < r; c++) M[c * p + j] += zl[c] * wx;
      }
    }
    const Ai = AinvAll.subarray(g * r * r, (g + 1) * r * r);
    for (let j = 0; j < p; j++) for (let l = j; l < p; l++) {
      let s = 0; for (let c = 0; c < r; c++) for (let d = 0; d < r; d++) s += M[c * p + j] * Ai[c * r + d] * M[d * p + l];
      XtWX[j * p + l] -= s;
    }
  }
  for (let j = 0; j < p; j++) for (let l = 0; l < j; l++) XtWX[j * p + l] = XtWX[l * p + j];
  const Lr = cholesky(XtWX, p);
  const vcovRx = Lr ? cholInverse(Lr, p) : nanMatrix(p);

  // lme4's default vcov: β block of 2H⁻¹, H = deriv12 (step 1e-4) of lme4's devfun in (θ, β). At a
  // singular fit the θ components on their boundary (diagonal ≈ 0) are held there, as fitGlmm does
  // for σ = 0: the deviance is flat in them, so the full H is singular.
  let vcovHessian = nanMatrix(p);
  {
    const lp0 = new Float64Array(n); fixedEta(m, coef, lp0);
    for (let g = 0; g < G; g++) for (let k = start[g]; k < start[g + 1]; k++) {
      const i = order[k]; for (let a = 0; a < r; a++) lp0[i] += z[i * r + a] * modes[g * r + a];
    }
    const free: number[] = [];
    for (let c = 0, k = 0; c < r; c++) for (let i = c; i < r; i++, k++) if (i !== c || Lam[c * r + c] >= 1e-4) free.push(k);
    for (let j = 0; j < p; j++) free.push(nt + j);
    const full = lme4Devfun(m, lp0, input.tolPwrss ?? 1e-7);
    const par = phi.slice();
    const sub = (v: Float64Array): number => { free.forEach((k, a) => { par[k] = v[a]; }); return full(par); };
    const qf = free.length; const nfTheta = qf - p;
    const Hd = deriv12Hessian(sub, Float64Array.from(free, (k) => phi[k]), 1e-4);
    const Lh = Hd.every(Number.isFinite) ? cholesky(Hd, qf) : null;
    if (!Lh) warnings.push('the Hessian of the deviance is not positive definite at the estimate: Hessian-based SEs are NaN');
    else {
      const Vi = cholInverse(Lh, qf);
      for (let j = 0; j < p; j++) for (let l = 0; l < p; l++) vcovHessian[j * p + l] = 2 * Vi[(nfTheta + j) * qf + nfTheta + l];
    }
  }
  const varianceType = input.vcov ?? 'hessian';
  const V = varianceType === 'rx' ? vcovRx : vcovHessian;
  const se = seFromVcov(V, p, { names, warnings, who: 'fitGlmmSlopes' });
  const level = input.level ?? 0.95;
  const logLik = -f / 2; const k = p + nt;
  const tidy = (o: TidyOptions = {}): Row[] => waldRows(names, coef, se, o, level);
  const glance = (): Row => {
    const row: Row = { family: 'poisson', nAGQ: 1, nobs: n, 'n.groups': G, logLik, AIC: -2 * logLik + 2 * k, BIC: -2 * logLik + Math.log(n) * k, 'deviance.conditional': devCond };
    randomNames.forEach((nm, a) => { row[`sd.${nm}`] = sdRandom[a]; });
    for (let a = 0; a < r; a++) for (let b = a + 1; b < r; b++) row[`cor.${randomNames[a]}.${randomNames[b]}`] = corRandom[a * r + b];
    return { ...row, 'vcov.type': varianceType, converged: converged ? 'yes' : 'no', warnings: warnings.length ? warnings.join(' | ') : null };
  };
  const fit: GlmmSlopesFit = {
    model: 'glmm', family: 'poisson', spec: input.spec ?? null, n, nGroups: G, names, coef, se, vcov: V, varianceType, level,
    warnings: Object.freeze(warnings), randomNames, theta, sdRandom, corRandom, logLik, aic: -2 * logLik + 2 * k, bic: -2 * logLik + Math.log(n) * k,
    devianceConditional: devCond, vcovHessian, vcovRx, groupLevels: gi.levels, conditionalModes: modes, conditionalSd: condSd,
    iterations: iter, converged, tidy, glance, summary: () => ({ coefficients: tidy(), glance: glance(), warnings }),
  };
  return Object.freeze(fit);
}

/** Central finite-difference gradient of f at x0 (step 1e-5). */
function fdGrad(f: (x: Float64Array) => number, x0: Float64Array): Float64Array {
  const q = x0.length; const grad = new Float64Array(q); const x = x0.slice(); const h = 1e-5;
  for (let j = 0; j < q; j++) {
    x[j] = x0[j] + h; const fp = f(x); x[j] = x0[j] - h; const fm = f(x); x[j] = x0[j];
    grad[j] = (fp - fm) / (2 * h);
  }
  return grad;
}
