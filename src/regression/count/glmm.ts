/**
 * fitGlmm: Poisson GLMM with a normal random intercept per group and an offset, by maximum
 * likelihood with the Laplace approximation (nAGQ = 1) or adaptive Gauss–Hermite quadrature
 * (nAGQ > 1), as lme4::glmer(y ~ x + offset(o) + (1 | g), family = poisson). The marginal
 * likelihood is maximised jointly in (β, σ) by Newton with an exact chain rule through the
 * per-group integrals (./groupdensity), so the optimum is found to ~1e-10 rather than to a
 * derivative-free optimiser's stopping rule.
 */
import gammaln from '@stdlib/math-base-special-gammaln';
import { cholesky, cholInverse, cholSolve } from '../../core/linalg';
import { toDense, type MatrixInput } from '../../core/matrix';
import { checkCounts } from './checks';
import { defaultNames, fullRankDesign } from '../fitBase';
import { fitGlm } from './glm';
import { groupDerivs, groupValue } from './groupdensity';
import { deriv12Hessian, laplaceDevfun } from './lme4hessian';
import { ghRule } from './quadrature';
import { labelCodes } from '../../core/groups';
import { nanMatrix } from '../../core/guard';
import { formatNumber } from '../../core/numberStyle';
import { seFromVcov, waldRows, type CountResult, type Row, type TidyOptions } from './result';

export interface FitGlmmInput {
  readonly y: ArrayLike<number>;
  readonly x: MatrixInput;
  readonly names?: readonly string[];
  /** Group id per row (e.g. LA); coded by core/groups (levels sorted as R's factor()). */
  readonly groups: ArrayLike<unknown>;
  readonly family?: 'poisson';
  readonly offset?: ArrayLike<number>;
  /** 1 = Laplace (default); > 1 = adaptive Gauss–Hermite with nAGQ nodes. */
  readonly nAGQ?: number;
  /**
   * 'hessian' (lme4's default vcov: β block of the inverse Hessian of the deviance in (θ, β); for
   * Laplace, lme4's finite-difference Hessian of its PIRLS devfun, see ./lme4hessian) or 'rx'
   * (use.hessian = FALSE: given the working weights).
   */
  readonly vcov?: 'hessian' | 'rx';
  readonly level?: number;
  readonly maxIter?: number;
  readonly spec?: unknown;
}

/**
 * Fields every Poisson GLMM fit carries (random intercept: GlmmFit; random slopes:
 * GlmmSlopesFit), as lme4's glmer object exposes them. vcovHessian / vcovRx are row-major p × p.
 */
export interface GlmmFitCommon extends CountResult {
  readonly model: 'glmm';
  readonly family: 'poisson';
  readonly spec: unknown;
  readonly n: number;
  readonly nGroups: number;
  /** Full marginal log-likelihood (with the −log y! constants). */
  readonly logLik: number;
  readonly aic: number;
  readonly bic: number;
  /** Poisson deviance at the conditional means (lme4's deviance(fit) for a glmer). */
  readonly devianceConditional: number;
  /** lme4's default vcov (β block of the inverse Hessian) and vcov(fit, use.hessian = FALSE). */
  readonly vcovHessian: Float64Array;
  readonly vcovRx: Float64Array;
  /** Conditional modes (ranef) and their conditional SDs, per level of `groupLevels` (G × r, row-major). */
  readonly groupLevels: readonly string[];
  readonly conditionalModes: Float64Array;
  readonly conditionalSd: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
}

export interface GlmmFit extends GlmmFitCommon {
  readonly nAGQ: number;
  readonly aliased: readonly string[];
  /** What lme4 1.1-31 prints: = logLik for Laplace, logLik − logLikSaturated for nAGQ > 1 (logLik is comparable across nAGQ). */
  readonly logLikLme4: number;
  readonly logLikSaturated: number;
  /** Random-intercept SD σ (lme4's θ) and its SE from the same joint Hessian as vcovHessian. */
  readonly sdRandom: number;
  readonly sdRandomSe: number;
}

interface Workspace { eta0: Float64Array; ex: Float64Array; E: Float64Array; b: Float64Array; v: Float64Array }

/**
 * fitGlmm. Inputs as FitGlmmInput. Output: frozen GlmmFit. Warnings (and NaN where a number
 * would mislead): σ at the boundary 0 (singular fit: the SE of σ is NaN), non-convergence,
 * singular Hessian, a group with no exposure. Errors: negative counts, bad offsets, < 2 groups.
 */
