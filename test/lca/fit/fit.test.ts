/**
 * fitLca against poLCA 1.6.0.2 (../shared/reference/lca_*), with the README's tolerances:
 * logLik/AIC/BIC 1e-6 relative; shares, item probabilities and posteriors 1e-4 absolute after
 * aligning classes (1e-6 vs polished_mle when our EM is run to a parameter-change tolerance);
 * EM checkpoints from R's starting values 1e-8 relative + 1e-10 absolute; counts exact.
 */
import { describe, expect, it } from 'vitest';
import { alignClasses, fitLca, permuteClasses, type LcaFit } from '../../../src/lca/index';
import { loadLca, relClose, toItemProbs, worstExcess } from '../fixtures';

function checkCounts(f: LcaFit, e: any): void {
  expect(f.N).toBe(e.N);
  expect(f.nFullyObserved).toBe(e.N_fully_observed);
  expect(f.nParams).toBe(e.n_parameters);
  expect(f.residDf).toBe(e.resid_df);
}

function checkIndices(f: LcaFit, e: any): void {
  expect(relClose(f.logLik, e.loglik, 1e-6)).toBe(true);
  expect(relClose(f.aic, e.aic, 1e-6)).toBe(true);
  expect(relClose(f.bic, e.bic, 1e-6)).toBe(true);
  // G² and χ² are informational; poLCA's estimates sit ~1e-6 from the optimum, so compare loosely
  expect(relClose(f.gsq, e.gsq, 1e-5)).toBe(true);
  expect(relClose(f.chisq, e.chisq, 1e-5)).toBe(true);
}

/** compare shares, item probabilities and posteriors (first 20 rows) with `ref` after alignment */
function checkParams(f: LcaFit, items: string[], ref: { class_shares: number[]; item_probs: any; posterior?: number[][] }, atol: number): number[] {
  const refProbs = toItemProbs(ref.item_probs, items);
  const perm = alignClasses(f, refProbs);
  expect(worstExcess(permuteClasses(f.itemProbs, perm), refProbs, 0, atol)).toBeLessThanOrEqual(0);
  expect(worstExcess(permuteClasses(f.shares, perm), ref.class_shares, 0, atol)).toBeLessThanOrEqual(0);
  if (ref.posterior) {
    const K = f.nClasses;
    const post = ref.posterior.map((_, i) => perm.map((p) => f.posterior.data[i * K + p]));
    expect(worstExcess(post, ref.posterior, 0, atol)).toBeLessThanOrEqual(0);
  }
  return perm;
}

function startValuesOf(e: any, items: string[]): { itemProbs: number[][][] } {
  return { itemProbs: toItemProbs(e.starting_item_probs_of_best_replication, items) };
}

function checkCheckpoints(rows: Array<Array<number | null>>, e: any, items: string[], covariates?: number[][]): void {
  const K = e.K;
  for (const t of [1, 10]) {
    const cp = e.em_checkpoints_from_best_start[`after_${t}_iterations`];
    // poLCA's own EM iterations, so plain EM (no SQUAREM)
    const f = fitLca(rows, { classes: K, startValues: startValuesOf(e, items), maxIter: t, sortClasses: false, covariates, accelerate: false });
    expect(f.iterations).toBe(t);
    expect(worstExcess(f.logLik, cp.loglik, 1e-8, 0)).toBeLessThanOrEqual(0);
    expect(worstExcess(f.shares, cp.class_shares, 1e-8, 1e-10)).toBeLessThanOrEqual(0);
    expect(worstExcess(f.itemProbs, toItemProbs(cp.item_probs, items), 1e-8, 1e-10)).toBeLessThanOrEqual(0);
  }
}

