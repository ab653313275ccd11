import { usableVariance } from '../core/guard';
import type { CoxData } from './coxcore';
import { rankOf, uniqueSorted } from './sorting';

export interface ConcordanceCounts {
  concordant: number;
  discordant: number;
  tiedRisk: number;
  tiedTime: number;
  tiedBoth: number;
  concordance: number;
  /**
   * Infinitesimal-jackknife SE (R's concordancefit, grouped by cluster when given); NaN when that
   * variance is 0 (e.g. every comparable pair concordant: no pair varies), where R prints 0.
   */
  stdErr: number;
}

/**
 * Harrell's concordance between a risk score and survival, as coxph stores it.
 * Inputs: prepared Cox data (sweep order, strata, optional entry times) and a score per sweep
 * position (higher = higher risk). Output: weighted pair counts and the concordance.
 * A pair is comparable when the shorter time is an event and the other row is at risk at that
 * time (censored at the same time counts as at risk); two deaths at the same time are tied_time;
 * pairs never cross strata.
 * Cost: O(n log n) with a Fenwick tree over the ranks of the score.
 * The IJ standard error needs each row's weighted concordant/discordant/tied counts over all
 * its pairs; the "later" side of a pair is collected with a second tree of death weights, read
 * when the row enters and leaves the risk set.
 */
