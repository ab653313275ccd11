/**
 * Random starting values of the latent class EM (poLCA-style, item margins, k-means++-seeded
 * rows, or a mix); each start's seed depends only on the run seed and its index.
 */
import { createRng } from '../../core/random';
import type { LcaData, LcaParams } from '../types';

/** Random start methods: see randomStart. */
export type LcaStartMethod = 'polca' | 'margins' | 'seeded' | 'mixed';

/** Seed of start `index` of a run seeded with `seed`: independent of where the start runs. */
export function startSeed(seed: number, index: number): number {
  return (Math.imul(seed | 0, 0x2545f491) ^ Math.imul(index + 1, 0x9e3779b1)) | 0;
}

/**
 * Random start `index` of a run seeded with `seed`, drawn by `method`:
 *  'polca'   — poLCA's draw: item probabilities uniform, normalised per class and item; equal shares.
 *              Poor for sparse binary items (most prevalences < 10 %): every class starts with
 *              endorsement rates near 50 %, far from any class in the data.
 *  'margins' — around the observed item margins: log p_kjc = log m_jc + 1.5·z (z standard normal),
 *              renormalised, so each class starts as a random distortion of the population profile.
 *  'seeded'  — k-means++ on response patterns: K rows are drawn (the first ∝ weight, the next ∝
 *              weight × squared Hamming distance to the nearest seed so far), and class k's profile
 *              is a random mix a ∈ [0.5, 0.8) of its seed row's responses and the margins. Small
 *              classes with a distinct profile get a seed of their own far more often than under
 *              the other two draws.
 *  'mixed'   — 'seeded' for even start indices, 'margins' for odd ones.
 * fitLca's default is 'seeded': on the synthetic demand data (K = 12, 34 sparse items) it reached the
 * maximum found from the true parameters far more often than 'margins', and 'polca' never did.
 * Shares start equal and beta at 0. Output: fresh LcaParams; deterministic in (seed, index).
 */
export function randomStart(data: LcaData, K: number, seed: number, index: number, method: LcaStartMethod = 'polca'): LcaParams {
  const rng = createRng(startSeed(seed, index));
  const T = data.catOffset[data.nItems];
  const probs = new Float64Array(K * T);
  const shares = new Float64Array(K).fill(1 / K);
  const beta = data.covariates ? new Float64Array(data.nCov * (K - 1)) : null;
  const m = method === 'mixed' ? (index % 2 === 0 ? 'seeded' : 'margins') : method;
  if (m === 'polca') {
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < data.nItems; j++) {
        const base = k * T + data.catOffset[j];
        const C = data.nCategories[j];
        let s = 0;
        for (let c = 0; c < C; c++) {
          const u = rng.nextFloat() + 1e-12;
          probs[base + c] = u;
          s += u;
        }
        for (let c = 0; c < C; c++) probs[base + c] /= s;
      }
    }
    return { nClasses: K, shares, probs, beta };
  }
  if (m !== 'margins' && m !== 'seeded') throw new Error(`startMethod: '${String(method)}' is not 'polca', 'margins', 'seeded' or 'mixed'`);
  const margins = itemMargins(data);
  if (m === 'margins') {
    for (let k = 0; k < K; k++)
      for (let j = 0; j < data.nItems; j++) {
        const base = data.catOffset[j];
        let s = 0;
        for (let c = 0; c < data.nCategories[j]; c++) {
          const v = margins[base + c] * Math.exp(1.5 * rng.nextNormal());
          probs[k * T + base + c] = v;
          s += v;
        }
        for (let c = 0; c < data.nCategories[j]; c++) probs[k * T + base + c] /= s;
      }
    return { nClasses: K, shares, probs, beta };
  }
  const seeds = seedRows(data, K, rng);
  const J = data.nItems;
  for (let k = 0; k < K; k++) {
    const a = 0.5 + 0.3 * rng.nextFloat();
    const row = seeds[k] * J;
    for (let j = 0; j < J; j++) {
      const base = data.catOffset[j];
      const y = data.codes[row + j];
      for (let c = 0; c < data.nCategories[j]; c++) {
        // a missing response leaves the margins
        probs[k * T + base + c] = y < 0 ? margins[base + c] : (1 - a) * margins[base + c] + (y === c ? a : 0);
      }
    }
  }
  return { nClasses: K, shares, probs, beta };
}

/** Weighted observed share of each category of each item (length T), floored away from 0 and renormalised. */
function itemMargins(data: LcaData): Float64Array {
  const T = data.catOffset[data.nItems];
  const J = data.nItems;
  const m = new Float64Array(T);
  for (let i = 0; i < data.nRows; i++) {
    const w = data.weights[i];
    for (let j = 0; j < J; j++) {
      const y = data.codes[i * J + j];
      if (y >= 0) m[data.catOffset[j] + y] += w;
    }
  }
  for (let j = 0; j < J; j++) {
    const base = data.catOffset[j];
    let s = 0;
    for (let c = 0; c < data.nCategories[j]; c++) s += m[base + c];
    let t = 0;
    for (let c = 0; c < data.nCategories[j]; c++) {
      const v = s > 0 ? Math.max(m[base + c] / s, 1e-3) : 1 / data.nCategories[j];
      m[base + c] = v;
      t += v;
    }
    for (let c = 0; c < data.nCategories[j]; c++) m[base + c] /= t;
  }
  return m;
}