/** From R's start, run to a parameter tolerance: matches polished_mle to 1e-6; then R's EM checkpoints. */
function checkPolishedAndCheckpoints(fx: ReturnType<typeof loadLca>, e: any): void {
  const f = fitLca(fx.rows, { classes: e.K, startValues: startValuesOf(e, fx.items), paramTol: 1e-12, maxIter: 20000 });
  checkParams(f, fx.items, { ...e.polished_mle, posterior: e.polished_mle.posterior_first20 }, 1e-6);
  checkCheckpoints(fx.rows, e, fx.items);
}

describe('lca_binary (10 binary items, N = 3000)', () => {
  const fx = loadLca('lca_binary');
  for (const K of [2, 3]) {
    const e = fx.expected[`K${K}`];
    it(`K = ${K}: random starts reach poLCA's maximum; counts, indices, parameters, posteriors`, () => {
      const f = fitLca(fx.rows, { classes: K, starts: 10, seed: 2024, workers: false });
      checkCounts(f, e);
      checkIndices(f, e);
      expect(f.converged).toBe(true);
      expect(f.bestLogLikReplicated.total).toBe(10);
      checkParams(f, fx.items, { ...e, posterior: e.posterior_first20_at_final_parameters }, 1e-4);
      // classes come out sorted by share
      for (let k = 1; k < K; k++) expect(f.shares[k]).toBeLessThanOrEqual(f.shares[k - 1]);
    });
    it(`K = ${K}: run to a parameter tolerance, matches polished_mle to 1e-6`, () => {
      const f = fitLca(fx.rows, { classes: K, startValues: startValuesOf(e, fx.items), paramTol: 1e-12, maxIter: 20000 });
      expect(f.converged).toBe(true);
      expect(relClose(f.logLik, e.polished_mle.loglik, 1e-10)).toBe(true);
      checkParams(f, fx.items, { ...e.polished_mle, posterior: e.polished_mle.posterior_first20 }, 1e-6);
    });
    it(`K = ${K}: SQUAREM-accelerated EM reaches the same polished_mle in fewer iterations`, () => {
      const plain = fitLca(fx.rows, { classes: K, startValues: startValuesOf(e, fx.items), paramTol: 1e-12, maxIter: 20000, accelerate: false });
      const f = fitLca(fx.rows, { classes: K, startValues: startValuesOf(e, fx.items), paramTol: 1e-12, maxIter: 20000, accelerate: true });
      expect(f.converged).toBe(true);
      expect(f.iterations).toBeLessThan(plain.iterations);
      checkParams(f, fx.items, { ...e.polished_mle, posterior: e.polished_mle.posterior_first20 }, 1e-6);
    });
    it(`K = ${K}: EM checkpoints after 1 and 10 iterations from R's start`, () => checkCheckpoints(fx.rows, e, fx.items));
  }
  for (const K of [4, 5]) {
    const e = fx.expected[`K${K}`];
    it(`K = ${K} (over-fitted): from R's best start, same maximum and checkpoints`, () => {
      const sv = e.better_solution ? { itemProbs: toItemProbs(e.better_solution.starting_item_probs, fx.items) } : startValuesOf(e, fx.items);
      const f = fitLca(fx.rows, { classes: K, startValues: sv });
      checkCounts(f, e);
      const target = e.better_solution ? e.better_solution.loglik : e.loglik;
      // within 1e-6 relative, or above R (R missed a better maximum)
      expect(f.logLik >= target - 1e-6 * Math.abs(target)).toBe(true);
      expect(relClose(f.logLik, target, 1e-6)).toBe(true);
      expect(relClose(f.bic, e.bic, 1e-6)).toBe(true);
      checkCheckpoints(fx.rows, e, fx.items);
    });
  }
});

