/**
 * lcaVcov: the moments path (low-dimensional moments of the sparse responses) gives the direct
 * path's information, hence its vcov, up to rounding; 'auto' picks moments on many sparse rows.
 */
import { describe, expect, it } from 'vitest';
import { type LcaFit, fitLca, lcaVcov } from '../../../src/lca/index';
import { codesToRows, simulateLca } from '../../../src/lca/simulate';
import { createRng } from '../../../src/core/random';
import { loadLca } from '../fixtures';

/** itemProbs[class][item][category] with the first category dominant overall (low prevalences) */
function profiles(K: number, J: number, C: number | number[], seed: number): number[][][] {
  const rng = createRng(seed);
  return Array.from({ length: K }, (_, k) =>
    Array.from({ length: J }, (_, j) => {
      const Cj = typeof C === 'number' ? C : C[j % C.length];
      // class k endorses items j ≡ k (mod K) often, others rarely
      const high = (j + k) % K === 0;
      const w = Array.from({ length: Cj }, (_, c) => (c === 0 ? (high ? 0.3 : 6) : 0.2 + rng.nextFloat()));
      const s = w.reduce((x, y) => x + y, 0);
      return w.map((x) => x / s);
    }),
  );
}

/**
 * Largest difference of the two vcovs: plainly relative (all entries, and diagonal only) and
 * relative to the entry's scale sqrt(V_aa V_bb). Near-zero covariances (correlations ~1e-6)
 * make the plain relative figure of off-diagonal entries meaningless, so the assertion uses
 * the plain relative difference on the diagonal and the scaled one elsewhere.
 */
function compareMethods(f: LcaFit): { rel: number; relDiag: number; scaled: number; P: number } {
  const d = lcaVcov(f, { method: 'direct' });
  const m = lcaVcov(f, { method: 'moments' });
  expect(d.method).toBe('direct');
  expect(m.method).toBe('moments');
  expect(m.names).toEqual(d.names);
  const P = d.names.length;
  let rel = 0;
  let relDiag = 0;
  let scaled = 0;
  for (let a = 0; a < P; a++)
    for (let b = 0; b < P; b++) {
      const diff = Math.abs(m.vcov[a][b] - d.vcov[a][b]);
      rel = Math.max(rel, diff / Math.abs(d.vcov[a][b]));
      if (a === b) relDiag = Math.max(relDiag, diff / d.vcov[a][a]);
      scaled = Math.max(scaled, diff / Math.sqrt(d.vcov[a][a] * d.vcov[b][b]));
    }
  // null (fixed) SEs in the same places, the others equal
  const se = (v: typeof d): Array<number | null> => [...v.sharesSe, ...v.itemProbsSe.flat(2), ...(v.betaSe ?? []).flat()];
  const sd = se(d);
  se(m).forEach((x, i) => {
    const ref = sd[i];
    if (ref === null) expect(x).toBeNull();
    else expect(Math.abs((x as number) - ref)).toBeLessThanOrEqual(1e-9 * ref);
  });
  return { rel, relDiag, scaled, P };
}

function check(label: string, f: LcaFit): void {
  const r = compareMethods(f);
  console.log(`${label}: P = ${r.P}, max relative difference ${r.rel.toExponential(2)} (diagonal ${r.relDiag.toExponential(2)}), max scaled ${r.scaled.toExponential(2)}`);
  expect(r.P).toBeGreaterThan(0);
  expect(r.relDiag).toBeLessThanOrEqual(1e-9);
  expect(r.scaled).toBeLessThanOrEqual(1e-9);
}

const fitOpts = { starts: 2, maxIter: 300, workers: false as const, seed: 3 };

