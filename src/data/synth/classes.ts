/**
 * The latent demand-class model of the synthetic generator as the per-episode draws use it:
 * class shares (before and during the pandemic), item probabilities by class, CPP category
 * probabilities, and the modal class of an item pattern under the true parameters (for the
 * achievable ARI reported in truth.json).
 */
import { HARMONISED_FACTORS } from '../codes';
import { N_CLASSES, CLASS_SHARES, pandemicShares, itemProbabilities, cppCategoryProbabilities } from './params';

export interface ClassModel {
  /** [class][item] P(item present | class), classes 0-based (class k+1 in the tables) */
  itemProbs: number[][];
  nItems: number;
  sharesPre: number[];
  sharesPandemic: number[];
  /** [class 0..N_CLASSES][category] (index 0 = no class) */
  cppProbs: number[][];
  logP: number[][];
  log1mP: number[][];
  /** scratch: the current episode's item pattern (0/1) */
  itemPresent: Uint8Array;
  /** scratch: unnormalised log posterior by class */
  post: Float64Array;
}

/** The generator's class model: item probabilities, shares before and during the pandemic, CPP category probabilities, and their log tables. */
export function classModel(): ClassModel {
  const itemProbs = itemProbabilities();
  return {
    itemProbs,
    nItems: HARMONISED_FACTORS.length,
    sharesPre: CLASS_SHARES.slice(),
    sharesPandemic: pandemicShares(),
    cppProbs: cppCategoryProbabilities(),
    logP: itemProbs.map((row) => row.map((p) => Math.log(p))),
    log1mP: itemProbs.map((row) => row.map((p) => Math.log(1 - p))),
    itemPresent: new Uint8Array(HARMONISED_FACTORS.length),
    post: new Float64Array(N_CLASSES),
  };
}

/** 0-based class with the highest posterior for m.itemPresent under `shares` (first class on ties). */
export function modalClass(m: ClassModel, shares: ReadonlyArray<number>): number {
  const { post, logP, log1mP, itemPresent, nItems } = m;
  let best = 0;
  for (let k = 0; k < N_CLASSES; k++) {
    let s = Math.log(shares[k]);
    const lp = logP[k];
    const l1 = log1mP[k];
    for (let j = 0; j < nItems; j++) s += itemPresent[j] ? lp[j] : l1[j];
    post[k] = s;
    if (s > post[best]) best = k;
  }
  return best;
}
