/**
 * Slope and relative indices of inequality (SII, RII) as public-health analysts compute them:
 * a population-weighted least-squares regression of the group rates on the ridit of deprivation
 * (Public Health England, "Technical Guide: Calculating the Slope Index of Inequality", 2018;
 * APHO Technical Briefing 3, 2008; Low & Low, J Epidemiol Community Health 2004; 58:163).
 *
 * Orientation: groups are given from LEAST to MOST deprived, so the ridit runs 0 (least) → 1
 * (most) and SII > 0 means higher rates in more deprived areas: SII is the modelled gap in the
 * rate (per `per`) between the most and the least deprived ends of the population.
 * RII = SII / overall rate (PHE's definition: the gap relative to the mean).
 *
 * CIs: PHE simulates the group rates; here the variance is exact for the linear estimator — SII
 * is Σ_g c_g n_g in the counts n_g, Poisson Var(n_g) = n_g — and the delta method for RII.
 */
import { qNorm } from '../core/distributions';
import { degenerateMessage, waldInference, ZERO_VARIANCE_RTOL } from '../core/guard';
import { ridits, type RateInput } from './rates';

export interface InequalityIndex { readonly estimate: number; readonly 'std.error': number; readonly 'conf.low': number; readonly 'conf.high': number }
export interface InequalityIndices {
  readonly sii: InequalityIndex;
  readonly rii: InequalityIndex;
  /** Overall rate per `per` (Σ counts / Σ population). */
  readonly meanRate: number;
  readonly ridits: readonly number[];
  /** Fitted rate per `per` at the least (ridit 0) and most (ridit 1) deprived ends. */
  readonly fittedLeast: number;
  readonly fittedMost: number;
  readonly warnings: readonly string[];
}

function index(est: number, se: number, z: number): InequalityIndex {
  return { estimate: est, 'std.error': se, 'conf.low': est - z * se, 'conf.high': est + z * se };
}

/**
 * An index with its Poisson variance Σ c_g² n_g through core/guard: a variance that is 0, or at
 * rounding level of N·max c_g² (a weight that is 0 only up to rounding), gives NaN, named in `bad`.
 */
function guardedIndex(name: string, est: number, variance: number, scale: number, z: number, bad: string[]): InequalityIndex {
  const w = waldInference(est, variance > ZERO_VARIANCE_RTOL * scale ? variance : 0, z);
  if (Number.isNaN(w.se)) bad.push(name);
  return { estimate: est, 'std.error': w.se, 'conf.low': w.low, 'conf.high': w.high };
}

/**
 * SII and RII. Input: groups ordered least → most deprived (≥ 2, positive populations).
 * Output as InequalityIndices. Degenerate input (fewer than 2 groups with population, all counts
 * zero) gives NaN and a warning naming the cause.
 */
export function inequalityIndices(groups: readonly RateInput[], per = 10_000, level = 0.95): InequalityIndices {
  const warnings: string[] = [];
  const G = groups.length;
  const pops = groups.map((g) => g.population);
  const P = pops.reduce((s, v) => s + v, 0);
  const N = groups.reduce((s, g) => s + g.count, 0);
  const nan = index(NaN, NaN, 0);
  if (G < 2 || groups.some((g) => !(g.population > 0))) {
    warnings.push(`SII/RII need at least 2 groups, each with a positive population (got ${G})`);
    return { sii: nan, rii: nan, meanRate: NaN, ridits: [], fittedLeast: NaN, fittedMost: NaN, warnings };
  }
  const x = ridits(pops);
  const w = pops.map((p) => p / P);
  // Weighted least squares of rate on ridit: slope = Σ w (x − x̄)(r − r̄) / Σ w (x − x̄)².
  const xbar = x.reduce((s, v, g) => s + w[g] * v, 0);
  const sxx = x.reduce((s, v, g) => s + w[g] * (v - xbar) ** 2, 0);
  // slope = Σ c_g r_g with c_g = w_g (x_g − x̄)/Sxx; r_g = per·n_g/pop_g, so a_g = c_g·per/pop_g per count.
  const a = x.map((v, g) => w[g] * (v - xbar) / sxx * per / pops[g]);
  const sii = groups.reduce((s, g, k) => s + a[k] * g.count, 0);
  const varSii = groups.reduce((s, g, k) => s + a[k] * a[k] * g.count, 0);
  const mean = N / P * per;
  const rbar = mean; // Σ w r = overall rate
  const z = qNorm(1 - (1 - level) / 2);
  if (N === 0) {
    warnings.push('all counts are 0: SII is 0 with no variance and RII is undefined (NaN)');
    return { sii: index(0, NaN, z), rii: nan, meanRate: 0, ridits: x, fittedLeast: 0, fittedMost: 0, warnings };
  }
  // RII = SII / M with M = per·N/P: ∂RII/∂n_g = a_g/M − SII·per/(M²·P).
  const rii = sii / mean;
  const dRii = (k: number): number => a[k] / mean - sii * per / (mean * mean * P);
  const varRii = groups.reduce((s, g, k) => { const d = dRii(k); return s + d * d * g.count; }, 0);
  // Every count sits where its weight a_g is 0 (e.g. only the middle of three equal groups has
  // events): the Poisson variance is 0 and SII = 0 would come with SE 0 and a zero-width CI.
  const bad: string[] = [];
  const maxSq = (c: (k: number) => number): number => N * Math.max(...groups.map((_, k) => c(k) ** 2));
  const siiOut = guardedIndex('SII', sii, varSii, maxSq((k) => a[k]), z, bad);
  const riiOut = guardedIndex('RII', rii, varRii, maxSq(dRii), z, bad);
  if (bad.length) warnings.push(`${degenerateMessage('inequalityIndices', { kind: 'zero-variance', terms: bad })} (the events are all in groups that carry no weight in the slope)`);
  return {
    sii: siiOut, rii: riiOut, meanRate: mean, ridits: x,
    fittedLeast: rbar - sii * xbar, fittedMost: rbar + sii * (1 - xbar), warnings,
  };
}
