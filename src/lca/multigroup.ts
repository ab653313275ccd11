/**
 * Multi-group latent class comparison (measurement invariance across periods, e.g.
 * 2015–2020 vs 2020/21):
 *   free:      a separate K-class model per group (item probabilities and shares free);
 *   invariant: item probabilities equal across groups, shares free per group — fitted as a
 *              one-step LCA with group dummies as concomitant variables (saturated logit,
 *              so the per-group shares are free).
 * Reports both fits, an LR test (free vs invariant, df = difference in parameters), BIC, and
 * the invariant model's share differences between groups with delta-method SEs from the
 * empirical information (lcaVcov).
 */
import { pChisqUpper, pNormTwoSided, qNorm } from '../core/distributions';
import { degenerateMessage, usableVariance, waldInference } from '../core/guard';
import { alignClasses, permuteClasses } from './align';
import { type LcaFit, type LcaOptions, type LcaStartValues, fitLca } from './fit/fit';
import { type LcaRowsInput, codeRows } from './prepare';
import { lcaVcov } from './vcov/vcov';

export interface LcaMultiGroupOptions extends Omit<LcaOptions, 'covariates' | 'covariateNames' | 'startValues'> {
  /** group label of each row */
  groups: ArrayLike<string | number>;
  /** order of the groups (default: sorted labels); the first is the reference */
  groupLevels?: Array<string | number>;
  level?: number;
  /**
   * How the two models start.
   * 'pooled' (default): nested starts. The invariant model starts from the pooled K-class fit
   * (`pooled`, or one fitted here with `starts`/`seed`/`preRun`), whose parameters it contains
   * (equal shares in every group), and each group's free model starts from the invariant fit.
   * EM never lowers ℓ, so ℓ(free) ≥ ℓ(invariant) ≥ ℓ(pooled) holds by construction.
   * 'random': each model from its own random starts (`starts`, `seed`); the nesting then holds
   * only if every model reaches its global maximum.
   */
  startFrom?: 'pooled' | 'random';
  /**
   * the pooled K-class fit on the same rows (e.g. from model selection), to start from. Its
   * stopping rule (`tol`, `relTol`, `paramTol`) is used for the nested models where these options
   * leave it unset, so all three models are converged to the same precision before the LR test
   * compares them (an absolute tol alone is far stricter at millions of rows than at thousands).
   */
  pooled?: LcaFit;
  /** start values for the invariant model instead of the pooled fit: item probabilities and the (common) shares */
  startValues?: LcaStartValues;
}

export interface LcaMultiGroupResult {
  groupLevels: string[];
  groupSizes: number[];
  /** the pooled K-class model (same item probabilities and shares in every group); null with startFrom 'random' */
  pooled: { logLik: number; nParams: number; aic: number; bic: number; fit: LcaFit } | null;
  free: { logLik: number; nParams: number; aic: number; bic: number; fits: LcaFit[] };
  invariant: { logLik: number; nParams: number; aic: number; bic: number; fit: LcaFit; shares: number[][] };
  lrt: { statistic: number; df: number; pValue: number };
  /** one tidy row per model */
  table: Array<Record<string, number | string | null>>;
  /** invariant model: share of each class per group, and each group's difference from the reference group */
  shareDifferences: Array<Record<string, number | string | null>>;
  /** the invariant fit's warnings, and the free fits' (prefixed by group) */
  warnings: string[];
  spec: Readonly<Omit<LcaMultiGroupOptions, 'pooled' | 'startValues'>>;
  /** shares are compared with the invariant model's empirical-information SEs */
  varianceType: 'empirical-information';
  /** the share differences (one row per group and class) */
  tidy(): Array<Record<string, number | string | null>>;
  /** the invariance LR test with nobs and df.residual of the invariant model */
  glance(): Record<string, number | string | null>;
  /** one row per model (= table) */
  summary(): Array<Record<string, number | string | null>>;
}

