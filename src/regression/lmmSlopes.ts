/**
 * Linear mixed model with a correlated random intercept and random slopes for one grouping
 * factor, lme4's `lmer(y ~ x + (1 + z | g), REML = TRUE/FALSE)`. As lme4 (Bates et al. 2015,
 * J. Stat. Softw. 67(1), §3): the random effects are b_g = Λ u_g with u_g ~ N(0, σ² I) and Λ the
 * lower-triangular relative covariance factor (θ = its lower triangle, column by column); β and
 * σ² are profiled out and the exact profiled (restricted) deviance is minimised over θ
 * (Nelder–Mead, then Newton on central-difference derivatives). Each deviance evaluation works on
 * per-group sums Zᵍᵀ[X y] and ZᵍᵀZᵍ, so its cost is O(groups · r² · (p + 1)), independent of n.
 */
import { cholesky, cholInverse, cholSolve, logDetFromChol } from '../core/linalg';
import { labelCodes } from '../core/groups';
import { coefTable, tidyRows, type TidyRow } from './fitBase';
import { nelderMead } from '../core/optimise';
import { formatNumber } from '../core/numberStyle';
import { lmerGlance, lmmInputs, profiledDeviance } from './lmmProfile';
import type { FitLmmInput, LmmFit, RandomSlopesInput, VarianceComponent } from './lmmTypes';

export type { RandomSlopesInput } from './lmmTypes';

export interface LmmSlopesFit extends LmmFit {
  /** Random-effect terms in order: '(Intercept)', then the slope columns. */
  readonly randomTerms: readonly string[];
  /** Σ = σ² Λ Λᵀ (r × r, row-major nested), the random-effect covariance. */
  readonly randomCovariance: readonly (readonly number[])[];
  /** Random-effect SDs (sqrt diag Σ), in randomTerms order. */
  readonly randomSd: readonly number[];
  /** Correlations of the random effects (r × r). */
  readonly randomCorrelation: readonly (readonly number[])[];
}

/** Λ (r × r lower, row-major) from θ (lower triangle, column-major as lme4). */
function lambdaOf(theta: ArrayLike<number>, r: number, out: Float64Array): void {
  out.fill(0);
  let k = 0;
  for (let j = 0; j < r; j++) for (let i = j; i < r; i++) out[i * r + j] = theta[k++];
}

/** θ with each column of Λ signed so its diagonal is ≥ 0 (Λ Λᵀ, hence the deviance, is unchanged). */
function canonical(theta: number[], r: number): number[] {
  const t = theta.slice();
  let k = 0;
  for (let j = 0; j < r; j++) {
    const flip = t[k] < 0;
    for (let i = j; i < r; i++, k++) if (flip) t[k] = -t[k];
  }
  return t;
}

/**
 * fitLmm with `randomSlopes`: y (n), x (n × p), groups (one array), randomSlopes (n × k columns
 * whose slopes vary by group), reml (default true). Output: frozen LmmSlopesFit: fixed effects with
 * SEs σ²(XᵀV⁻¹X)⁻¹, θ, σ, variance components as SDs and correlations, logLik (restricted under
 * REML), BLUPs per term. A singular random-effect covariance (a Λ diagonal at 0, correlation ±1)
 * is reported as lme4 does, with a warning naming it. Failure: throws on a rank-deficient X.
 */
