/**
 * Synthetic national CIN / SSDA903 / NPD data with known truth.
 *
 * Inputs: scale (population size), seed. Output: a folder with cin.csv, cla.csv, ks2.csv, ks4.csv,
 * pupils.csv, truth.json. One child at a time is simulated and written through buffered
 * synchronous writers, so memory stays bounded at the national scale (per-LA and per-school
 * arrays only). The same seed and scale give byte-identical files: one seeded RNG stream, children in
 * index order, no clocks, no hash-order dependence.
 * Failure: throws if the folder cannot be written; a partially written folder is never left under
 * the final name (written to a temporary folder, then renamed).
 */
import * as fs from 'fs';
import * as path from 'path';
import { createRng, type Rng } from '../../core/random';
import { HARMONISED_FACTORS, FACTOR_GROUPING, ethnicGroup } from '../codes';
import { dayFromCivil, isoFromDay, civilFromDay, censusYearOfDay, birthdayDay } from '../dates';
import { findRepoRoot } from '../paths';
import type { SyntheticOptions, SyntheticScale, SyntheticTruth } from '../types';
import {
  DEMAND_CLASS_LABELS, N_CLASSES, CLASS_SHARES, pandemicShares, PANDEMIC_SHARE_MULTIPLIERS, itemProbabilities, groupPrevalence,
  PREVALENCE_TARGETS, PATHWAY_LEVELS, PATHWAY_PROBS, CPP_CATEGORIES, CPP_CATEGORY_TARGETS, cppCategoryProbabilities,
  REREFERRAL_COX, REFERRAL_RATE, ATTAINMENT, STUDY_WINDOW, KS2_YEARS, KS4_YEARS, SCALE_POPULATION, N_LAS, SCHOOLS_PER_LA,
} from './params';
import { adjustedRandIndexFromTable } from '../ari';
import { PopulationTally } from './population';
import { ETHNICITY_DIST, REFERRAL_SOURCE_DIST, PRIMARY_NEED_BY_CLASS, pick, pickIndex, expo, pad, fmt1, fmt2, clampRound, rawCodeFor } from './draws';
import { CIN_HEADER, CLA_HEADER, PUPILS_HEADER, KS2_HEADER, KS4_HEADER } from './headers';

export { CIN_HEADER, CLA_HEADER, PUPILS_HEADER, KS2_HEADER, KS4_HEADER } from './headers';

/** Folder the synthetic data for (scale, seed) lives in, under the repo root unless `dir` is given. */
export function syntheticDir(opts: SyntheticOptions): string {
  if (opts.dir) return path.resolve(opts.dir);
  return path.join(findRepoRoot(), 'data', 'synthetic', `${opts.scale}-seed${opts.seed}`);
}

const OUTPUT_FILES = ['cin.csv', 'cla.csv', 'ks2.csv', 'ks4.csv', 'pupils.csv', 'truth.json', 'population.csv', 'area_counts.csv', 'class_counts.csv'];

/** Generate into the folder unless a complete set is already there; returns the folder. */
/** Bump when the generator's output changes, so cached folders from an older generator are regenerated. */
export const GENERATOR_VERSION = 'csc-outcomes src/data/synth v3+population';

function cachedIsCurrent(dir: string): boolean {
  if (!OUTPUT_FILES.every((f) => fs.existsSync(path.join(dir, f)))) return false;
  try {
    return (JSON.parse(fs.readFileSync(path.join(dir, 'truth.json'), 'utf8')) as { generator?: string }).generator === GENERATOR_VERSION;
  } catch {
    return false;
  }
}

export function ensureSynthetic(opts: SyntheticOptions): string {
  const dir = syntheticDir(opts);
  if (cachedIsCurrent(dir)) return dir;
  generateSynthetic(opts, { keepExisting: true });
  return dir;
}