export function concordanceCounts(d: CoxData, score: Float64Array, cluster: Int32Array | null = null, nCluster = 0): ConcordanceCounts {
  const { n, stop, entry, status, weight, strataStart, entryOrder } = d;
  // Rank scores within each stratum (ties share a rank): pairs never cross strata, so each
  // stratum's Fenwick trees span only its own distinct scores and stay cache-resident.
  const rank = new Int32Array(n);
  const nStrataAll = strataStart.length - 1;
  const stratumSize = new Int32Array(nStrataAll);
  let maxSize = 1;
  for (let s = 0; s < nStrataAll; s++) {
    const a0 = strataStart[s];
    const a1 = strataStart[s + 1];
    if (a1 === a0) continue;
    const distinct = uniqueSorted(score.subarray(a0, a1));
    for (let a = a0; a < a1; a++) rank[a] = rankOf(distinct, score[a]);
    stratumSize[s] = distinct.length;
    if (distinct.length > maxSize) maxSize = distinct.length;
  }
  let size = maxSize;
  const tree = new Float64Array(size + 1);
  // Plain per-rank weights beside each tree, so "tied on score" needs no second tree query.
  const node = new Float64Array(size);
  const dNode = new Float64Array(size);
  const add = (r: number, v: number) => {
    node[r] += v;
    for (let i = r + 1; i <= size; i += i & -i) tree[i] += v;
  };
  const dtree = new Float64Array(size + 1);
  const dAdd = (r: number, v: number) => {
    dNode[r] += v;
    for (let i = r + 1; i <= size; i += i & -i) dtree[i] += v;
  };
  const dPrefix = (r: number) => {
    let s = 0;
    for (let i = r + 1; i > 0; i -= i & -i) s += dtree[i];
    return s;
  };
  let dTotal = 0;
  // Per row: concordant / discordant / tied-risk weight over all its pairs.
  const infC = new Float64Array(n);
  const infD = new Float64Array(n);
  const infT = new Float64Array(n);
  // On entry to the risk set, subtract the current death-tree sums; on exit, add them back.
  const snapshot = (a: number, sign: number) => {
    const below = dPrefix(rank[a] - 1);
    const atOrBelow = below + dNode[rank[a]];
    // A death with a higher score than row a (at risk, later time) is a concordant pair.
    infC[a] += sign * (dTotal - atOrBelow);
    infD[a] += sign * below;
    infT[a] += sign * (atOrBelow - below);
  };
  const prefix = (r: number) => {
    // Σ weights with rank ≤ r (r may be -1).
    let s = 0;
    for (let i = r + 1; i > 0; i -= i & -i) s += tree[i];
    return s;
  };
  let concordant = 0;
  let discordant = 0;
  let tiedRisk = 0;
  let tiedTime = 0;
  let tiedBoth = 0;
  const inTree = new Uint8Array(n);
  const tiedGroups = new Map<number, [number, number]>();
  const nStrata = strataStart.length - 1;
  for (let s = 0; s < nStrata; s++) {
    const end = strataStart[s + 1];
    size = Math.max(1, stratumSize[s]);
    let total = 0;
    let i = strataStart[s];
    let ep = strataStart[s];
    while (i < end) {
      const t = stop[i];
      let j = i;
      while (j < end && stop[j] === t) j++;
      if (entry !== null && entryOrder !== null) {
        while (ep < end && entry[entryOrder[ep]] >= t) {
          const k = entryOrder[ep++];
          if (inTree[k] === 1) {
            snapshot(k, 1);
            add(rank[k], -weight[k]);
            inTree[k] = 0;
            total -= weight[k];
          }
        }
      }
      // Rows censored at t were at risk at t, so they are compared with the deaths at t.
      for (let a = i; a < j; a++) {
        if (status[a] === 1) continue;
        snapshot(a, -1);
        add(rank[a], weight[a]);
        inTree[a] = 1;
        total += weight[a];
      }
      for (let a = i; a < j; a++) {
        if (status[a] !== 1) continue;
        const w = weight[a];
        const below = prefix(rank[a] - 1);
        const atOrBelow = below + node[rank[a]];
        concordant += w * below;
        tiedRisk += w * (atOrBelow - below);
        discordant += w * (total - atOrBelow);
        infC[a] += below;
        infT[a] += atOrBelow - below;
        infD[a] += total - atOrBelow;
      }
      for (let a = i; a < j; a++) {
        if (status[a] !== 1) continue;
        dAdd(rank[a], weight[a]);
        dTotal += weight[a];
      }
      // Deaths at the same time are not comparable (tied_time; tied_both when the scores tie
      // too). Grouped by score rank: O(group size).
      tiedGroups.clear();
      let wd = 0;
      let wd2 = 0;
      for (let a = i; a < j; a++) {
        if (status[a] !== 1) continue;
        const w = weight[a];
        let g = tiedGroups.get(rank[a]);
        if (!g) {
          g = [0, 0];
          tiedGroups.set(rank[a], g);
        }
        wd += w;
        wd2 += w * w;
        g[0] += w;
        g[1] += w * w;
        snapshot(a, -1);
        add(rank[a], w);
        inTree[a] = 1;
        total += w;
      }
      if (wd > 0) {
        const allPairs = (wd * wd - wd2) / 2;
        let sameScore = 0;
        tiedGroups.forEach((g) => {
          sameScore += (g[0] * g[0] - g[1]) / 2;
        });
        tiedBoth += sameScore;
        tiedTime += allPairs - sameScore;
      }
      i = j;
    }
    // Empty the tree for the next stratum.
    for (let a = strataStart[s]; a < end; a++) {
      if (inTree[a] === 1) snapshot(a, 1);
    }
    for (let a = strataStart[s]; a < end; a++) inTree[a] = 0;
    tree.fill(0, 0, size + 1);
    dtree.fill(0, 0, size + 1);
    node.fill(0, 0, size);
    dNode.fill(0, 0, size);
    dTotal = 0;
  }
  const npair = concordant + discordant + tiedRisk;
  const concordance = (concordant + tiedRisk / 2) / npair;
  const somers = (concordant - discordant) / npair;
  const groups = cluster ? new Float64Array(nCluster) : null;
  let v = 0;
  for (let a = 0; a < n; a++) {
    const dfb = weight[a] * ((infC[a] - infD[a]) / npair - (somers / npair) * (infC[a] + infD[a] + infT[a]));
    if (groups && cluster) groups[cluster[a]] += dfb;
    else v += dfb * dfb;
  }
  if (groups) for (let g = 0; g < groups.length; g++) v += groups[g] * groups[g];
  // A zero IJ variance (perfect separation, one cluster) is no precision: NaN, named by buildCoxFit.
  const stdErr = usableVariance(v) ? Math.sqrt(v / 4) : NaN;
  return { concordant, discordant, tiedRisk, tiedTime, tiedBoth, concordance, stdErr };
}