/** Set bits per byte value, for Hamming distances on the blocked codes. */
const POPCOUNT = (() => {
  const t = new Uint8Array(256);
  for (let v = 1; v < 256; v++) t[v] = t[v >> 1] + (v & 1);
  return t;
})();

/**
 * Number of items observed in both rows i and s on which they differ. Uses the cheapest
 * layout available: the blocked bytes (binary items: popcount of XOR), the sparse entries
 * (`seedCat` = row s's non-reference category per item, −1 for the reference), or the codes.
 * Rows with missing items always use the codes.
 */
function hamming(data: LcaData, i: number, s: number, seedCat: Int32Array): number {
  const sp = data.sparse;
  const noMissing = sp ? sp.missStart[i + 1] === sp.missStart[i] && sp.missStart[s + 1] === sp.missStart[s] : false;
  if (sp && noMissing && data.blocks) {
    const B = data.blocks.nBlocks;
    const bytes = data.blocks.bytes;
    let d = 0;
    for (let b = 0; b < B; b++) d += POPCOUNT[bytes[i * B + b] ^ bytes[s * B + b]];
    return d;
  }
  if (sp && noMissing) {
    // items where s is non-reference all differ unless i has the same category there
    let d = sp.entryStart[s + 1] - sp.entryStart[s];
    for (let e = sp.entryStart[i]; e < sp.entryStart[i + 1]; e++) {
      const c = seedCat[sp.entryItem[e]];
      if (c < 0) d++;
      else if (c === sp.entryCat[e]) d--;
    }
    return d;
  }
  const J = data.nItems;
  let d = 0;
  for (let j = 0; j < J; j++) {
    const a = data.codes[i * J + j];
    const b = data.codes[s * J + j];
    if (a >= 0 && b >= 0 && a !== b) d++;
  }
  return d;
}

/** k-means++ seeding on (pattern) rows with Hamming distance over items observed in both rows; weights = row weights. */
function seedRows(data: LcaData, K: number, rng: ReturnType<typeof createRng>): Int32Array {
  const n = data.nRows;
  const J = data.nItems;
  const seeds = new Int32Array(K);
  const dist = new Float64Array(n).fill(Infinity);
  // draw over the patterns in an order fixed by their codes alone, so that the seeds do not
  // depend on the order of the input rows (which fixes the order of the compressed patterns):
  // by a 53-bit hash of the codes (one numeric compare per step instead of up to J), ties by the codes
  const order = new Int32Array(n);
  const key = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    order[i] = i;
    let h1 = 0x811c9dc5;
    let h2 = 0x9747b28c;
    for (let j = 0; j < J; j++) {
      const c = data.codes[i * J + j] + 2;
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
    }
    key[i] = (h1 >>> 0) * 2097152 + ((h2 >>> 0) >>> 11);
  }
  order.sort((a, b) => {
    const d = key[a] - key[b];
    if (d !== 0) return d;
    for (let j = 0; j < J; j++) {
      const c = data.codes[a * J + j] - data.codes[b * J + j];
      if (c !== 0) return c;
    }
    return a - b;
  });
  const pick = (score: (i: number) => number): number => {
    let total = 0;
    for (let r = 0; r < n; r++) total += score(order[r]);
    if (!(total > 0)) return order[rng.nextInt(n)];
    let u = rng.nextFloat() * total;
    for (let r = 0; r < n; r++) {
      u -= score(order[r]);
      if (u < 0) return order[r];
    }
    return order[n - 1];
  };
  // greedy k-means++ (as in scikit-learn): of 2 + ⌊ln K⌋ candidates drawn ∝ w·d², keep the one
  // that lowers the weighted potential Σ w·d² most
  const nCand = 2 + Math.floor(Math.log(K));
  const candDist = new Float64Array(n);
  const bestDist = new Float64Array(n);
  const distTo = (s: number, out: Float64Array): number => {
    let pot = 0;
    for (let i = 0; i < n; i++) {
      const d = hamming(data, i, s, seedCat);
      const v = d < dist[i] ? d : dist[i];
      out[i] = v;
      pot += data.weights[i] * v * v;
    }
    return pot;
  };
  // the seed's non-reference category per item (−1 = reference), for the sparse distance
  const seedCat = new Int32Array(J);
  const markSeed = (s: number): void => {
    if (!data.sparse) return;
    seedCat.fill(-1);
    for (let e = data.sparse.entryStart[s]; e < data.sparse.entryStart[s + 1]; e++) seedCat[data.sparse.entryItem[e]] = data.sparse.entryCat[e];
  };
  for (let k = 0; k < K; k++) {
    if (k === 0) {
      seeds[0] = pick((i) => data.weights[i]);
      markSeed(seeds[0]);
      distTo(seeds[0], bestDist);
      dist.set(bestDist);
      continue;
    }
    let bestPot = Infinity;
    for (let c = 0; c < nCand; c++) {
      const s = pick((i) => data.weights[i] * dist[i] * dist[i]);
      markSeed(s);
      const pot = distTo(s, candDist);
      if (pot < bestPot) {
        bestPot = pot;
        seeds[k] = s;
        bestDist.set(candDist);
      }
    }
    dist.set(bestDist);
  }
  return seeds;
}