/** Buffered synchronous line writer: bounded memory, deterministic bytes. */
class LineSink {
  private parts: string[] = [];
  private size = 0;
  private fd: number;
  lines = 0;
  constructor(file: string, header: string) {
    this.fd = fs.openSync(file, 'w');
    this.write(header);
    this.lines = 0;
  }
  write(line: string): void {
    this.parts.push(line, '\n');
    this.size += line.length + 1;
    this.lines++;
    if (this.size > 1 << 20) this.flush();
  }
  flush(): void {
    if (this.parts.length) fs.writeSync(this.fd, this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }
}

/** Episode state needed while a child's history is simulated (reused; no per-row allocation of records). */
interface EpisodeDraft {
  referral: number; assess: number; auth: number; factors: string; trueClass: number; pathway: number;
  planStart: number; planEnd: number; s47: number; icpc: number; cppStart: number; cppEnd: number;
  cppInitial: string; cppLatest: string; careStart: number; careEnd: number; closure: number; reason: string; nfa: boolean;
  source: string; need: string;
}
const NONE = -1;

/**
 * Generate the synthetic extracts into syntheticDir(opts). With keepExisting, a complete set that
 * appeared meanwhile (another process generating the same seed) is kept and ours discarded; the
 * bytes are identical either way.
 */
export function generateSynthetic(opts: SyntheticOptions, how: { keepExisting?: boolean } = {}): { dir: string; truth: SyntheticTruth } {
  const scale: SyntheticScale = opts.scale;
  if (!(scale in SCALE_POPULATION)) throw new Error(`unknown synthetic scale '${scale}' (expected tiny, small or national)`);
  if (!Number.isFinite(opts.seed)) throw new Error(`synthetic seed must be a finite number, got ${opts.seed}`);
  const finalDir = syntheticDir(opts);
  const tmpDir = `${finalDir}.tmp-${process.pid}`;
  fs.rmSync(tmpDir, { recursive: true, force: true });
  fs.mkdirSync(tmpDir, { recursive: true });

  const rng = createRng(opts.seed);
  const population = SCALE_POPULATION[scale];
  const schools = SCHOOLS_PER_LA[scale];
  const winStart = dayFromCivil(2014, 4, 1);
  const winEnd = dayFromCivil(2021, 3, 31);
  const dipFrom = dayFromCivil(2020, 4, 1);
  const dipTo = dayFromCivil(2020, 6, 30);
  const birthFirst = dayFromCivil(1997, 9, 1);
  const birthMonths = (2021 - 1997) * 12 + (3 - 9) + 1; // Sep 1997 .. Mar 2021

  // ---- LA-level draws (fixed order so the stream is deterministic) ----
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
  const popTally = new PopulationTally(laNames, Array.from(laSizeCum, (c, l) => (c - (l ? laSizeCum[l - 1] : 0)) / cum), population, STUDY_WINDOW.censusYears,
    { from: dayFromCivil(2020, 4, 1), to: dayFromCivil(2020, 6, 30), keep: REFERRAL_RATE.pandemicDip.keepProbability });
  const outcomes = ['ks2_read', 'ks2_maths', 'ks4_att8', 'ks4_p8'] as const;
  const laRe: Record<string, number[]> = {};
  for (const o of outcomes) laRe[o] = Array.from({ length: N_LAS }, () => ATTAINMENT[o].sd.la * rng.nextNormal());
  const schoolRe: Record<string, Float64Array> = {};
  for (const o of outcomes) {
    const n = N_LAS * (o.startsWith('ks2') ? schools.primary : schools.secondary);
    const a = new Float64Array(n);
    for (let s = 0; s < n; s++) a[s] = ATTAINMENT[o].sd.school * rng.nextNormal();
    schoolRe[o] = a;
  }

  const itemProbs = itemProbabilities();
  const nItems = HARMONISED_FACTORS.length;
  const sharesPre = CLASS_SHARES.slice();
  const sharesPandemic = pandemicShares();
  const cppProbs = cppCategoryProbabilities();
  const ethTotal = ETHNICITY_DIST.reduce((a, b) => a + b[1], 0);
  const srcTotal = REFERRAL_SOURCE_DIST.reduce((a, b) => a + b[1], 0);
  const censusYears = STUDY_WINDOW.censusYears;

  // ---- outputs ----
  const cin = new LineSink(path.join(tmpDir, 'cin.csv'), CIN_HEADER.join(','));
  const cla = new LineSink(path.join(tmpDir, 'cla.csv'), CLA_HEADER.join(','));
  const pupils = new LineSink(path.join(tmpDir, 'pupils.csv'), PUPILS_HEADER.join(','));
  const ks2 = new LineSink(path.join(tmpDir, 'ks2.csv'), KS2_HEADER.join(','));
  const ks4 = new LineSink(path.join(tmpDir, 'ks4.csv'), KS4_HEADER.join(','));

  // ---- counters for truth.json ----
  const counts: Record<string, number> = {
    population: population, cin_children: 0, referrals: 0, first_referrals_dropped_pandemic: 0, assessments: 0,
    assessments_with_factors: 0, lca_sample: 0, cpp: 0, cla_episodes: 0, care_periods: 0, cin_rows: 0, open_at_end: 0,
    closed_episodes: 0, adopted_closures: 0, rereferrals: 0, pupils: 0, ks2: 0, ks4: 0, cin_children_without_pmr: 0,
    ks2_read_clamped: 0, ks2_maths_clamped: 0, ks4_att8_clamped: 0, ks4_p8_clamped: 0,
  };
  const referralsByYear: Record<string, number> = {};
  const referralsByMonth2020: Record<string, number> = {};
  const lcaClassCounts = new Array(N_CLASSES + 1).fill(0);
  // contingency of true class (1..12) vs modal class under the true parameters, for the achievable ARI
  const confusion: number[][] = Array.from({ length: N_CLASSES }, () => new Array(N_CLASSES).fill(0));
  const pathwayCounts = new Array(4).fill(0);
  const cppCatCounts = new Array(5).fill(0);
  const cppCatOpen2019 = new Array(5).fill(0);
  const census2019 = dayFromCivil(2019, 3, 31);
  const itemPresent = new Uint8Array(nItems);
  const logP = itemProbs.map((row) => row.map((p) => Math.log(p)));
  const log1mP = itemProbs.map((row) => row.map((p) => Math.log(1 - p)));
  const post = new Float64Array(N_CLASSES);

  const ep: EpisodeDraft = {
    referral: 0, assess: NONE, auth: NONE, factors: '', trueClass: 0, pathway: 0, planStart: NONE, planEnd: NONE, s47: NONE,
    icpc: NONE, cppStart: NONE, cppEnd: NONE, cppInitial: '', cppLatest: '', careStart: NONE, careEnd: NONE, closure: NONE,
    reason: '', nfa: false, source: '', need: '',
  };

  const ks2TestDay: Record<number, number> = {};
  for (const y of KS2_YEARS) ks2TestDay[y] = dayFromCivil(y, 5, 10);
  const ks4TestDay: Record<number, number> = {};
  for (const y of KS4_YEARS) ks4TestDay[y] = dayFromCivil(y, 6, 1);
  // per-child exposure log, reused: [day, level(1 CIN,2 CPP,3 CLA), class]
  const expDay: number[] = [];
  const expLevel: number[] = [];
  const expClass: number[] = [];

  const cox = REREFERRAL_COX;
  const shape = cox.baseline.shape;
  const scaleYears = cox.baseline.scaleYears;

  for (let i = 0; i < population; i++) {
    // ---- child ----
    const bm = rng.nextInt(birthMonths);
    const birthYear = 1997 + Math.floor((8 + bm) / 12);
    const birthMonth = ((8 + bm) % 12) + 1;
    const birth = dayFromCivil(birthYear, birthMonth, 1);
    const male = rng.nextFloat() < 0.512;
    const eth = pick(rng, ETHNICITY_DIST, ethTotal);
    const egroup = ethnicGroup(eth);
    const u = rng.nextFloat() * cum;
    // first LA whose cumulative size exceeds u (binary search; same result as a linear scan)
    let lo = 0, hi = N_LAS - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (laSizeCum[mid] <= u) lo = mid + 1; else hi = mid;
    }
    const la = lo;
    const decile = 1 + rng.nextInt(10);
    const inNpd = rng.nextFloat() < 0.93;
    const pmrRecorded = inNpd && rng.nextFloat() < 0.96;
    const pmr = 'P' + pad(i + 1, 9);
    const childId = 'C' + pad(i + 1, 9);
    const day18 = birthdayDay(birth, 18);
    const from = Math.max(winStart, birth);
    const to = Math.min(winEnd, day18 - 1);
    const ageOk = from <= to;
    const rate = REFERRAL_RATE.basePerYear * Math.exp(REFERRAL_RATE.idaciLogRatePerDecile * (decile - 1)) * laRateMult[la];
    let referral = NONE;
    if (ageOk) {
      const t = from + Math.floor((expo(rng) / rate) * 365.25);
      if (t <= to) {
        if (t >= dipFrom && t <= dipTo && rng.nextFloat() >= REFERRAL_RATE.pandemicDip.keepProbability) counts.first_referrals_dropped_pandemic++;
        else referral = t;
      }
    }
    popTally.child(i, birth, male, la, decile, rate, from, to, referral);
    expDay.length = 0; expLevel.length = 0; expClass.length = 0;
    let disabledChild = false;

    if (referral !== NONE) {
      counts.cin_children++;
      if (!pmrRecorded) counts.cin_children_without_pmr++;
      let prior = 0;
      let previousCpp = 0;
      const sexCode = male ? '1' : '2';
      const disability = rng.nextFloat() < 0.06 ? (rng.nextFloat() < 0.5 ? 'LD' : 'AUT;COMM') : 'NONE';
      while (referral !== NONE) {
        simulateEpisode(referral);
        counts.referrals++;
        if (prior > 0) counts.rereferrals++;
        const cy = censusYearOfDay(referral);
        referralsByYear[cy] = (referralsByYear[cy] ?? 0) + 1;
        const [ry, rm] = civilFromDay(referral);
        if (ry === 2020 || (ry === 2019 && rm >= 4) || (ry === 2021 && rm <= 3)) {
          const key = `${ry}-${pad(rm, 2)}`;
          referralsByMonth2020[key] = (referralsByMonth2020[key] ?? 0) + 1;
        }
        if (ep.trueClass === 3) disabledChild = true;
        writeEpisode(sexCode, disability, previousCpp);
        popTally.episode(ep.referral, ep.cppStart, ep.careStart, ep.trueClass);
        if (ep.cppStart !== NONE) previousCpp++;
        // exposure log for the pupil tables (level reached, by the day it was reached)
        expDay.push(referral); expLevel.push(1); expClass.push(ep.trueClass);
        if (ep.cppStart !== NONE) { expDay.push(ep.cppStart); expLevel.push(2); expClass.push(ep.trueClass); }
        if (ep.careStart !== NONE) { expDay.push(ep.careStart); expLevel.push(3); expClass.push(ep.trueClass); }

        // ---- next referral from the Cox model, in years since closure ----
        if (ep.closure === NONE) { counts.open_at_end++; break; }
        counts.closed_episodes++;
        if (ep.reason === 'RC1') { counts.adopted_closures++; break; }
        const ageAtClosure = (ep.closure - birth) / 365.25;
        const eta = (cox.trueClass[ep.trueClass] ?? 0) + cox.pathway[PATHWAY_LEVELS[ep.pathway]] + cox.ageAtClosurePerYear * ageAtClosure
          + cox.sex[male ? 'M' : 'F'] + cox.ethnicGroup[egroup] + cox.idaciDecilePerDecile * decile
          + cox.priorReferralsPerReferral * prior + laLogFrailty[la];
        const tYears = scaleYears * Math.pow(expo(rng) / Math.exp(eta), 1 / shape);
        const next = ep.closure + Math.max(1, Math.ceil(tYears * 365.25));
        prior++;
        referral = next <= winEnd && next < day18 && Number.isFinite(next) ? next : NONE;
      }
    }

    // ---- NPD: pupils in a KS2 or KS4 cohort inside the window ----
    if (inNpd) {
      const ks2Year = birthMonth >= 9 ? birthYear + 12 : birthYear + 11;
      const ks4Year = birthMonth >= 9 ? birthYear + 17 : birthYear + 16;
      const hasKs2 = KS2_YEARS.includes(ks2Year);
      const hasKs4 = KS4_YEARS.includes(ks4Year);
      if (hasKs2 || hasKs4) {
        // characteristics depend on deprivation and on CSC contact at any time (time-invariant record)
        const ever = expDay.length > 0;
        const fsm = rng.nextFloat() < 1 / (1 + Math.exp(-(-0.6 - 0.25 * (decile - 1) + 1.4 * (ever ? 1 : 0))));
        const us = rng.nextFloat();
        const pE = 0.025 + (disabledChild ? 0.45 : 0) + (ever ? 0.05 : 0);
        const pK = 0.11 + (ever ? 0.18 : 0) + 0.01 * (10 - decile);
        const sen = us < pE ? 'E' : us < pE + pK ? 'K' : 'N';
        const ealP = egroup === 'White' ? (eth === 'WBRI' ? 0.01 : 0.6) : egroup === 'Asian' || egroup === 'Other' ? 0.6 : egroup === 'Black' ? 0.45 : egroup === 'Mixed' ? 0.1 : 0.2;
        const eal = rng.nextFloat() < ealP;
        counts.pupils++;
        pupils.write([pmr, male ? 'M' : 'F', eth, birthMonth, birthYear, fsm ? 1 : 0, sen, eal ? 1 : 0, decile, laNames[la]].join(','));
        const g = rng.nextNormal(); // shared pupil ability across KS2 subjects
        if (hasKs2) {
          const testDay = ks2TestDay[ks2Year];
          const [level, cls] = exposureBefore(testDay);
          const school = la * schools.primary + rng.nextInt(schools.primary);
          const rho = ATTAINMENT.ks2SharedResidualShare;
          const read = linearScore('ks2_read', level, cls, fsm, sen, eal, decile, la, school, Math.sqrt(rho) * g + Math.sqrt(1 - rho) * rng.nextNormal());
          const maths = linearScore('ks2_maths', level, cls, fsm, sen, eal, decile, la, school, Math.sqrt(rho) * g + Math.sqrt(1 - rho) * rng.nextNormal());
          const writeLatent = (read + maths) / 2 + 3 * rng.nextNormal() + ATTAINMENT.writingThresholdShift;
          const writ = writeLatent >= 109 ? 'GDS' : writeLatent >= 100 ? 'EXS' : 'WTS';
          counts.ks2++;
          if (read < 79.5 || read >= 120.5) counts.ks2_read_clamped++;
          if (maths < 79.5 || maths >= 120.5) counts.ks2_maths_clamped++;
          ks2.write([pmr, ks2Year, laNames[la], `${laNames[la]}-P${pad(school % schools.primary + 1, 3)}`,
            clampRound(read, 80, 120), clampRound(maths, 80, 120), writ].join(','));
        }
        if (hasKs4) {
          const testDay = ks4TestDay[ks4Year];
          const [level, cls] = exposureBefore(testDay);
          const school = la * schools.secondary + rng.nextInt(schools.secondary);
          const att8 = linearScore('ks4_att8', level, cls, fsm, sen, eal, decile, la, school, rng.nextNormal());
          const p8 = linearScore('ks4_p8', level, cls, fsm, sen, eal, decile, la, school, rng.nextNormal());
          counts.ks4++;
          if (att8 < 0 || att8 > 90) counts.ks4_att8_clamped++;
          if (p8 < -5 || p8 > 5) counts.ks4_p8_clamped++;
          ks4.write([pmr, ks4Year, laNames[la], `${laNames[la]}-S${pad(school % schools.secondary + 1, 3)}`,
            fmt1(Math.min(90, Math.max(0, att8))), fmt2(Math.min(5, Math.max(-5, p8)))].join(','));
        }
      }
    }

    // -------- closures over the child's state --------
    function exposureBefore(day: number): [string, number] {
      let level = 0;
      let cls = 0;
      let latest = -Infinity;
      for (let e = 0; e < expDay.length; e++) {
        if (expDay[e] >= day) continue;
        if (expLevel[e] > level) level = expLevel[e];
        if (expLevel[e] === 1 && expDay[e] > latest) { latest = expDay[e]; cls = expClass[e]; }
      }
      return [['none', 'CIN', 'CPP', 'CLA'][level], cls];
    }

    function simulateEpisode(ref: number): void {
      ep.referral = ref; ep.assess = NONE; ep.auth = NONE; ep.factors = ''; ep.trueClass = 0; ep.pathway = 0;
      ep.planStart = NONE; ep.planEnd = NONE; ep.s47 = NONE; ep.icpc = NONE; ep.cppStart = NONE; ep.cppEnd = NONE;
      ep.cppInitial = ''; ep.cppLatest = ''; ep.careStart = NONE; ep.careEnd = NONE; ep.closure = NONE; ep.reason = ''; ep.nfa = false;
      ep.source = pick(rng, REFERRAL_SOURCE_DIST, srcTotal);
      let closure: number;
      let reason = 'RC8';
      let careRec = '';
      let hasItems = false;
      let modal = -1;
      if (rng.nextFloat() < REFERRAL_RATE.assessmentProbability) {
        ep.assess = ref + rng.nextInt(10);
        ep.auth = ep.assess + 10 + rng.nextInt(35);
        const withFactors = rng.nextFloat() < REFERRAL_RATE.factorsGivenAssessment;
        if (withFactors) {
          const shares = censusYearOfDay(ep.assess) === 2021 ? sharesPandemic : sharesPre;
          const k = pickIndex(rng, shares);
          ep.trueClass = k + 1;
          const list: string[] = [];
          for (let j = 0; j < nItems; j++) {
            itemPresent[j] = rng.nextFloat() < itemProbs[k][j] ? 1 : 0;
            if (itemPresent[j]) list.push(rawCodeFor(HARMONISED_FACTORS[j], ep.assess));
          }
          ep.factors = list.length ? list.join(';') : '21';
          hasItems = list.length > 0;
          modal = hasItems ? modalClass(shares) : -1;
        } else {
          ep.factors = '21';
        }
        ep.pathway = pickIndex(rng, PATHWAY_PROBS[ep.trueClass]);
        if (ep.pathway === 0) {
          closure = ep.auth + rng.nextInt(14);
          reason = censusYearOfDay(closure) >= 2021 && rng.nextFloat() < 0.3 ? 'RC9' : 'RC8';
        } else if (ep.pathway === 1) {
          ep.planStart = ep.auth + rng.nextInt(14);
          ep.planEnd = ep.planStart + 60 + Math.floor(250 * expo(rng));
          closure = ep.planEnd + rng.nextInt(30);
          const r = rng.nextFloat();
          reason = r < 0.05 ? 'RC3' : r < 0.1 ? 'RC4' : 'RC7';
        } else if (ep.pathway === 2) {
          ep.s47 = ref + rng.nextInt(10);
          ep.icpc = ep.s47 + 7 + rng.nextInt(14);
          ep.cppStart = ep.icpc;
          ep.cppEnd = ep.cppStart + 60 + Math.floor(280 * expo(rng));
          const c = pickIndex(rng, cppProbs[ep.trueClass]);
          ep.cppInitial = CPP_CATEGORIES[c];
          ep.cppLatest = rng.nextFloat() < 0.9 ? ep.cppInitial : CPP_CATEGORIES[rng.nextInt(5)];
          if (rng.nextFloat() < 0.6) {
            ep.planStart = ep.cppEnd;
            ep.planEnd = ep.planStart + 30 + Math.floor(150 * expo(rng));
            closure = ep.planEnd + rng.nextInt(20);
          } else closure = ep.cppEnd + rng.nextInt(20);
          reason = 'RC7';
        } else {
          ep.careStart = ep.auth + rng.nextInt(60);
          ep.careEnd = ep.careStart + 60 + Math.floor(550 * expo(rng));
          const ageAtEntry = (ep.careStart - birth) / 365.25;
          const r = rng.nextFloat();
          if (ageAtEntry < 5 && r < 0.35) { careRec = rng.nextFloat() < 0.8 ? 'E11' : 'E12'; reason = 'RC1'; }
          else if (r < 0.5) { careRec = rng.nextFloat() < 0.6 ? 'E45' : 'E46'; reason = 'RC4'; }
          else if (r < 0.55) { careRec = 'E41'; reason = 'RC3'; }
          else { careRec = 'E4A'; reason = 'RC7'; }
          closure = ep.careEnd + rng.nextInt(30);
        }
      } else {
        ep.nfa = true;
        closure = ref + 1 + rng.nextInt(10);
        reason = 'RC8';
      }
      ep.need = PRIMARY_NEED_BY_CLASS[ep.trueClass][rng.nextInt(PRIMARY_NEED_BY_CLASS[ep.trueClass].length)];
      // services end by the day before the 18th birthday
      if (closure >= day18) {
        closure = day18 - 1;
        reason = ep.trueClass === 3 ? 'RC6' : 'RC7';
        if (ep.careEnd !== NONE && ep.careEnd >= day18 - 1) { ep.careEnd = day18 - 1; careRec = 'E8'; }
        if (ep.planEnd !== NONE && ep.planEnd > closure) ep.planEnd = closure;
        if (ep.cppEnd !== NONE && ep.cppEnd > closure) ep.cppEnd = closure;
        if (ep.planStart !== NONE && ep.planStart > closure) { ep.planStart = NONE; ep.planEnd = NONE; }
        if (ep.cppStart !== NONE && ep.cppStart > closure) { ep.cppStart = NONE; ep.cppEnd = NONE; ep.s47 = NONE; ep.icpc = NONE; ep.cppInitial = ''; ep.cppLatest = ''; }
        if (ep.careStart !== NONE && ep.careStart > closure) { ep.careStart = NONE; ep.careEnd = NONE; }
        if (ep.assess !== NONE && ep.assess > closure) { ep.assess = NONE; ep.auth = NONE; }
        if (ep.auth !== NONE && ep.auth > closure) ep.auth = closure;
      }
      // anything after the end of the data is not observed
      if (closure > winEnd) { closure = NONE; reason = ''; }
      const cut = (d: number): number => (d !== NONE && d > winEnd ? NONE : d);
      ep.assess = cut(ep.assess);
      if (ep.assess === NONE) { ep.auth = NONE; ep.factors = ''; ep.trueClass = 0; }
      ep.auth = cut(ep.auth); ep.planStart = cut(ep.planStart); if (ep.planStart === NONE) ep.planEnd = NONE;
      ep.planEnd = cut(ep.planEnd); ep.s47 = cut(ep.s47); ep.icpc = cut(ep.icpc);
      ep.cppStart = cut(ep.cppStart); if (ep.cppStart === NONE) { ep.cppEnd = NONE; ep.cppInitial = ''; ep.cppLatest = ''; }
      ep.cppEnd = cut(ep.cppEnd); ep.careStart = cut(ep.careStart); if (ep.careStart === NONE) ep.careEnd = NONE;
      if (ep.careEnd !== NONE && ep.careEnd > winEnd) { ep.careEnd = NONE; careRec = ''; }
      ep.closure = closure; ep.reason = reason;
      // count what is observed (after truncation at 18 and at the end of the data)
      if (ep.assess !== NONE) {
        counts.assessments++;
        if (hasItems) {
          counts.assessments_with_factors++;
          counts.lca_sample++;
          lcaClassCounts[ep.trueClass]++;
          confusion[ep.trueClass - 1][modal]++;
        }
      }
      if (ep.careStart !== NONE) writeCare(careRec);
    }

    function writeCare(rec: string): void {
      counts.care_periods++;
      const ls = pickIndex(rng, [0.15, 0.45, 0.35, 0.05]);
      const legal = ['C1', 'C2', 'V2', 'L1'][ls];
      const need = ['N1', 'N1', 'N1', 'N4', 'N5', 'N8'][rng.nextInt(6)];
      const placeA = ['U1', 'U3', 'U4', 'U6', 'K2', 'P1', 'R1'][pickIndex(rng, [0.1, 0.25, 0.2, 0.15, 0.12, 0.1, 0.08])];
      const dob = isoFromDay(birth);
      const common = [laNames[la], childId, pmrRecorded ? pmr : '', male ? '1' : '2', dob, eth];
      const change = ep.careEnd !== NONE || true ? rng.nextFloat() < 0.35 : false;
      const end = ep.careEnd;
      if (change) {
        const mid = ep.careStart + 1 + Math.floor((((end !== NONE ? end : winEnd) - ep.careStart - 1) * (0.2 + 0.6 * rng.nextFloat())));
        const placeB = ['U1', 'U3', 'U4', 'U6', 'K2', 'R1'][rng.nextInt(6)];
        if (mid > ep.careStart && mid <= winEnd && (end === NONE || mid < end)) {
          cla.write([...common, isoFromDay(ep.careStart), 'S', legal, need, placeA, isoFromDay(mid), 'X1'].join(','));
          cla.write([...common, isoFromDay(mid), 'P', legal, need, placeB, end !== NONE ? isoFromDay(end) : '', rec].join(','));
          counts.cla_episodes += 2;
          return;
        }
      }
      cla.write([...common, isoFromDay(ep.careStart), 'S', legal, need, placeA, end !== NONE ? isoFromDay(end) : '', rec].join(','));
      counts.cla_episodes++;
    }

    function writeEpisode(sexCode: string, disability: string, previousCpp: number): void {
      const firstYear = censusYearOfDay(ep.referral);
      const lastYear = ep.closure === NONE ? 2021 : censusYearOfDay(ep.closure);
      for (let y = firstYear; y <= lastYear; y++) {
        if (!censusYears.includes(y)) continue;
        const censusDay = dayFromCivil(y, 3, 31);
        const show = (d: number): string => (d !== NONE && d <= censusDay ? isoFromDay(d) : '');
        const showCpp = ep.cppStart !== NONE && ep.cppStart <= censusDay;
        if (ep.cppStart !== NONE && ep.cppStart <= census2019 && y === 2019 && (ep.cppEnd === NONE || ep.cppEnd > census2019)) {
          cppCatOpen2019[CPP_CATEGORIES.indexOf(ep.cppInitial as (typeof CPP_CATEGORIES)[number])]++;
        }
        cin.write([
          y, laNames[la], childId, pmrRecorded ? pmr : '', sexCode, eth, birthMonth, birthYear, disability, decile,
          isoFromDay(ep.referral), ep.source, ep.need, show(ep.closure), ep.closure !== NONE && ep.closure <= censusDay ? ep.reason : '',
          ep.nfa ? 'true' : 'false', show(ep.assess), show(ep.auth), ep.assess !== NONE && ep.assess <= censusDay ? ep.factors : '',
          show(ep.planStart), ep.planStart !== NONE && ep.planStart <= censusDay ? show(ep.planEnd) : '', show(ep.s47), show(ep.icpc),
          show(ep.cppStart), showCpp ? show(ep.cppEnd) : '', showCpp ? ep.cppInitial : '', showCpp ? ep.cppLatest : '',
          showCpp ? previousCpp : '', ep.trueClass,
        ].join(','));
        counts.cin_rows++;
      }
      pathwayCounts[ep.pathway]++;
      if (ep.cppStart !== NONE) { counts.cpp++; cppCatCounts[CPP_CATEGORIES.indexOf(ep.cppInitial as (typeof CPP_CATEGORIES)[number])]++; }
    }
  }