export function fitGlmm(input: FitGlmmInput): GlmmFit {
  const X = toDense(input.x, 'x');
  const n = X.nrow; const p0 = X.ncol;
  const warnings: string[] = [];
  const { y, offset } = checkCounts(input.y, input.offset, undefined, n, warnings, 'fitGlmm');
  if ((input.family ?? 'poisson') !== 'poisson') throw new Error(`fitGlmm: family '${input.family as string}' is not supported (poisson)`);
  const gi = labelCodes(input.groups, n, 'fitGlmm: groups');
  const G = gi.levels.length;
  if (G < 2) throw new Error(`fitGlmm: ${G} group(s); a random intercept needs at least 2`);
  const nAGQ = input.nAGQ ?? 1;
  const { z: gz, w: gw } = ghRule(nAGQ);
  const allNames = defaultNames(p0, input.names, 'fitGlmm');
  const { x, p, names, aliased } = fullRankDesign(X, allNames, warnings);
  const q = p + 1;
  const code = gi.codes;

  const Yg = new Float64Array(G); const Xty = new Float64Array(p);
  let constTerm = 0; let satLL = 0;
  for (let i = 0; i < n; i++) {
    Yg[code[i]] += y[i];
    const lg = gammaln(y[i] + 1);
    constTerm -= lg;
    satLL += (y[i] > 0 ? y[i] * Math.log(y[i]) - y[i] : 0) - lg;
    for (let j = 0; j < p; j++) Xty[j] += y[i] * x[i * p + j];
  }
  const ws: Workspace = { eta0: new Float64Array(n), ex: new Float64Array(n), E: new Float64Array(G), b: new Float64Array(G * p), v: new Float64Array(G) };

  /** η₀ = Xβ + offset, e^η₀, E_g; returns Σ y η₀. */
  const fixedPart = (beta: Float64Array, wantB: boolean): number => {
    ws.E.fill(0); if (wantB) ws.b.fill(0);
    let yEta = 0;
    for (let i = 0; i < n; i++) {
      let e = offset ? offset[i] : 0; const off = i * p;
      for (let j = 0; j < p; j++) e += x[off + j] * beta[j];
      ws.eta0[i] = e; yEta += y[i] * e;
      const ex = Math.exp(e); ws.ex[i] = ex; ws.E[code[i]] += ex;
      if (wantB) { const go = code[i] * p; for (let j = 0; j < p; j++) ws.b[go + j] += ex * x[off + j]; }
    }
    return yEta;
  };
  const objective = (theta: Float64Array): number => {
    const yEta = fixedPart(theta, false);
    let s = yEta + constTerm; const sig = theta[p];
    for (let g = 0; g < G; g++) {
      const o = groupValue(Math.log(ws.E[g]), sig, Yg[g], ws.v[g], gz, gw);
      ws.v[g] = o.v; s += o.F;
    }
    return s;
  };
  /** Value, gradient and Hessian in θ = (β, σ): chain rule through c_g = log E_g. */
  const derivs = (theta: Float64Array): { f: number; grad: Float64Array; H: Float64Array } => {
    const yEta = fixedPart(theta, true);
    const sig = theta[p];
    const grad = new Float64Array(q); const H = new Float64Array(q * q);
    let f = yEta + constTerm;
    const Fc = new Float64Array(G); const m = new Float64Array(p);
    for (let j = 0; j < p; j++) grad[j] = Xty[j];
    for (let g = 0; g < G; g++) {
      const d = groupDerivs(Math.log(ws.E[g]), sig, Yg[g], ws.v[g], gz, gw);
      ws.v[g] = d.v; f += d.F; Fc[g] = d.Fc;
      for (let j = 0; j < p; j++) m[j] = ws.b[g * p + j] / ws.E[g];
      for (let j = 0; j < p; j++) {
        grad[j] += d.Fc * m[j];
        H[j * q + p] += d.Fcs * m[j];
        const a = (d.Fcc - d.Fc) * m[j];
        for (let k = j; k < p; k++) H[j * q + k] += a * m[k];
      }
      grad[p] += d.Fs; H[p * q + p] += d.Fss;
    }
    for (let i = 0; i < n; i++) {
      const g = code[i]; const di = Fc[g] * ws.ex[i] / ws.E[g]; const off = i * p;
      for (let j = 0; j < p; j++) { const a = di * x[off + j]; for (let k = j; k < p; k++) H[j * q + k] += a * x[off + k]; }
    }
    for (let j = 0; j < q; j++) for (let k = 0; k < j; k++) H[j * q + k] = H[k * q + j];
    return { f, grad, H };
  };

  /** −∇² log L in (β, σ) order from lme4's deriv12 Hessian of its Laplace devfun in (θ, β). */
  const lme4NegHessian = (est: Float64Array, yLogYMinusY: number): Float64Array => {
    const yEtaHat = fixedPart(est, false);
    const devfun = laplaceDevfun({
      n, p, G, x, code, etaHat: ws.eta0.slice(), beta: est.slice(0, p), theta: est[p], u: ws.v.slice(), Yg, Xty, yLogYMinusY, yEtaHat, step: 1e-4,
    });
    const par = new Float64Array(q); par[0] = est[p]; par.set(est.subarray(0, p), 1);
    const Hd = deriv12Hessian(devfun, par, 1e-4);
    const out = new Float64Array(q * q); const at = (j: number): number => (j === p ? 0 : j + 1);
    for (let j = 0; j < q; j++) for (let k = 0; k < q; k++) out[j * q + k] = Hd[at(j) * q + at(k)] / 2;
    return out;
  };

  // Start: Poisson GLM for β, then σ by golden section on the marginal likelihood at that β.
  const theta = new Float64Array(q);
  const start = fitGlm({ y, x: { nrow: n, ncol: p, data: x }, names, family: 'poisson', offset: offset ?? undefined });
  theta.set(start.coef);
  theta[p] = goldenSigma((s) => { theta[p] = s; return objective(theta); });

  let f = objective(theta); let converged = false; let iter = 0;
  const maxIter = input.maxIter ?? 100;
  let last = derivs(theta);
  for (iter = 1; iter <= maxIter; iter++) {
    const negH = last.H.map((v) => -v);
    let L = cholesky(negH, q);
    for (let lam = 1e-8; !L && lam < 1e8; lam *= 10) {
      const R = negH.slice(); for (let j = 0; j < q; j++) R[j * q + j] += lam * Math.max(1, Math.abs(negH[j * q + j]));
      L = cholesky(R, q);
    }
    if (!L) { warnings.push('Newton: Hessian could not be regularised'); break; }
    const step = cholSolve(L, q, last.grad);
    let t = 1; const trial = new Float64Array(q); let fNew = NaN;
    for (let half = 0; half < 40; half++) {
      for (let j = 0; j < q; j++) trial[j] = theta[j] + t * step[j];
      fNew = objective(trial);
      if (Number.isFinite(fNew) && fNew >= f - 1e-12 * Math.abs(f)) break;
      t /= 2;
    }
    let maxStep = 0;
    for (let j = 0; j < q; j++) maxStep = Math.max(maxStep, Math.abs(trial[j] - theta[j]) / (1 + Math.abs(theta[j])));
    theta.set(trial); f = fNew;
    last = derivs(theta);
    if (maxStep < 1e-10) { converged = true; break; }
  }
  if (!converged) warnings.push(`Newton did not converge in ${maxIter} iterations`);
  const sig = Math.abs(theta[p]); theta[p] = sig;
  last = derivs(theta); f = last.f;

  // Hessian-based vcov, lme4's default: β block of the inverse joint Hessian in (θ, β). For Laplace
  // it is lme4's own finite-difference Hessian of its PIRLS devfun (./lme4hessian says why that
  // differs from the exact Laplace Hessian); for AGQ, and at σ = 0, the exact one.
  const singular = sig < 1e-4;
  if (singular) warnings.push(`singular fit: the random-intercept SD is ${formatNumber(sig, 3)} ≈ 0; its SE is NaN and the fit is effectively a Poisson GLM`);
  const negH = nAGQ === 1 && !singular ? lme4NegHessian(theta, satLL - constTerm) : last.H.map((v) => -v);
  const Lh = negH.every(Number.isFinite) ? cholesky(singular ? reduce(negH, q, p) : negH, singular ? p : q) : null;
  if (!Lh) warnings.push('the Hessian of the log-likelihood is not negative definite at the estimate: Hessian-based SEs are NaN');
  const Vfull = Lh ? cholInverse(Lh, singular ? p : q) : nanMatrix(singular ? p : q);
  const qq = singular ? p : q;
  const vcovHessian = new Float64Array(p * p);
  for (let j = 0; j < p; j++) for (let k = 0; k < p; k++) vcovHessian[j * p + k] = Vfull[j * qq + k];
  const sdRandomSe = singular ? NaN : Math.sqrt(Vfull[p * q + p]);

  // Working-weight vcov (lme4's use.hessian = FALSE) and the conditional modes.
  fixedPart(theta, true);
  const A = new Float64Array(p * p);
  const modes = new Float64Array(G); const condSd = new Float64Array(G); const Sg = new Float64Array(G); const eu = new Float64Array(G);
  for (let g = 0; g < G; g++) {
    eu[g] = Math.exp(sig * ws.v[g]); Sg[g] = ws.E[g] * eu[g];
    modes[g] = sig * ws.v[g]; condSd[g] = sig / Math.sqrt(1 + sig * sig * Sg[g]);
  }
  let devCond = 0;
  for (let i = 0; i < n; i++) {
    const mu = ws.ex[i] * eu[code[i]]; const off = i * p;
    devCond += 2 * ((y[i] > 0 ? y[i] * Math.log(y[i] / mu) : 0) - (y[i] - mu));
    for (let j = 0; j < p; j++) { const a = mu * x[off + j]; for (let k = j; k < p; k++) A[j * p + k] += a * x[off + k]; }
  }
  if (sig > 0) for (let g = 0; g < G; g++) {
    const d = Sg[g] + 1 / (sig * sig); const e = eu[g] * eu[g] / d;
    for (let j = 0; j < p; j++) for (let k = j; k < p; k++) A[j * p + k] -= e * ws.b[g * p + j] * ws.b[g * p + k];
  }
  for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) A[j * p + k] = A[k * p + j];
  const Lr = cholesky(A, p);
  const vcovRx = Lr ? cholInverse(Lr, p) : nanMatrix(p);
  const varianceType = input.vcov ?? 'hessian';
  const V = varianceType === 'rx' ? vcovRx : vcovHessian;
  const se = seFromVcov(V, p, { names, warnings, who: 'fitGlmm' });
  const coef = theta.slice(0, p);
  const level = input.level ?? 0.95;
  const k = p + 1;
  const logLikLme4 = nAGQ > 1 ? f - satLL : f;
  const tidy = (o: TidyOptions = {}): Row[] => waldRows(names, coef, se, o, level);
  const glance = (): Row => ({
    family: 'poisson', nAGQ, nobs: n, 'n.groups': G, 'df.residual': n - k, logLik: f, 'logLik.lme4': logLikLme4, AIC: -2 * f + 2 * k,
    BIC: -2 * f + Math.log(n) * k, 'deviance.conditional': devCond, 'sd.random': sig, 'sd.random.se': sdRandomSe,
    'vcov.type': varianceType, converged: converged ? 'yes' : 'no', warnings: warnings.length ? warnings.join(' | ') : null,
  });
  const fit: GlmmFit = {
    model: 'glmm', family: 'poisson', spec: input.spec ?? null, nAGQ, n, nGroups: G, aliased, names, coef, se, vcov: V, varianceType, level,
    warnings: Object.freeze(warnings), logLik: f, logLikLme4, logLikSaturated: satLL, aic: -2 * f + 2 * k, bic: -2 * f + Math.log(n) * k,
    devianceConditional: devCond, sdRandom: sig, sdRandomSe, vcovHessian, vcovRx, groupLevels: gi.levels,
    conditionalModes: modes, conditionalSd: condSd, iterations: iter, converged,
    tidy, glance, summary: () => ({ coefficients: tidy(), glance: glance(), warnings }),
  };
  return Object.freeze(fit);
}

/** Leading p × p block of a q × q matrix (drops σ when it sits on its boundary). */
function reduce(a: Float64Array, q: number, p: number): Float64Array {
  const out = new Float64Array(p * p);
  for (let j = 0; j < p; j++) for (let k = 0; k < p; k++) out[j * p + k] = a[j * q + k];
  return out;
}

/** Maximiser of a unimodal f on [0, 5] by golden section (a starting value for Newton). */
function goldenSigma(f: (s: number) => number): number {
  const r = (Math.sqrt(5) - 1) / 2;
  let a = 0; let b = 5; let c = b - r * (b - a); let d = a + r * (b - a);
  let fc = f(c); let fd = f(d);
  for (let it = 0; it < 40; it++) {
    if (fc > fd) { b = d; d = c; fd = fc; c = b - r * (b - a); fc = f(c); } else { a = c; c = d; fc = fd; d = a + r * (b - a); fd = f(d); }
  }
  return (a + b) / 2;
}
