/**
 * Rates per 10,000 children with exact Poisson confidence intervals, the most- to least-deprived
 * rate ratio, and population-weighted ridits (midpoints of cumulative population shares).
 */
import gammaincinv from '@stdlib/math-base-special-gammaincinv';
import { qNorm } from '../core/distributions';

/** One group's numerator (events or children) and denominator (children), e.g. one IDACI decile. */
export interface RateInput { readonly count: number; readonly population: number }

export interface RateRow {
  readonly count: number;
  readonly population: number;
  /** count / population × per. */
  readonly rate: number;
  readonly 'conf.low': number;
  readonly 'conf.high': number;
}

/** Exact (Garwood) Poisson interval for a count n: [χ²(α/2; 2n)/2, χ²(1−α/2; 2n+2)/2]. */
export function poissonCountCi(n: number, level = 0.95): [number, number] {
  if (!(n >= 0) || !Number.isFinite(n)) return [NaN, NaN];
  const a = (1 - level) / 2;
  const lo = n === 0 ? 0 : gammaincinv(a, n);
  const hi = gammaincinv(1 - a, n + 1);
  return [lo, hi];
}

/** Rate per `per` (default 10,000) with an exact Poisson CI. NaN for a population ≤ 0. */
export function rateWithCi(x: RateInput, per = 10_000, level = 0.95): RateRow {
  if (!(x.population > 0) || !(x.count >= 0)) return { count: x.count, population: x.population, rate: NaN, 'conf.low': NaN, 'conf.high': NaN };
  const [lo, hi] = poissonCountCi(x.count, level);
  return { count: x.count, population: x.population, rate: x.count / x.population * per, 'conf.low': lo / x.population * per, 'conf.high': hi / x.population * per };
}

export interface RateRatio { readonly estimate: number; readonly 'conf.low': number; readonly 'conf.high': number; readonly 'std.error.log': number }

/**
 * Rate ratio a/b (e.g. most- over least-deprived decile), CI from the log-normal approximation
 * with SE(log RR) = √(1/n_a + 1/n_b) (Rothman & Greenland, Modern Epidemiology, ch. 14).
 * NaN (never ±Infinity) when either count is 0.
 */
export function rateRatio(a: RateInput, b: RateInput, level = 0.95): RateRatio {
  if (!(a.count > 0 && b.count > 0 && a.population > 0 && b.population > 0)) return { estimate: NaN, 'conf.low': NaN, 'conf.high': NaN, 'std.error.log': NaN };
  const rr = (a.count / a.population) / (b.count / b.population);
  const se = Math.sqrt(1 / a.count + 1 / b.count);
  const z = qNorm(1 - (1 - level) / 2);
  return { estimate: rr, 'conf.low': rr * Math.exp(-z * se), 'conf.high': rr * Math.exp(z * se), 'std.error.log': se };
}

/**
 * Ridits: for groups ordered from least to most deprived, the midpoint of each group's band of the
 * cumulative population share, so 0 = least deprived end, 1 = most deprived end.
 */
export function ridits(populations: readonly number[]): number[] {
  const total = populations.reduce((s, v) => s + v, 0);
  let cum = 0;
  return populations.map((p) => { const mid = (cum + p / 2) / total; cum += p; return mid; });
}