describe('lcaVcov moments path = direct path', () => {
  it('binary sparse items, K = 4', () => {
    const sim = simulateLca(4000, [0.4, 0.3, 0.2, 0.1], profiles(4, 12, 2, 1), 11);
    const f = fitLca(codesToRows(sim.codes, sim.nRows, sim.nItems), { classes: 4, ...fitOpts });
    expect(f.internal.prepared.data.sparse).not.toBeNull();
    check('binary', f);
    expect(lcaVcov(f).method).toBe('moments');
  });

  it('polytomous items (2–4 categories), also without data.sparse (dense E-step)', () => {
    const sim = simulateLca(3000, [0.5, 0.3, 0.2], profiles(3, 9, [2, 3, 4], 2), 12);
    const rows = codesToRows(sim.codes, sim.nRows, sim.nItems);
    check('polytomous', fitLca(rows, { classes: 3, ...fitOpts }));
    const g = fitLca(rows, { classes: 3, ...fitOpts, eStep: 'dense' });
    expect(g.internal.prepared.data.sparse).toBeNull();
    check('polytomous, dense E-step', g);
  });

  it('about 5 % missing values', () => {
    const sim = simulateLca(3000, [0.5, 0.3, 0.2], profiles(3, 10, [2, 3], 3), 13, 0.05);
    check('missing', fitLca(codesToRows(sim.codes, sim.nRows, sim.nItems), { classes: 3, ...fitOpts }));
  });

  it('case weights, uncompressed rows', () => {
    const sim = simulateLca(2500, [0.6, 0.4], profiles(2, 8, [2, 3], 4), 14, 0.02);
    const rng = createRng(99);
    const weights = Array.from({ length: sim.nRows }, () => 0.2 + 2 * rng.nextFloat());
    const rows = codesToRows(sim.codes, sim.nRows, sim.nItems);
    check('weights', fitLca(rows, { classes: 2, ...fitOpts, weights }));
    check('weights, no compression', fitLca(rows, { classes: 2, ...fitOpts, weights, compress: false }));
  });

  it('covariates (logit coefficients)', () => {
    const sim = simulateLca(3000, [0.5, 0.3, 0.2], profiles(3, 10, 2, 5), 15, 0.03);
    const rng = createRng(7);
    // a group dummy and a continuous covariate, both related to the true class
    const covariates = Array.from(sim.classes, (k) => [k === 1 ? (rng.nextFloat() < 0.8 ? 1 : 0) : rng.nextFloat() < 0.3 ? 1 : 0, k + rng.nextFloat() * 2]);
    const f = fitLca(codesToRows(sim.codes, sim.nRows, sim.nItems), { classes: 3, ...fitOpts, covariates });
    expect(f.beta).not.toBeNull();
    check('covariates', f);
  });

  it('boundary-fixed parameters and K = 1', () => {
    // item probabilities of exactly 0 / 1 in some classes: the EM drives them to the boundary
    const probs = profiles(3, 8, 2, 6);
    probs[0][1] = [1, 0];
    probs[1][2] = [0, 1];
    const sim = simulateLca(3000, [0.4, 0.35, 0.25], probs, 16);
    const rows = codesToRows(sim.codes, sim.nRows, sim.nItems);
    const f = fitLca(rows, { classes: 3, ...fitOpts, maxIter: 3000 });
    expect(lcaVcov(f, { method: 'moments' }).itemProbsSe.flat(2).some((s) => s === null)).toBe(true);
    check('boundary', f);
    check('K = 1', fitLca(rows, { classes: 1, ...fitOpts }));
  });

  it('poLCA fixtures', () => {
    for (const [name, K] of [['lca_binary', 3], ['lca_missing', 3], ['lca_polytomous', 3]] as const) {
      const fx = loadLca(name);
      check(`fixture ${name}`, fitLca(fx.rows, { classes: K, ...fitOpts }));
    }
  });
});

/**
 * Timing on a national-like shape, run by hand: LCA_VCOV_BENCH=1 npx vitest run test/lca/vcov/moments.test.ts
 * (no timing assertions: the numbers are printed).
 */
describe.skipIf(!process.env.LCA_VCOV_BENCH)('lcaVcov timing, national-like shape', () => {
  it('300k rows, 45 sparse binary items, K = 12 (and with a group covariate)', () => {
    const K = 12;
    const J = 45;
    const rng = createRng(5);
    // each class endorses a few items often; everything else is rare (2–10 %)
    const probs = Array.from({ length: K }, (_, k) =>
      Array.from({ length: J }, (_, j) => {
        const p = (j + k) % K === 0 ? 0.6 + 0.3 * rng.nextFloat() : 0.02 + 0.08 * rng.nextFloat();
        return [1 - p, p];
      }),
    );
    const shares = Array.from({ length: K }, (_, k) => (K - k) / ((K * (K + 1)) / 2));
    const sim = simulateLca(300000, shares, probs, 21);
    const rows = codesToRows(sim.codes, sim.nRows, sim.nItems);
    const group = Array.from(sim.classes, (k) => [rng.nextFloat() < (k < K / 2 ? 0.7 : 0.3) ? 1 : 0]);
    for (const [label, covariates] of [['no covariates', undefined], ['group covariate', group]] as const) {
      const f = fitLca(rows, { classes: K, starts: 1, maxIter: 5, workers: false, covariates });
      const sp = f.internal.prepared.data.sparse;
      const meanEntries = sp ? sp.entryStart[f.nPatterns] / f.nPatterns : NaN;
      let t = performance.now();
      const m = lcaVcov(f, { method: 'moments' });
      const tm = performance.now() - t;
      t = performance.now();
      const d = lcaVcov(f, { method: 'direct' });
      const td = performance.now() - t;
      const P = d.names.length;
      let scaled = 0;
      let relDiag = 0;
      for (let a = 0; a < P; a++) {
        relDiag = Math.max(relDiag, Math.abs(m.vcov[a][a] - d.vcov[a][a]) / d.vcov[a][a]);
        for (let b = 0; b < P; b++) scaled = Math.max(scaled, Math.abs(m.vcov[a][b] - d.vcov[a][b]) / Math.sqrt(d.vcov[a][a] * d.vcov[b][b]));
      }
      console.log(
        `${label}: ${f.nPatterns} patterns (mean ${meanEntries.toFixed(2)} non-reference entries), P = ${P}: ` +
          `direct ${(td / 1000).toFixed(2)} s, moments ${(tm / 1000).toFixed(2)} s (both incl. posterior + inverse); ` +
          `auto picks ${lcaVcov(f).method}; max rel. diff diagonal ${relDiag.toExponential(2)}, scaled ${scaled.toExponential(2)}`,
      );
    }
  }, 600000);
});
