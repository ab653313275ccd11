/**
 * Simulate data from a latent class model with the shared seeded RNG (for tests, benches
 * and notebooks' parameter-recovery checks).
 */
import { createRng } from '../core/random';

export interface LcaSimulation {
  /** n × J codes, −1 = missing */
  codes: Int16Array;
  nRows: number;
  nItems: number;
  /** true class of each row, 0-based */
  classes: Int32Array;
}

/**
 * shares: K class shares (sum 1); itemProbs[class][item][category].
 * missingRate: probability that a value is missing (completely at random).
 */
export function simulateLca(n: number, shares: ReadonlyArray<number>, itemProbs: ReadonlyArray<ReadonlyArray<ReadonlyArray<number>>>, seed: number, missingRate = 0): LcaSimulation {
  const rng = createRng(seed);
  const K = shares.length;
  const J = itemProbs[0].length;
  const codes = new Int16Array(n * J);
  const classes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let u = rng.nextFloat();
    let k = 0;
    while (k < K - 1 && u >= shares[k]) {
      u -= shares[k];
      k++;
    }
    classes[i] = k;
    for (let j = 0; j < J; j++) {
      const p = itemProbs[k][j];
      let v = rng.nextFloat();
      let c = 0;
      while (c < p.length - 1 && v >= p[c]) {
        v -= p[c];
        c++;
      }
      codes[i * J + j] = missingRate > 0 && rng.nextFloat() < missingRate ? -1 : c;
    }
  }
  return { codes, nRows: n, nItems: J, classes };
}

/** Convert coded rows to per-row arrays (null = missing). */
export function codesToRows(codes: Int16Array, nRows: number, nItems: number): Array<Array<number | null>> {
  const out: Array<Array<number | null>> = [];
  for (let i = 0; i < nRows; i++) {
    const r: Array<number | null> = [];
    for (let j = 0; j < nItems; j++) r.push(codes[i * nItems + j] < 0 ? null : codes[i * nItems + j]);
    out.push(r);
  }
  return out;
}

/**
 * Adjusted Rand index of two labellings: the library has one, in data/ari (NaN where the index
 * is undefined, e.g. both partitions trivial), re-exported here for simulation studies.
 */
export { adjustedRandIndex } from '../data/ari';
