/**
 * Local-authority and school level draws of the synthetic generator: LA sizes, referral-rate
 * multipliers, re-referral frailties and attainment random effects. They are the first draws of
 * the seeded stream, in a fixed order, so every later draw depends on them deterministically.
 */
import { createRng, type Rng } from '../../core/random';
import { ATTAINMENT, N_LAS, REFERRAL_RATE, REREFERRAL_COX } from './params';
import { pad } from './draws';

/** The attainment outcomes simulated (keys of ATTAINMENT), in draw order. */
export const OUTCOMES = ['ks2_read', 'ks2_maths', 'ks4_att8', 'ks4_p8'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Area-level truth: LA codes, cumulative LA sizes (unnormalised, total `cum`), per-LA multipliers and random effects. */
export interface Areas {
  laNames: string[];
  laSizeCum: Float64Array;
  laRateMult: Float64Array;
  laLogFrailty: Float64Array;
  cum: number;
  /** per outcome, one normal LA effect per LA (score units) */
  laRe: Record<string, number[]>;
  /** per outcome, one normal school effect per school (N_LAS x schools per LA, LA-major) */
  schoolRe: Record<string, Float64Array>;
  /** per outcome, each LA's deviation from the national FSM gap (score units; zeros where laFsmSlope.sd is 0) */
  laFsm: Record<string, number[]>;
}

/**
 * The stream of the LA FSM slopes: a stream of its own (from the run's seed), so that adding the slopes
 * left every other draw of the generator, and so every other file, unchanged.
 */
export function slopeStream(seed: number): Rng {
  return createRng((Math.trunc(seed) ^ 0x5f5e1) | 0);
}

/**
 * LA deviations from the FSM gap, correlated with the LA intercepts `laRe` (params laFsmSlope: SD and
 * correlation): b = sd (corr z + sqrt(1 - corr²) u), z the intercept's standard-normal draw, u from `rng`.
 */
export function drawLaFsmSlopes(rng: Rng, laRe: Record<string, number[]>): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const o of OUTCOMES) {
    const { sd, corr } = ATTAINMENT[o].laFsmSlope;
    const sdLa = ATTAINMENT[o].sd.la;
    out[o] = laRe[o].map((re) => {
      const u = rng.nextNormal();
      return sd === 0 ? 0 : sd * (corr * (re / sdLa) + Math.sqrt(1 - corr * corr) * u);
    });
  }
  return out;
}

/**
 * Draw the LA and school level quantities; `schools` is the per-LA school count of the scale; the LA FSM
 * slopes come from `slopeRng` (default: slopeStream(1)), not from `rng`.
 */
export function drawAreas(rng: Rng, schools: { primary: number; secondary: number }, slopeRng: Rng = slopeStream(1)): Areas {
  const laNames: string[] = [];
  const laSizeCum = new Float64Array(N_LAS);
  const laRateMult = new Float64Array(N_LAS);
  const laLogFrailty = new Float64Array(N_LAS);
  let cum = 0;
  for (let l = 0; l < N_LAS; l++) {
    laNames.push('LA' + pad(l + 1, 3));
    cum += Math.exp(0.5 * rng.nextNormal());
    laSizeCum[l] = cum;
    laRateMult[l] = Math.exp(REFERRAL_RATE.laLogRateSd * rng.nextNormal());
    laLogFrailty[l] = REREFERRAL_COX.laLogFrailtySd * rng.nextNormal();
  }
  const laRe: Record<string, number[]> = {};
  for (const o of OUTCOMES) laRe[o] = Array.from({ length: N_LAS }, () => ATTAINMENT[o].sd.la * rng.nextNormal());
  const schoolRe: Record<string, Float64Array> = {};
  for (const o of OUTCOMES) {
    const n = N_LAS * (o.startsWith('ks2') ? schools.primary : schools.secondary);
    const a = new Float64Array(n);
    for (let s = 0; s < n; s++) a[s] = ATTAINMENT[o].sd.school * rng.nextNormal();
    schoolRe[o] = a;
  }
  return { laNames, laSizeCum, laRateMult, laLogFrailty, cum, laRe, schoolRe, laFsm: drawLaFsmSlopes(slopeRng, laRe) };
}

/** LA share of the population, in LA order (sums to 1). */
export function laShares(areas: Areas): number[] {
  const { laSizeCum, cum } = areas;
  return Array.from(laSizeCum, (c, l) => (c - (l ? laSizeCum[l - 1] : 0)) / cum);
}

/** The first LA whose cumulative size exceeds u (binary search; same result as a linear scan). u in [0, cum). */
export function laOfDraw(areas: Areas, u: number): number {
  const laSizeCum = areas.laSizeCum;
  let lo = 0, hi = N_LAS - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (laSizeCum[mid] <= u) lo = mid + 1; else hi = mid;
  }
  return lo;
}