function softmaxShares(beta: number[][], g: number, K: number): number[] {
  const eta = [0];
  for (let k = 1; k < K; k++) eta.push(beta[0][k - 1] + (g > 0 ? beta[g][k - 1] : 0));
  const m = Math.max(...eta);
  const e = eta.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/**
 * Multi-group LCA: free (one K-class model per group) against measurement-invariant (item
 * probabilities shared, shares free per group) models, with an LR test, BIC, and the
 * invariant model's share differences between groups with delta-method SEs (lcaVcov).
 * Inputs: item rows (codes 0..C−1, null missing), options with `classes`, `groups` (one label per
 * row; the first of `groupLevels` is the reference) and LCA options. Errors: a row without a
 * group, fewer than 2 groups, a group not in groupLevels, or the LCA input errors (row and item
 * named). Source: multiple-group LCA (Collins & Lanza 2010), fitted by EM as poLCA.
 */
export function lcaMultiGroup(rows: LcaRowsInput, options: LcaMultiGroupOptions): LcaMultiGroupResult {
  const K = options.classes;
  const coded = codeRows(rows, options.nCategories);
  const n = coded.nRows;
  if (options.groups.length !== n) throw new Error(`groups: length ${options.groups.length}, expected ${n} (one per row)`);
  const labels = Array.from(options.groups, (g, i) => {
    if (g === null || g === undefined || (typeof g === 'number' && Number.isNaN(g))) throw new Error(`groups: row ${i + 1} has no group`);
    return String(g);
  });
  const levels = options.groupLevels ? options.groupLevels.map(String) : Array.from(new Set(labels)).sort();
  if (levels.length < 2) throw new Error(`groups: need at least 2 groups, found ${levels.length}`);
  const gi = labels.map((l, i) => {
    const g = levels.indexOf(l);
    if (g < 0) throw new Error(`groups: row ${i + 1} has group "${l}", not in groupLevels`);
    return g;
  });
  const G = levels.length;
  const nCategories = Array.from(coded.nCategories);
  const base = { ...options, nCategories } as LcaOptions & { groups?: unknown; groupLevels?: unknown; startFrom?: unknown; pooled?: unknown; level?: unknown };
  delete base.groups;
  delete base.groupLevels;
  delete base.startFrom;
  delete base.pooled;
  delete base.level;
  delete base.startValues;
  const startFrom = options.startFrom ?? 'pooled';
  if (startFrom !== 'pooled' && startFrom !== 'random') throw new Error(`startFrom: '${String(startFrom)}' is not 'pooled' or 'random'`);
  if (startFrom === 'pooled' && options.pooled) {
    const po = options.pooled.options;
    if (options.tol === undefined && po.tol !== undefined) base.tol = po.tol;
    if (options.relTol === undefined && po.relTol !== undefined) base.relTol = po.relTol;
    if (options.paramTol === undefined && po.paramTol !== undefined) base.paramTol = po.paramTol;
  }
  const allRows = { codes: coded.codes, nRows: n, nItems: coded.nItems };
  // pooled model: the common starting point of the nested fits
  let pooled: LcaFit | null = null;
  let invStart: LcaStartValues | undefined;
  if (startFrom === 'pooled') {
    if (options.startValues) invStart = options.startValues;
    else {
      pooled = options.pooled ?? fitLca(allRows, { ...base, classes: K });
      if (pooled.nClasses !== K) throw new Error(`pooled: the fit has ${pooled.nClasses} classes, expected ${K}`);
      if (pooled.nRows !== n || pooled.nItems !== coded.nItems) throw new Error(`pooled: the fit has ${pooled.nRows} rows × ${pooled.nItems} items, expected ${n} × ${coded.nItems} (the same rows)`);
      if (pooled.beta) throw new Error('pooled: the fit has covariates; pass a fit without covariates');
      invStart = { itemProbs: pooled.itemProbs, shares: pooled.shares };
    }
    const sh = invStart.shares ?? new Array<number>(K).fill(1 / K);
    if (sh.length !== K || sh.some((v) => !(v > 0))) throw new Error('startValues.shares: need K positive shares');
    // equal shares in every group: intercepts log(π_k/π_1), group effects 0
    const beta: number[][] = [Array.from({ length: K - 1 }, (_, k) => Math.log(sh[k + 1] / sh[0]))];
    for (let g = 1; g < G; g++) beta.push(new Array<number>(K - 1).fill(0));
    invStart = { itemProbs: invStart.itemProbs, shares: sh, beta };
  }
  // invariant model: group dummies as covariates
  const dummies = gi.map((g) => Array.from({ length: G - 1 }, (_, h) => (g === h + 1 ? 1 : 0)));
  const inv = fitLca(allRows, { ...base, classes: K, covariates: dummies, covariateNames: levels.slice(1).map((l) => `group${l}`), startValues: invStart });
  const invShares = Array.from({ length: G }, (_, g) => softmaxShares(inv.beta as number[][], g, K));
  // free model: one fit per group, started from the invariant fit restricted to the group
  const fits: LcaFit[] = [];
  const sizes: number[] = [];
  for (let g = 0; g < G; g++) {
    const idx: number[] = [];
    for (let i = 0; i < n; i++) if (gi[i] === g) idx.push(i);
    sizes.push(idx.length);
    const sub = new Int16Array(idx.length * coded.nItems);
    idx.forEach((i, r) => sub.set(coded.codes.subarray(i * coded.nItems, (i + 1) * coded.nItems), r * coded.nItems));
    const w = options.weights ? idx.map((i) => Number((options.weights as ArrayLike<number>)[i])) : undefined;
    const sv: LcaStartValues | undefined = startFrom === 'pooled' ? { itemProbs: inv.itemProbs, shares: invShares[g] } : undefined;
    fits.push(fitLca({ codes: sub, nRows: idx.length, nItems: coded.nItems }, { ...base, classes: K, weights: w, seed: (options.seed ?? 1) + g, startValues: sv }));
  }
  const N = inv.N;
  const llFree = fits.reduce((a, f) => a + f.logLik, 0);
  const nFree = fits.reduce((a, f) => a + f.nParams, 0);
  const stat = 2 * (llFree - inv.logLik);
  const df = nFree - inv.nParams;
  const lrt = { statistic: stat, df, pValue: pChisqUpper(Math.max(stat, 0), df) };
  const free = { logLik: llFree, nParams: nFree, aic: -2 * llFree + 2 * nFree, bic: -2 * llFree + Math.log(N) * nFree, fits };
  const shares = invShares;
  // delta method for share differences; lcaVcov orders beta as (class k = 2..K) × (design column s)
  const S = G;
  const v = lcaVcov(inv).vcov;
  const pos = (s: number, k: number): number => (k - 1) * S + s; // k ≥ 1
  const grad = (g: number, k: number): number[] => {
    const out = new Array<number>((K - 1) * S).fill(0);
    const p = shares[g];
    for (let l = 1; l < K; l++) {
      const d = p[k] * ((k === l ? 1 : 0) - p[l]);
      out[pos(0, l)] += d;
      if (g > 0) out[pos(g, l)] += d;
    }
    return out;
  };
  const z = qNorm(1 - (1 - (options.level ?? 0.95)) / 2);
  const shareDifferences: Array<Record<string, number | string | null>> = [];
  const degenerate: string[] = [];
  const freeAligned = fits.map((f) => permuteClasses(f.shares, alignClasses(f, inv)));
  for (let g = 1; g < G; g++)
    for (let k = 0; k < K; k++) {
      const a = grad(0, k);
      const b = grad(g, k);
      const d = b.map((x, i) => x - a[i]);
      let varD = 0;
      for (let i = 0; i < d.length; i++) for (let j = 0; j < d.length; j++) varD += d[i] * v[i][j] * d[j];
      const est = shares[g][k] - shares[0][k];
      // A zero, negative or non-finite delta-method variance gives NaN, not SE 0 (core/guard).
      const w = waldInference(est, varD, z);
      if (!usableVariance(varD) && !Number.isNaN(varD)) degenerate.push(`share[class ${k + 1}]: ${levels[g]} − ${levels[0]}`);
      shareDifferences.push({
        term: `share[class ${k + 1}]: ${levels[g]} − ${levels[0]}`,
        class: k + 1,
        group: levels[g],
        reference: levels[0],
        share: shares[g][k],
        'share.reference': shares[0][k],
        estimate: est,
        'std.error': w.se,
        statistic: w.statistic,
        'p.value': pNormTwoSided(w.statistic),
        'conf.low': w.low,
        'conf.high': w.high,
        'free.estimate': freeAligned[g][k] - freeAligned[0][k],
      });
    }
  const pooledOut = pooled ? { logLik: pooled.logLik, nParams: pooled.nParams, aic: pooled.aic, bic: pooled.bic, fit: pooled } : null;
  const table: Array<Record<string, number | string | null>> = [
    ...(pooledOut ? [{ model: 'pooled (item probabilities and shares equal across groups)', logLik: pooledOut.logLik, nParams: pooledOut.nParams, aic: pooledOut.aic, bic: pooledOut.bic }] : []),
    { model: 'free (item probabilities differ by group)', logLik: free.logLik, nParams: free.nParams, aic: free.aic, bic: free.bic },
    { model: 'invariant (item probabilities equal, shares free)', logLik: inv.logLik, nParams: inv.nParams, aic: inv.aic, bic: inv.bic },
  ];
  return Object.freeze({
    groupLevels: levels,
    groupSizes: sizes,
    pooled: pooledOut,
    free,
    invariant: { logLik: inv.logLik, nParams: inv.nParams, aic: inv.aic, bic: inv.bic, fit: inv, shares },
    lrt,
    table,
    shareDifferences,
    warnings: [...inv.warnings, ...free.fits.flatMap((f, g) => f.warnings.map((w) => `${levels[g]}: ${w}`)),
      ...(degenerate.length ? [degenerateMessage('lcaMultiGroup', { kind: 'zero-variance', terms: degenerate })] : [])],
    spec: Object.freeze(specOf(options)),
    varianceType: 'empirical-information' as const,
    tidy: () => shareDifferences,
    glance: () => ({ statistic: lrt.statistic, df: lrt.df, 'p.value': lrt.pValue, logLik: inv.logLik, npar: inv.nParams, nobs: inv.N, 'df.residual': inv.residDf }),
    summary: () => table,
  });
}

function specOf(o: LcaMultiGroupOptions): Omit<LcaMultiGroupOptions, 'pooled' | 'startValues'> {
  const { pooled, startValues, ...rest } = o;
  void pooled; void startValues;
  return rest;
}
