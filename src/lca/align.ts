/**
 * Label switching utilities: permute the classes of a fit and align two solutions.
 */
import type { LcaFit } from './fit/fit';

type ItemProbs = ReadonlyArray<ReadonlyArray<ReadonlyArray<number>>>;

function cost(a: ItemProbs, b: ItemProbs, ka: number, kb: number): number {
  let s = 0;
  for (let j = 0; j < a[ka].length; j++) for (let c = 0; c < a[ka][j].length; c++) s += (a[ka][j][c] - b[kb][j][c]) ** 2;
  return s;
}

/**
 * Permutation `perm` with a's class perm[k] matched to b's class k, minimising the summed
 * squared difference of the item-probability matrices. Exhaustive for K ≤ 8, greedy beyond.
 * Accepts fits or itemProbs[class][item][category] arrays.
 */
export function alignClasses(a: LcaFit | ItemProbs, b: LcaFit | ItemProbs): number[] {
  const pa = Array.isArray(a) ? (a as ItemProbs) : (a as LcaFit).itemProbs;
  const pb = Array.isArray(b) ? (b as ItemProbs) : (b as LcaFit).itemProbs;
  const K = pb.length;
  if (pa.length !== K) throw new Error(`alignClasses: ${pa.length} vs ${K} classes`);
  const C = Array.from({ length: K }, (_, i) => Array.from({ length: K }, (_, j) => cost(pa, pb, i, j)));
  if (K <= 8) {
    let best: number[] = [];
    let bestCost = Infinity;
    const perm: number[] = [];
    const used = new Array<boolean>(K).fill(false);
    const rec = (k: number, acc: number): void => {
      if (acc >= bestCost) return;
      if (k === K) {
        bestCost = acc;
        best = perm.slice();
        return;
      }
      for (let i = 0; i < K; i++) {
        if (used[i]) continue;
        used[i] = true;
        perm.push(i);
        rec(k + 1, acc + C[i][k]);
        perm.pop();
        used[i] = false;
      }
    };
    rec(0, 0);
    return best;
  }
  const perm = new Array<number>(K).fill(-1);
  const used = new Array<boolean>(K).fill(false);
  const pairs: Array<[number, number, number]> = [];
  for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) pairs.push([C[i][j], i, j]);
  pairs.sort((x, y) => x[0] - y[0]);
  for (const [, i, j] of pairs) if (!used[i] && perm[j] < 0) {
    used[i] = true;
    perm[j] = i;
  }
  return perm;
}

/** Apply a class permutation to per-class arrays: out[k] = x[perm[k]]. */
export function permuteClasses<T>(x: ReadonlyArray<T>, perm: ReadonlyArray<number>): T[] {
  if (perm.length !== x.length) throw new Error(`permuteClasses: permutation of length ${perm.length} for ${x.length} classes`);
  return perm.map((p) => x[p]);
}

/** Apply a class permutation to the columns of a row-major n × K matrix (e.g. a posterior). */
export function permuteColumns(data: Float64Array, K: number, perm: ReadonlyArray<number>): Float64Array {
  const out = new Float64Array(data.length);
  const n = data.length / K;
  for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) out[i * K + k] = data[i * K + perm[k]];
  return out;
}