export function fitLmmSlopes(input: FitLmmInput & Required<Pick<RandomSlopesInput, 'randomSlopes'>>): LmmSlopesFit {
  const { X, n, p, y, names, reml, level } = lmmInputs(input);
  const warnings: string[] = [];
  if (Array.isArray(input.groups) && input.groups.length > 0 && typeof input.groups[0] === 'object') throw new Error('fitLmm: randomSlopes supports one grouping level only');
  const groupName = input.groupNames?.[0] ?? 'group';
  const gc = labelCodes(input.groups as ArrayLike<unknown>, n, `fitLmm: groups (${groupName})`);
  const G = gc.levels.length;
  const zs = input.randomSlopes;
  if (zs.length !== n) throw new Error(`fitLmm: randomSlopes has length ${zs.length}, expected ${n}`);
  const k = typeof zs[0] === 'number' ? 1 : (zs[0] as ArrayLike<number>).length;
  const r = k + 1;
  const zAt = (i: number, j: number): number => (k === 1 && typeof zs[i] === 'number' ? (zs[i] as number) : (zs[i] as ArrayLike<number>)[j]);
  const slopeNames = input.randomSlopeNames ? input.randomSlopeNames.slice() : Array.from({ length: k }, (_, j) => `z${j + 1}`);
  const randomTerms = ['(Intercept)', ...slopeNames];

  // Sufficient statistics: C = [X y]ᵀ[X y], per group ZZ_g (r × r) and W_g = Z_gᵀ[X y] (r × q).
  const q = p + 1;
  const C = new Float64Array(q * q);
  const ZZ = new Float64Array(G * r * r);
  const W = new Float64Array(G * r * q);
  const row = new Float64Array(q);
  const zr = new Float64Array(r);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) row[j] = X.data[i * p + j];
    row[p] = y[i];
    zr[0] = 1;
    for (let j = 0; j < k; j++) {
      const v = Number(zAt(i, j));
      if (!Number.isFinite(v)) throw new Error(`fitLmm: randomSlopes is not finite at row ${i + 1}, column ${slopeNames[j]}`);
      zr[j + 1] = v;
    }
    for (let a = 0; a < q; a++) for (let b = a; b < q; b++) C[a * q + b] += row[a] * row[b];
    const g = gc.codes[i];
    for (let a = 0; a < r; a++) {
      for (let b = 0; b < r; b++) ZZ[g * r * r + a * r + b] += zr[a] * zr[b];
      for (let b = 0; b < q; b++) W[g * r * q + a * q + b] += zr[a] * row[b];
    }
  }
  for (let a = 0; a < q; a++) for (let b = 0; b < a; b++) C[a * q + b] = C[b * q + a];

  const nTheta = (r * (r + 1)) / 2;
  const lam = new Float64Array(r * r);
  const T = new Float64Array(r * r);
  const B = new Float64Array(r * q);
  const P = new Float64Array(q * q);
  const A = new Float64Array(p * p);
  const c = new Float64Array(p);
  let evaluations = 0;
  // Per group: M_g = Λᵀ ZZ_g Λ + I = L_g L_gᵀ; P = C − Σ_g (L_g⁻¹ Λᵀ W_g)ᵀ(L_g⁻¹ Λᵀ W_g).
  const profiled = (theta: ArrayLike<number>, keepFactors = false) => {
    evaluations++;
    lambdaOf(theta, r, lam);
    P.set(C);
    let logdetRe = 0;
    const factors: Float64Array[] = [];
    for (let g = 0; g < G; g++) {
      const zz = ZZ.subarray(g * r * r, (g + 1) * r * r);
      for (let a = 0; a < r; a++) {
        for (let b = 0; b < r; b++) {
          let s = a === b ? 1 : 0;
          for (let u = a; u < r; u++) for (let v = b; v < r; v++) s += lam[u * r + a] * zz[u * r + v] * lam[v * r + b];
          T[a * r + b] = s;
        }
      }
      const L = cholesky(T, r);
      if (!L) return null;
      if (keepFactors) factors.push(L);
      logdetRe += logDetFromChol(L, r);
      const w = W.subarray(g * r * q, (g + 1) * r * q);
      for (let a = 0; a < r; a++) {
        for (let b = 0; b < q; b++) {
          let s = 0;
          for (let u = a; u < r; u++) s += lam[u * r + a] * w[u * q + b];
          B[a * q + b] = s;
        }
      }
      // Forward solve L K = B in place (K overwrites B).
      for (let a = 0; a < r; a++) {
        for (let b = 0; b < q; b++) {
          let s = B[a * q + b];
          for (let u = 0; u < a; u++) s -= L[a * r + u] * B[u * q + b];
          B[a * q + b] = s / L[a * r + a];
        }
      }
      for (let a = 0; a < q; a++) for (let b = a; b < q; b++) {
        let s = 0;
        for (let u = 0; u < r; u++) s += B[u * q + a] * B[u * q + b];
        P[a * q + b] -= s;
      }
    }
    for (let a = 0; a < q; a++) for (let b = 0; b < a; b++) P[a * q + b] = P[b * q + a];
    const v = profiledDeviance(P, p, n, reml, logdetRe, A, c);
    return v ? { dev: v.dev, beta: v.beta, LX: v.L, r2: v.r2, factors } : null;
  };
  const devAt = (t: ArrayLike<number>): number => { const v = profiled(t); return v ? v.dev : Infinity; };

  // lme4's start: Λ = I.
  const start: number[] = [];
  for (let j = 0; j < r; j++) for (let i = j; i < r; i++) start.push(i === j ? 1 : 0);
  let theta = canonical(nelderMead(devAt, start, 0.5, 1e-14, 20000).x, r);
  theta = canonical(nelderMead(devAt, theta, 0.05, 1e-15, 20000).x, r);
  // Newton on central-difference gradient and Hessian: the minimum is flat, the gradient's root is sharp.
  let converged = false;
  for (let it = 0; it < 20; it++) {
    const { f0, g, H } = thetaDerivatives(devAt, theta);
    const LH = cholesky(H, nTheta);
    if (!LH) break;
    const step = cholSolve(LH, nTheta, g);
    // Newton decrement: the deviance still to gain (≈ ½ gᵀH⁻¹g); 1e-10 is far below lme4's tolerances.
    let decrement = 0;
    for (let j = 0; j < nTheta; j++) decrement += 0.5 * g[j] * step[j];
    const next = theta.map((t, j) => t - step[j]);
    if (!(devAt(next) <= f0 + 1e-10 * Math.abs(f0))) { converged = decrement < 1e-8; break; }
    theta = canonical(next, r);
    if (decrement < 1e-10) { converged = true; break; }
  }
  // The decrement cannot fall below the deviance's rounding noise, which grows with n (the deviance is
  // ~n·log σ², the sums behind it ~n·ȳ²): at a few million rows the central differences carry noise of
  // 1e-3–1e-1 in the gradient, and a fixed 1e-8 is out of reach at a true optimum. Then lme4's own test
  // decides (lme4:::checkConv, check.conv.grad): the gradient scaled by the Hessian's Cholesky factor
  // (H = RᵀR), max_i min(|(R⁻¹g)_i|, |g_i|) < 2e-3, with a positive definite Hessian (check.conv.hess).
  let scaledGradient = NaN;
  if (!converged) {
    scaledGradient = lme4ScaledGradient(thetaDerivatives(devAt, theta));
    converged = scaledGradient < 2e-3;
  }
  // A diagonal of Λ that is numerically 0 is a boundary (singular) fit: lme4 reports it at 0.
  {
    let kk = 0;
    for (let j = 0; j < r; j++) {
      const t0 = theta.slice(); t0[kk] = 0;
      if (Math.abs(theta[kk]) < 1e-4 && devAt(t0) <= devAt(theta) + 1e-9) {
        theta = t0;
        warnings.push(`boundary (singular) fit: the random-effect covariance is singular (Λ diagonal for ${randomTerms[j]} is 0; a variance is 0 or a correlation is ±1)`);
        converged = true;
      }
      kk += r - j;
    }
  }
  if (!converged) {
    warnings.push(`fitLmm: the θ search did not converge (${Number.isFinite(scaledGradient) ? `scaled gradient ${formatNumber(scaledGradient, 3)}, lme4's tolerance 0.002` : 'the Hessian of the deviance in θ is not positive definite'}); estimates are from the best point found`);
  }

  const fin = profiled(theta, true);
  if (!fin) throw new Error('fitLmm: the profiled deviance is not finite at the optimum');
  const { dev, beta, LX, r2, factors } = fin;
  const sigma2 = r2 / (reml ? n - p : n);
  const Ainv = cholInverse(LX, p);
  const V = new Float64Array(p * p);
  for (let i = 0; i < p * p; i++) V[i] = sigma2 * Ainv[i];

  lambdaOf(theta, r, lam);
  const Sigma = new Float64Array(r * r);
  for (let a = 0; a < r; a++) for (let b = 0; b < r; b++) {
    let s = 0;
    for (let u = 0; u < r; u++) s += lam[a * r + u] * lam[b * r + u];
    Sigma[a * r + b] = sigma2 * s;
  }
  const sd = Array.from({ length: r }, (_, a) => Math.sqrt(Sigma[a * r + a]));
  const cor = Array.from({ length: r }, (_, a) => Array.from({ length: r }, (_, b) => (a === b ? 1 : Sigma[a * r + b] / (sd[a] * sd[b]))));

  // BLUPs: b_g = Λ M_g⁻¹ Λᵀ Z_gᵀ(y − Xβ).
  const blup = Array.from({ length: r }, () => new Float64Array(G));
  const res = new Float64Array(r);
  for (let g = 0; g < G; g++) {
    for (let a = 0; a < r; a++) {
      let s = W[g * r * q + a * q + p];
      for (let j = 0; j < p; j++) s -= W[g * r * q + a * q + j] * beta[j];
      res[a] = s;
    }
    const lt = new Float64Array(r);
    for (let a = 0; a < r; a++) { let s = 0; for (let u = a; u < r; u++) s += lam[u * r + a] * res[u]; lt[a] = s; }
    const u = cholSolve(factors[g], r, lt);
    for (let a = 0; a < r; a++) { let s = 0; for (let b = 0; b <= a; b++) s += lam[a * r + b] * u[b]; blup[a][g] = s; }
  }

  const dfLogLik = p + nTheta + 1;
  const logLik = -dev / 2;
  const tab = coefTable(names, beta, V, reml ? 'REML' : 'ML', 'z', Infinity, level, warnings, 'fitLmm');
  const vcs: VarianceComponent[] = randomTerms.map((t, a) => Object.freeze({ group: `${groupName} ${t}`, variance: Sigma[a * r + a], sd: sd[a], theta: null }));
  vcs.push(Object.freeze({ group: 'Residual', variance: sigma2, sd: Math.sqrt(sigma2), theta: null }));
  const nested = (m: ArrayLike<number>) => Array.from({ length: r }, (_, a) => Object.freeze(Array.from({ length: r }, (_, b) => m[a * r + b])));
  const options = Object.freeze({ reml, level, groupNames: [groupName], randomSlopes: slopeNames });
  const fit: LmmSlopesFit = {
    model: 'lmm',
    ...tab,
    aliased: Object.freeze([]),
    n, reml, deviance: dev, logLik, aic: dev + 2 * dfLogLik, bic: dev + Math.log(n) * dfLogLik, dfLogLik,
    theta: Object.freeze(theta.slice()),
    sigma: Math.sqrt(sigma2),
    varianceComponents: Object.freeze(vcs),
    icc: Object.freeze({}),
    nGroups: Object.freeze([G]),
    ranef: Object.freeze(randomTerms.map((t, a) => Object.freeze({ level: `${groupName} ${t}`, ids: gc.levels, values: blup[a] }))),
    randomTerms: Object.freeze(randomTerms),
    randomCovariance: Object.freeze(nested(Sigma)),
    randomSd: Object.freeze(sd),
    randomCorrelation: Object.freeze(cor.map((rw) => Object.freeze(rw))),
    converged,
    warnings: Object.freeze(warnings),
    options,
    evaluations,
    summary(): TidyRow[] { return tidyRows(tab); },
    tidy(): TidyRow[] { return tidyRows(tab); },
    glance(): TidyRow { return lmerGlance(sigma2, logLik, dev, dfLogLik, n, reml, tab.vcovType); },
    varianceType: tab.vcovType,
    spec: options,
  };
  return Object.freeze(fit);
}