  function modalClass(shares: ReadonlyArray<number>): number {
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

  cin.close(); cla.close(); pupils.close(); ks2.close(); ks4.close();

  const groupsOf = HARMONISED_FACTORS.map((f) => FACTOR_GROUPING[f]);
  const groups = Object.keys(PREVALENCE_TARGETS);
  const truth: SyntheticTruth = {
    scale, seed: opts.seed, generator: GENERATOR_VERSION,
    endOfData: STUDY_WINDOW.end, window: STUDY_WINDOW, censusYears,
    las: laNames,
    classes: {
      labels: DEMAND_CLASS_LABELS.slice(1),
      note: 'class k = labels[k-1]; true_class 0 in the tables = assessment with no factors (code 21) or no assessment',
      shares: sharesPre,
      sharesPandemic2021: sharesPandemic,
      pandemicShareMultipliers: PANDEMIC_SHARE_MULTIPLIERS,
      items: HARMONISED_FACTORS.map((c) => 'f_' + c),
      itemCodes: HARMONISED_FACTORS,
      itemNote: 'items are the buildLcaMatrix column names (harmonised grouping); itemProbabilities[k-1][j] = P(item j present | class k)',
      itemProbabilities: itemProbs,
      lcaSampleCounts: lcaClassCounts.slice(1),
      expectedAriTrueParameters: adjustedRandIndexFromTable(confusion),
      expectedAriNote: 'ARI between true class and the modal class under the true parameters (period-specific shares) over the LCA sample: the best a perfectly estimated 12-class LCA can do on these data',
    },
    prevalence: {
      targets: PREVALENCE_TARGETS,
      model: Object.fromEntries(groups.map((g) => [g, groupPrevalence(itemProbs, groupsOf, g, sharesPre)])),
      population: 'grouped factor present, among assessments with at least one factor, 2014/15-2019/20 mix',
    },
    pathways: { levels: PATHWAY_LEVELS, probabilitiesByClass: PATHWAY_PROBS, counts: Object.fromEntries(PATHWAY_LEVELS.map((p, i) => [p, pathwayCounts[i]])) },
    cpp: {
      categories: CPP_CATEGORIES, targets: CPP_CATEGORY_TARGETS, probabilitiesByClass: cppProbs,
      initialCategoryCounts: Object.fromEntries(CPP_CATEGORIES.map((c, i) => [c, cppCatCounts[i]])),
      initialCategoryOpenAt31March2019: Object.fromEntries(CPP_CATEGORIES.map((c, i) => [c, cppCatOpen2019[i]])),
    },
    rereferralCox: {
      ...REREFERRAL_COX,
      laLogFrailty: Object.fromEntries(laNames.map((n, l) => [n, laLogFrailty[l]])),
      timeScale: 'years since closure; table columns time_days / 365.25',
      coding: 'true_class factor ref 1; pathway factor ref NFA; age_at_closure years (closure - dob)/365.25; sex ref F; ethnic_group ref White; idaci_decile linear (1 = most deprived); prior_referrals count of earlier referrals of the child in the data',
      targets: { within12Months: 0.3, within6Years: 0.59 },
    },
    referralRate: { ...REFERRAL_RATE, laRateMultiplier: Object.fromEntries(laNames.map((n, l) => [n, laRateMult[l]])) },
    attainment: {
      ...ATTAINMENT,
      laRandomEffects: laRe,
      coding: 'csc_exposure factor ref none (highest of CIN < CPP < CLA reached before the test date: KS2 10 May, KS4 1 June); true_class factor ref 0 (class of the latest referral before the test; 0 = none/no factors); fsm 0/1; sen factor ref N; eal 0/1; idaci_decile linear. KS2 scores rounded and clamped to 80-120, Att8 clamped to 0-90 (one decimal), P8 to -5..5 (two decimals): effects hold for the latent score, so a linear model on the observed score is attenuated where many pupils sit at a bound (counts.*_clamped; Att8 at 0 is common for CIN pupils with an EHCP). KS2 reading/maths and P8 recover the effects within sampling error at small scale; Att8 effects of large negative terms (csc_exposure, sen E, true_class 3) come out a few percent smaller.',
      targets: { ks2RwmExpected: { cin: 0.35, all: 0.65 }, ks4Att8: { cin: 18.8, cla: 19.1, all: 46.7 }, ks4P8: { cin: -1.45 } },
    },
    counts,
    referralsByCensusYear: referralsByYear,
    referralsByMonth: Object.fromEntries(Object.entries(referralsByMonth2020).sort((a, b) => (a[0] < b[0] ? -1 : 1))),
    inequality: popTally.write(tmpDir),
  };
  fs.writeFileSync(path.join(tmpDir, 'truth.json'), JSON.stringify(truth, null, 1) + '\n');
  if (how.keepExisting && cachedIsCurrent(finalDir)) {
    fs.rmSync(tmpDir, { recursive: true, force: true });
    return { dir: finalDir, truth };
  }
  fs.rmSync(finalDir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(finalDir), { recursive: true });
  try {
    fs.renameSync(tmpDir, finalDir);
  } catch (e) {
    // lost a race with another generator of the same (scale, seed): its files are byte-identical
    if (!cachedIsCurrent(finalDir)) throw e;
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
  return { dir: finalDir, truth };

  function linearScore(o: (typeof outcomes)[number], level: string, cls: number, fsm: boolean, sen: string, eal: boolean,
    decile: number, la: number, school: number, z: number): number {
    const m = ATTAINMENT[o];
    return m.intercept + m.csc_exposure[level] + (m.true_class[cls] ?? 0) + (fsm ? m.fsm : 0) + m.sen[sen] + (eal ? m.eal : 0)
      + m.idaci_decile * decile + laRe[o][la] + schoolRe[o][school] + m.sd.residual * z;
  }
}
