/**
 * One child of the synthetic population: birth month, sex, ethnicity, LA, IDACI decile, NPD and
 * PMR presence, then the first referral from a constant hazard (rate per year scaled by
 * deprivation and the LA multiplier, thinned during the first pandemic lockdown), then the child's
 * episodes (referrals.ts) and NPD records (education.ts). Draw order is fixed: it defines the bytes.
 */
import { ethnicGroup } from '../codes';
import { dayFromCivil, birthdayDay } from '../dates';
import { REFERRAL_RATE } from './params';
import { ETHNICITY_DIST, pick, expo, pad } from './draws';
import { laOfDraw } from './areas';
import { simulateReferrals } from './referrals';
import { simulateEducation } from './education';
import { NONE, WIN_START, WIN_END, type SynthRun } from './state';

const dipFrom = dayFromCivil(2020, 4, 1);
const dipTo = dayFromCivil(2020, 6, 30);
const birthMonths = (2021 - 1997) * 12 + (3 - 9) + 1; // Sep 1997 .. Mar 2021
const ethTotal = ETHNICITY_DIST.reduce((a, b) => a + b[1], 0);

/** Simulate child `i` (0-based; ids C/P + i+1) into run.child and write all of its rows. */
export function simulateChild(run: SynthRun, i: number): void {
  const { rng, counts, areas } = run;
  const c = run.child;
  const bm = rng.nextInt(birthMonths);
  c.birthYear = 1997 + Math.floor((8 + bm) / 12);
  c.birthMonth = ((8 + bm) % 12) + 1;
  c.birth = dayFromCivil(c.birthYear, c.birthMonth, 1);
  c.male = rng.nextFloat() < 0.512;
  c.eth = pick(rng, ETHNICITY_DIST, ethTotal);
  c.egroup = ethnicGroup(c.eth);
  c.la = laOfDraw(areas, rng.nextFloat() * areas.cum);
  c.decile = 1 + rng.nextInt(10);
  c.inNpd = rng.nextFloat() < 0.93;
  c.pmrRecorded = c.inNpd && rng.nextFloat() < 0.96;
  c.pmr = 'P' + pad(i + 1, 9);
  c.childId = 'C' + pad(i + 1, 9);
  c.day18 = birthdayDay(c.birth, 18);
  const from = Math.max(WIN_START, c.birth);
  const to = Math.min(WIN_END, c.day18 - 1);
  const rate = REFERRAL_RATE.basePerYear * Math.exp(REFERRAL_RATE.idaciLogRatePerDecile * (c.decile - 1)) * areas.laRateMult[c.la];
  let referral = NONE;
  if (from <= to) {
    const t = from + Math.floor((expo(rng) / rate) * 365.25);
    if (t <= to) {
      if (t >= dipFrom && t <= dipTo && rng.nextFloat() >= REFERRAL_RATE.pandemicDip.keepProbability) counts.first_referrals_dropped_pandemic++;
      else referral = t;
    }
  }
  run.popTally.child(i, c.birth, c.male, c.la, c.decile, rate, from, to, referral);
  c.expDay.length = 0; c.expLevel.length = 0; c.expClass.length = 0;
  c.disabledChild = false;
  if (referral !== NONE) simulateReferrals(run, referral);
  simulateEducation(run);
}