/**
 * Central-difference gradient and Hessian of the profiled deviance in θ (steps 1e-4·max(|θ_j|, 1):
 * lme4's deriv12 delta of 1e-4 up to |θ| = 1, relative above; a smaller step on a near-zero θ sinks
 * the Hessian under the deviance's rounding noise).
 * Output: f0 = dev(θ), g (nθ), H (nθ × nθ, row-major).
 */
function thetaDerivatives(devAt: (t: ArrayLike<number>) => number, theta: readonly number[]): { f0: number; g: Float64Array; H: Float64Array } {
  const m = theta.length;
  const h = theta.map((t) => 1e-4 * Math.max(Math.abs(t), 1));
  const f0 = devAt(theta);
  const g = new Float64Array(m);
  const H = new Float64Array(m * m);
  const at = (d: Array<[number, number]>): number => { const t = theta.slice(); for (const [j, s] of d) t[j] += s * h[j]; return devAt(t); };
  for (let a = 0; a < m; a++) {
    const fp = at([[a, 1]]); const fm = at([[a, -1]]);
    g[a] = (fp - fm) / (2 * h[a]);
    H[a * m + a] = (fp - 2 * f0 + fm) / (h[a] * h[a]);
    for (let b = 0; b < a; b++) {
      const v = (at([[a, 1], [b, 1]]) - at([[a, 1], [b, -1]]) - at([[a, -1], [b, 1]]) + at([[a, -1], [b, -1]])) / (4 * h[a] * h[b]);
      H[a * m + b] = v; H[b * m + a] = v;
    }
  }
  return { f0, g, H };
}

