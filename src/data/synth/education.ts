/**
 * NPD records of the synthetic generator for the current child (run.child): the pupil
 * characteristics row (FSM, SEN, EAL depend on deprivation and on any CSC contact), and KS2 / KS4
 * results for cohorts inside the window. Scores follow the linear model in ATTAINMENT (LA and
 * school random effects, an LA-varying FSM gap, CSC exposure reached before the test day, true class
 * of the latest referral; exposure and class also go to pupil_truth.csv), then are rounded and
 * clamped to the reported ranges (clamped counts go to truth).
 */
import { dayFromCivil } from '../dates';
import { ATTAINMENT, KS2_YEARS, KS4_YEARS } from './params';
import { fmt1, fmt2, clampRound, pad } from './draws';
import type { Areas, Outcome } from './areas';
import type { ChildDraft, SynthRun } from './state';

const ks2TestDay: Record<number, number> = {};
for (const y of KS2_YEARS) ks2TestDay[y] = dayFromCivil(y, 5, 10);
const ks4TestDay: Record<number, number> = {};
for (const y of KS4_YEARS) ks4TestDay[y] = dayFromCivil(y, 6, 1);

/** Highest CSC level reached strictly before `day` ('none' | 'CIN' | 'CPP' | 'CLA') and the class of the latest referral before it (0 = none). */
export function exposureBefore(c: ChildDraft, day: number): [string, number] {
  let level = 0;
  let cls = 0;
  let latest = -Infinity;
  for (let e = 0; e < c.expDay.length; e++) {
    if (c.expDay[e] >= day) continue;
    if (c.expLevel[e] > level) level = c.expLevel[e];
    if (c.expLevel[e] === 1 && c.expDay[e] > latest) { latest = c.expDay[e]; cls = c.expClass[e]; }
  }
  return [['none', 'CIN', 'CPP', 'CLA'][level], cls];
}

/** Latent score of outcome `o` under the ATTAINMENT linear model; z is the standard-normal residual draw. */
function linearScore(areas: Areas, o: Outcome, level: string, cls: number, fsm: boolean, sen: string, eal: boolean,
  decile: number, la: number, school: number, z: number): number {
  const m = ATTAINMENT[o];
  return m.intercept + m.csc_exposure[level] + (m.true_class[cls] ?? 0) + (fsm ? m.fsm + areas.laFsm[o][la] : 0) + m.sen[sen] + (eal ? m.eal : 0)
    + m.idaci_decile * decile + areas.laRe[o][la] + areas.schoolRe[o][school] + m.sd.residual * z;
}

/** Write the NPD rows of the current child if it is in the NPD and in a KS2 or KS4 cohort of the window. */
export function simulateEducation(run: SynthRun): void {
  const c = run.child;
  if (!c.inNpd) return;
  const { rng, counts, schools } = run;
  const areas = run.areas;
  const { birthMonth, birthYear, decile, la, eth, egroup, male, pmr } = c;
  const laName = run.areas.laNames[la];
  const ks2Year = birthMonth >= 9 ? birthYear + 12 : birthYear + 11;
  const ks4Year = birthMonth >= 9 ? birthYear + 17 : birthYear + 16;
  const hasKs2 = KS2_YEARS.includes(ks2Year);
  const hasKs4 = KS4_YEARS.includes(ks4Year);
  if (!(hasKs2 || hasKs4)) return;
  // characteristics depend on deprivation and on CSC contact at any time (time-invariant record)
  const ever = c.expDay.length > 0;
  const fsm = rng.nextFloat() < 1 / (1 + Math.exp(-(-0.6 - 0.25 * (decile - 1) + 1.4 * (ever ? 1 : 0))));
  const us = rng.nextFloat();
  const pE = 0.025 + (c.disabledChild ? 0.45 : 0) + (ever ? 0.05 : 0);
  const pK = 0.11 + (ever ? 0.18 : 0) + 0.01 * (10 - decile);
  const sen = us < pE ? 'E' : us < pE + pK ? 'K' : 'N';
  const ealP = egroup === 'White' ? (eth === 'WBRI' ? 0.01 : 0.6) : egroup === 'Asian' || egroup === 'Other' ? 0.6 : egroup === 'Black' ? 0.45 : egroup === 'Mixed' ? 0.1 : 0.2;
  const eal = rng.nextFloat() < ealP;
  counts.pupils++;
  run.sinks.pupils.write([pmr, male ? 'M' : 'F', eth, birthMonth, birthYear, fsm ? 1 : 0, sen, eal ? 1 : 0, decile, laName].join(','));
  const g = rng.nextNormal(); // shared pupil ability across KS2 subjects
  if (hasKs2) {
    const [level, cls] = exposureBefore(c, ks2TestDay[ks2Year]);
    const school = la * schools.primary + rng.nextInt(schools.primary);
    const rho = ATTAINMENT.ks2SharedResidualShare;
    const read = linearScore(areas, 'ks2_read', level, cls, fsm, sen, eal, decile, la, school, Math.sqrt(rho) * g + Math.sqrt(1 - rho) * rng.nextNormal());
    const maths = linearScore(areas, 'ks2_maths', level, cls, fsm, sen, eal, decile, la, school, Math.sqrt(rho) * g + Math.sqrt(1 - rho) * rng.nextNormal());
    const writeLatent = (read + maths) / 2 + 3 * rng.nextNormal() + ATTAINMENT.writingThresholdShift;
    const writ = writeLatent >= 109 ? 'GDS' : writeLatent >= 100 ? 'EXS' : 'WTS';
    counts.ks2++;
    run.sinks.pupilTruth.write([pmr, 2, ks2Year, level, cls].join(','));
    if (read < 79.5 || read >= 120.5) counts.ks2_read_clamped++;
    if (maths < 79.5 || maths >= 120.5) counts.ks2_maths_clamped++;
    run.sinks.ks2.write([pmr, ks2Year, laName, `${laName}-P${pad(school % schools.primary + 1, 3)}`,
      clampRound(read, 80, 120), clampRound(maths, 80, 120), writ].join(','));
  }
  if (hasKs4) {
    const [level, cls] = exposureBefore(c, ks4TestDay[ks4Year]);
    const school = la * schools.secondary + rng.nextInt(schools.secondary);
    const att8 = linearScore(areas, 'ks4_att8', level, cls, fsm, sen, eal, decile, la, school, rng.nextNormal());
    const p8 = linearScore(areas, 'ks4_p8', level, cls, fsm, sen, eal, decile, la, school, rng.nextNormal());
    counts.ks4++;
    run.sinks.pupilTruth.write([pmr, 4, ks4Year, level, cls].join(','));
    if (att8 < 0 || att8 > 90) counts.ks4_att8_clamped++;
    if (p8 < -5 || p8 > 5) counts.ks4_p8_clamped++;
    run.sinks.ks4.write([pmr, ks4Year, laName, `${laName}-S${pad(school % schools.secondary + 1, 3)}`,
      fmt1(Math.min(90, Math.max(0, att8))), fmt2(Math.min(5, Math.max(-5, p8)))].join(','));
  }
}