describe('lca_missing (na.rm = FALSE, ~10 % missing)', () => {
  const fx = loadLca('lca_missing');
  const e = fx.expected.K;
  it('random starts: counts (N vs N_fully_observed), indices, parameters', () => {
    const f = fitLca(fx.rows, { classes: 3, starts: 10, seed: 7, workers: false });
    checkCounts(f, e);
    checkIndices(f, e);
    checkParams(f, fx.items, { ...e, posterior: e.posterior_first20_at_final_parameters }, 1e-4);
  });
  it('polished_mle to 1e-6 and checkpoints', () => checkPolishedAndCheckpoints(fx, e));
  it('sparse and blocked E-steps give the same fit as the dense one (with missing values)', () => {
    const sv = startValuesOf(e, fx.items);
    const a = fitLca(fx.rows, { classes: 3, startValues: sv, eStep: 'dense', sortClasses: false });
    expect(a.internal.prepared.eStepMode).toBe('dense');
    for (const mode of ['sparse', 'blocked'] as const) {
      const b = fitLca(fx.rows, { classes: 3, startValues: sv, eStep: mode, sortClasses: false });
      expect(b.internal.prepared.eStepMode).toBe(mode);
      expect(Math.abs(a.logLik - b.logLik)).toBeLessThan(1e-8);
      expect(b.iterations).toBe(a.iterations);
      expect(worstExcess(b.itemProbs, a.itemProbs, 0, 1e-10)).toBeLessThanOrEqual(0);
      expect(worstExcess(Array.from(b.posterior.data), Array.from(a.posterior.data), 0, 1e-10)).toBeLessThanOrEqual(0);
    }
  });
});

describe('lca_polytomous (2–4 categories)', () => {
  const fx = loadLca('lca_polytomous');
  const e = fx.expected.K;
  it('random starts: counts, indices, parameters', () => {
    const f = fitLca(fx.rows, { classes: 3, starts: 6, seed: 11, workers: false });
    expect(f.nCategories).toEqual(fx.items.map((it) => fx.spec.categories_per_item[it]));
    checkCounts(f, e);
    checkIndices(f, e);
    checkParams(f, fx.items, { ...e, posterior: e.posterior_first20_at_final_parameters }, 1e-4);
  });
  it('polished_mle to 1e-6 and checkpoints', () => checkPolishedAndCheckpoints(fx, e));
});

describe('lca_covariate (one-step multinomial logit on z)', () => {
  const fx = loadLca('lca_covariate');
  const e = fx.expected.K;
  const z = fx.extra.z.map((v) => [v]);
  it('random starts: counts, indices, parameters, coefficients vs the largest class', () => {
    const f = fitLca(fx.rows, { classes: 3, starts: 3, seed: 5, covariates: z, covariateNames: ['z'], workers: false });
    checkCounts(f, e);
    checkIndices(f, e);
    const perm = checkParams(f, fx.items, { ...e.sorted_by_share, posterior: e.sorted_by_share.posterior_first20_at_final_parameters }, 1e-4);
    expect(perm).toEqual([0, 1, 2]); // both sorted by share
    expect(f.betaNames).toEqual(['(Intercept)', 'z']);
    expect(worstExcess(f.beta, e.sorted_by_share.coefficients.values, 0, 1e-4)).toBeLessThanOrEqual(0);
  });
  it('polished_mle coefficients to 1e-6 (poLCA order, from R\'s start)', () => {
    const f = fitLca(fx.rows, { classes: 3, startValues: startValuesOf(e, fx.items), covariates: z, paramTol: 1e-12, maxIter: 20000, sortClasses: false });
    const pm = e.polished_mle;
    const perm = checkParams(f, fx.items, { ...pm, posterior: pm.posterior_first20 }, 1e-6);
    expect(relClose(f.logLik, pm.loglik, 1e-10)).toBe(true);
    // re-express our coefficients in poLCA's class order before comparing
    const b = (s: number, k: number): number => (k === 0 ? 0 : (f.beta as number[][])[s][k - 1]);
    const ours = [0, 1].map((s) => [1, 2].map((k) => b(s, perm[k]) - b(s, perm[0])));
    expect(worstExcess(ours, pm.coefficients.values, 0, 1e-6)).toBeLessThanOrEqual(0);
  });
});
