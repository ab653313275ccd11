/**
 * The simulation set-up the three-step class-effect tests share (test/classeffects): a 3-class
 * latent class model with moderate separation (relative entropy ≈ 0.75), step 1 fitted from the
 * true values, and a Monte Carlo study of modal vs BCH estimates of the class effects γ.
 */
import { expect } from 'vitest';
import { fitLca } from '../../src/lca/index';
import { simulateClassOutcome } from '../../src/classeffects/index';
import type { TidyRow } from '../../src/core/result';
import type { DenseMatrix } from '../../src/core/matrix';

export const SIM_SHARES = [0.5, 0.3, 0.2];
const pattern = [[1, 1, 1, 1, 0, 0, 0, 0], [0, 0, 1, 1, 1, 1, 0, 0], [0, 0, 0, 0, 0, 1, 1, 1]];
/** [class][item][category]: P(item present) 0.8 where the class has the item, else 0.2. */
export const SIM_ITEM_PROBS = pattern.map((r) => r.map((v) => (v ? [0.2, 0.8] : [0.8, 0.2])));

export type ClassSim = ReturnType<typeof simulateClassOutcome>;

/** Step 1: the 3-class LCA on the simulated indicators, started from the truth (classes not re-sorted). */
export function step1(s: ClassSim) {
  return fitLca({ codes: s.codes, nRows: s.nRows, nItems: s.nItems }, { classes: 3, startValues: { itemProbs: SIM_ITEM_PROBS, shares: SIM_SHARES }, sortClasses: false, tol: 1e-8, workers: false });
}

/**
 * Monte Carlo study: `reps` data sets of `n` units from simulateClassOutcome (seeds seed0 + r),
 * each fitted by `fit` with modal and BCH assignment; checks that modal is attenuated (|mean| <
 * 90% of γ), BCH is unbiased (within 3 Monte Carlo SEs or 3% of γ) with 95% intervals covering in
 * [0.90, 0.99], and modal coverage is below `modalCoverMax`.
 */
export function expectBchRecoversModalAttenuates(opts: {
  reps: number; n: number; seed0: number; gamma: number[]; outcome: 'normal' | 'cox'; censorMax?: number; modalCoverMax: number;
  fit: (s: ClassSim, posterior: DenseMatrix, method: 'modal' | 'bch') => TidyRow[];
}): void {
  const { reps, n, gamma } = opts;
  const est: Record<'modal' | 'bch', number[][]> = { modal: [[], []], bch: [[], []] };
  const inside: Record<'modal' | 'bch', number> = { modal: 0, bch: 0 };
  for (let r = 0; r < reps; r++) {
    const s = simulateClassOutcome(n, {
      shares: SIM_SHARES, itemProbs: SIM_ITEM_PROBS, classEffects: gamma, zEffect: 0.5, outcome: opts.outcome,
      ...(opts.censorMax !== undefined ? { censorMax: opts.censorMax } : {}), seed: opts.seed0 + r,
    });
    const f1 = step1(s);
    for (const method of ['modal', 'bch'] as const) {
      const rows = opts.fit(s, f1.posterior, method);
      [2, 3].forEach((k, j) => {
        const t = rows.find((x) => x.term === `class${k}`)!;
        est[method][j].push(t.estimate as number);
        if ((t['conf.low'] as number) <= gamma[k - 1] && gamma[k - 1] <= (t['conf.high'] as number)) inside[method]++;
      });
    }
  }
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const cover = (m: 'modal' | 'bch') => inside[m] / (2 * reps);
  for (let j = 0; j < 2; j++) {
    const truth = gamma[j + 1];
    // modal: pulled towards 0 by at least 10% of the effect
    expect(Math.abs(mean(est.modal[j]))).toBeLessThan(0.9 * Math.abs(truth));
    // BCH: bias within 3 Monte Carlo SEs or below 3% of the effect
    const sd = Math.sqrt(mean(est.bch[j].map((v) => (v - mean(est.bch[j])) ** 2)));
    expect(Math.abs(mean(est.bch[j]) - truth)).toBeLessThan(Math.max(3 * sd / Math.sqrt(reps), 0.03 * Math.abs(truth)));
  }
  // 2 x reps intervals: at reps = 80 nominal 0.95 has Monte Carlo SE ≈ 0.017
  expect(cover('bch')).toBeGreaterThanOrEqual(0.9);
  expect(cover('bch')).toBeLessThanOrEqual(0.99);
  expect(cover('modal')).toBeLessThan(opts.modalCoverMax);
}
