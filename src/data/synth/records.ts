/**
 * Writes the current episode (run.ep) of the current child (run.child) as extract rows: one CIN
 * census row per census year the episode is open in (cin.csv, fields shown as the census of that
 * 31 March would show them) and SSDA903 care episodes (cla.csv, one or two rows per care period).
 */
import { isoFromDay, censusYearOfDay, dayFromCivil } from '../dates';
import { CPP_CATEGORIES, STUDY_WINDOW } from './params';
import { pickIndex, factorsForCensusYear } from './draws';
import { NONE, WIN_END, type SynthRun } from './state';

const census2019 = dayFromCivil(2019, 3, 31);

/** One care period: legal status, need, placement; a placement change at a random point in 35% of periods. `rec` is the reason episode ceased ('' if open). */
export function writeCare(run: SynthRun, rec: string): void {
  const { rng, ep, counts } = run;
  const { laNames } = run.areas;
  const c = run.child;
  const cla = run.sinks.cla;
  counts.care_periods++;
  const ls = pickIndex(rng, [0.15, 0.45, 0.35, 0.05]);
  const legal = ['C1', 'C2', 'V2', 'L1'][ls];
  const need = ['N1', 'N1', 'N1', 'N4', 'N5', 'N8'][rng.nextInt(6)];
  const placeA = ['U1', 'U3', 'U4', 'U6', 'K2', 'P1', 'R1'][pickIndex(rng, [0.1, 0.25, 0.2, 0.15, 0.12, 0.1, 0.08])];
  const dob = isoFromDay(c.birth);
  const common = [laNames[c.la], c.childId, c.pmrRecorded ? c.pmr : '', c.male ? '1' : '2', dob, c.eth];
  const change = rng.nextFloat() < 0.35;
  const end = ep.careEnd;
  if (change) {
    const mid = ep.careStart + 1 + Math.floor((((end !== NONE ? end : WIN_END) - ep.careStart - 1) * (0.2 + 0.6 * rng.nextFloat())));
    const placeB = ['U1', 'U3', 'U4', 'U6', 'K2', 'R1'][rng.nextInt(6)];
    if (mid > ep.careStart && mid <= WIN_END && (end === NONE || mid < end)) {
      cla.write([...common, isoFromDay(ep.careStart), 'S', legal, need, placeA, isoFromDay(mid), 'X1'].join(','));
      cla.write([...common, isoFromDay(mid), 'P', legal, need, placeB, end !== NONE ? isoFromDay(end) : '', rec].join(','));
      counts.cla_episodes += 2;
      return;
    }
  }
  cla.write([...common, isoFromDay(ep.careStart), 'S', legal, need, placeA, end !== NONE ? isoFromDay(end) : '', rec].join(','));
  counts.cla_episodes++;
}

/** CIN census rows of the episode; `previousCpp` is the child's number of earlier CPPs in the data. Draws nothing from the stream. */
export function writeEpisode(run: SynthRun, sexCode: string, disability: string, previousCpp: number): void {
  const { ep, counts, tallies } = run;
  const c = run.child;
  const laName = run.areas.laNames[c.la];
  const censusYears = STUDY_WINDOW.censusYears;
  const firstYear = censusYearOfDay(ep.referral);
  const lastYear = ep.closure === NONE ? 2021 : censusYearOfDay(ep.closure);
  for (let y = firstYear; y <= lastYear; y++) {
    if (!censusYears.includes(y)) continue;
    const censusDay = dayFromCivil(y, 3, 31);
    const show = (d: number): string => (d !== NONE && d <= censusDay ? isoFromDay(d) : '');
    const showCpp = ep.cppStart !== NONE && ep.cppStart <= censusDay;
    if (ep.cppStart !== NONE && ep.cppStart <= census2019 && y === 2019 && (ep.cppEnd === NONE || ep.cppEnd > census2019)) {
      tallies.cppCatOpen2019[CPP_CATEGORIES.indexOf(ep.cppInitial as (typeof CPP_CATEGORIES)[number])]++;
    }
    run.sinks.cin.write([
      y, laName, c.childId, c.pmrRecorded ? c.pmr : '', sexCode, c.eth, c.birthMonth, c.birthYear, disability, c.decile,
      isoFromDay(ep.referral), ep.source, ep.need, show(ep.closure), ep.closure !== NONE && ep.closure <= censusDay ? ep.reason : '',
      ep.nfa ? 'true' : 'false', show(ep.assess), show(ep.auth), ep.assess !== NONE && ep.assess <= censusDay ? factorsForCensusYear(ep.factors, y) : '',
      show(ep.planStart), ep.planStart !== NONE && ep.planStart <= censusDay ? show(ep.planEnd) : '', show(ep.s47), show(ep.icpc),
      show(ep.cppStart), showCpp ? show(ep.cppEnd) : '', showCpp ? ep.cppInitial : '', showCpp ? ep.cppLatest : '',
      showCpp ? previousCpp : '', ep.trueClass,
    ].join(','));
    counts.cin_rows++;
  }
  tallies.pathwayCounts[ep.pathway]++;
  if (ep.cppStart !== NONE) { counts.cpp++; tallies.cppCatCounts[CPP_CATEGORIES.indexOf(ep.cppInitial as (typeof CPP_CATEGORIES)[number])]++; }
}