/**
 * lme4's convergence measure (lme4:::checkConv, check.conv.grad): max_i min(|(R⁻¹g)_i|, |g_i|) with
 * H = RᵀR (R = chol(H), upper), i.e. the gradient in units of the deviance's curvature (or the raw
 * gradient where that is smaller). NaN when H is not positive definite.
 */
export function lme4ScaledGradient(d: { g: Float64Array; H: Float64Array }): number {
  const m = d.g.length;
  const L = cholesky(d.H, m);
  if (!L) return NaN;
  // R = Lᵀ: back-substitute Lᵀ s = g.
  const s = new Float64Array(m);
  let max = 0;
  for (let i = m - 1; i >= 0; i--) {
    let v = d.g[i];
    for (let k = i + 1; k < m; k++) v -= L[k * m + i] * s[k];
    s[i] = v / L[i * m + i];
    max = Math.max(max, Math.min(Math.abs(s[i]), Math.abs(d.g[i])));
  }
  return max;
}

/**
 * Extracts one lme4 random-slope term `(1 + z1 + z2 | g)` (or `(z | g)`, which lme4 also reads
 * with an intercept) from a formula. Output: the formula without the term, the grouping column
 * and the slope columns; null when the formula has no such term. Failure: throws on `0 +`/`- 1`
 * (uncorrelated or intercept-free random effects are not supported) or on more than one term.
 */
export function splitRandomSlopes(formula: string): { formula: string; group: string; slopes: string[] } | null {
  const re = /\+?\s*\(\s*([^|()]*?\+[^|()]*?|[A-Za-z.][A-Za-z0-9_.]*)\s*\|\s*([A-Za-z.][A-Za-z0-9_.]*)\s*\)/g;
  const found: Array<{ lhs: string; group: string }> = [];
  const rest = formula.replace(re, (m, lhs: string, group: string) => {
    if (lhs.trim() === '1') return m;
    found.push({ lhs, group });
    return '';
  });
  if (found.length === 0) return null;
  if (found.length > 1) throw new Error(`formula '${formula}': one random-slope term (1 + z | g) is supported`);
  const parts = found[0].lhs.split('+').map((s) => s.trim()).filter((s) => s !== '');
  if (parts.some((s) => s === '0' || /-\s*1/.test(s))) throw new Error(`formula '${formula}': random effects without an intercept are not supported; write (1 + z | g)`);
  const slopes = parts.filter((s) => s !== '1');
  return { formula: rest.replace(/~\s*\+/, '~').trim(), group: found[0].group, slopes };
}
