/**
 * A referred child's chain of CIN episodes: each episode is simulated and written, then the next
 * referral is drawn from the re-referral Cox model (Weibull baseline in years since closure, LA
 * log-frailty) until the child is adopted, turns 18, the episode is still open, or the data end.
 */
import { civilFromDay, censusYearOfDay } from '../dates';
import { PATHWAY_LEVELS, REREFERRAL_COX } from './params';
import { expo, pad } from './draws';
import { simulateEpisode } from './episode';
import { writeEpisode } from './records';
import { NONE, WIN_END, type SynthRun } from './state';

/** Simulate every episode of the current child from its first referral (day number); fills the child's exposure log. */
export function simulateReferrals(run: SynthRun, firstReferral: number): void {
  const { rng, ep, counts, tallies, child: c } = run;
  const cox = REREFERRAL_COX;
  let referral = firstReferral;
  counts.cin_children++;
  if (!c.pmrRecorded) counts.cin_children_without_pmr++;
  let prior = 0;
  let previousCpp = 0;
  const sexCode = c.male ? '1' : '2';
  const disability = rng.nextFloat() < 0.06 ? (rng.nextFloat() < 0.5 ? 'LD' : 'AUT;COMM') : 'NONE';
  while (referral !== NONE) {
    simulateEpisode(run, referral);
    counts.referrals++;
    if (prior > 0) counts.rereferrals++;
    const cy = censusYearOfDay(referral);
    tallies.referralsByYear[cy] = (tallies.referralsByYear[cy] ?? 0) + 1;
    const [ry, rm] = civilFromDay(referral);
    if (ry === 2020 || (ry === 2019 && rm >= 4) || (ry === 2021 && rm <= 3)) {
      const key = `${ry}-${pad(rm, 2)}`;
      tallies.referralsByMonth2020[key] = (tallies.referralsByMonth2020[key] ?? 0) + 1;
    }
    if (ep.trueClass === 3) c.disabledChild = true;
    writeEpisode(run, sexCode, disability, previousCpp);
    run.popTally.episode(ep.referral, ep.cppStart, ep.careStart, ep.trueClass);
    if (ep.cppStart !== NONE) previousCpp++;
    // exposure log for the pupil tables (level reached, by the day it was reached)
    c.expDay.push(referral); c.expLevel.push(1); c.expClass.push(ep.trueClass);
    if (ep.cppStart !== NONE) { c.expDay.push(ep.cppStart); c.expLevel.push(2); c.expClass.push(ep.trueClass); }
    if (ep.careStart !== NONE) { c.expDay.push(ep.careStart); c.expLevel.push(3); c.expClass.push(ep.trueClass); }

    // ---- next referral from the Cox model, in years since closure ----
    if (ep.closure === NONE) { counts.open_at_end++; break; }
    counts.closed_episodes++;
    if (ep.reason === 'RC1') { counts.adopted_closures++; break; }
    const ageAtClosure = (ep.closure - c.birth) / 365.25;
    const eta = (cox.trueClass[ep.trueClass] ?? 0) + cox.pathway[PATHWAY_LEVELS[ep.pathway]] + cox.ageAtClosurePerYear * ageAtClosure
      + cox.sex[c.male ? 'M' : 'F'] + cox.ethnicGroup[c.egroup] + cox.idaciDecilePerDecile * c.decile
      + cox.priorReferralsPerReferral * prior + run.areas.laLogFrailty[c.la];
    const tYears = cox.baseline.scaleYears * Math.pow(expo(rng) / Math.exp(eta), 1 / cox.baseline.shape);
    const next = ep.closure + Math.max(1, Math.ceil(tYears * 365.25));
    prior++;
    referral = next <= WIN_END && next < c.day18 && Number.isFinite(next) ? next : NONE;
  }
}
