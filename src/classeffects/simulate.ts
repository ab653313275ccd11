/**
 * Simulated latent classes with an outcome that depends on the true class, for parameter-recovery
 * tests of three-step class effects (as the simulations of Vermunt 2010 and Bakk, Tekle &
 * Vermunt 2013, with a Cox or linear outcome instead of a distal mean).
 */
import { createRng } from '../core/random';
import { simulateLca } from '../lca/index';

export interface ClassOutcomeSimOptions {
  shares: number[];
  /** itemProbs[class][item][category] */
  itemProbs: number[][][];
  /** effect of each class on the outcome (log hazard or mean), class 0 first (usually 0) */
  classEffects: number[];
  /** effect of the standard-normal covariate z */
  zEffect: number;
  /** 'normal': y = effect + zEffect·z + N(0, sigma²); 'cox': exponential hazard rate·exp(effect + zEffect·z), uniform censoring on (0, censorMax) */
  outcome: 'normal' | 'cox';
  sigma?: number;
  rate?: number;
  censorMax?: number;
  seed: number;
}

export interface ClassOutcomeSim {
  codes: Int16Array;
  nRows: number;
  nItems: number;
  classes: Int32Array;
  z: Float64Array;
  /** normal outcome, or the observed time for 'cox' */
  y: Float64Array;
  /** 1 = event (always 1 for 'normal') */
  event: Float64Array;
}

/** n units: indicators from the latent class model, z ~ N(0, 1) independent of class, and the outcome. */
export function simulateClassOutcome(n: number, o: ClassOutcomeSimOptions): ClassOutcomeSim {
  const lca = simulateLca(n, o.shares, o.itemProbs, o.seed);
  const rng = createRng(o.seed * 7919 + 17);
  const z = new Float64Array(n);
  const y = new Float64Array(n);
  const event = new Float64Array(n).fill(1);
  for (let i = 0; i < n; i++) {
    z[i] = rng.nextNormal();
    const eta = o.classEffects[lca.classes[i]] + o.zEffect * z[i];
    if (o.outcome === 'normal') y[i] = eta + (o.sigma ?? 1) * rng.nextNormal();
    else {
      let u = rng.nextFloat();
      while (u === 0) u = rng.nextFloat();
      const t = -Math.log(u) / ((o.rate ?? 1) * Math.exp(eta));
      const c = rng.nextFloat() * (o.censorMax ?? 2);
      y[i] = Math.min(t, c);
      event[i] = t <= c ? 1 : 0;
    }
  }
  return { codes: lca.codes, nRows: n, nItems: lca.nItems, classes: lca.classes, z, y, event };
}
