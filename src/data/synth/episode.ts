/**
 * One CIN episode of the synthetic generator: referral source, assessment, the demand factors
 * drawn from the child's true latent class, the pathway (NFA / CIN plan / CPP / care) with its
 * dates and closure reason, then truncation at the 18th birthday and at the end of the data.
 * Fills run.ep in place, counts what is observed, and writes the care periods (records.ts).
 */
import { HARMONISED_FACTORS } from '../codes';
import { censusYearOfDay } from '../dates';
import { PATHWAY_PROBS, CPP_CATEGORIES, REFERRAL_RATE } from './params';
import { REFERRAL_SOURCE_DIST, PRIMARY_NEED_BY_CLASS, pick, pickIndex, expo, rawCodeFor, codeListsOf, validOnly } from './draws';
import { modalClass } from './classes';
import { writeCare } from './records';
import { NONE, WIN_END, type SynthRun } from './state';

/** referral sources by census year: only the codes that year's list holds (5D, early help, from 2023/24); one draw either way */
const sourcesBySchema = new Map<number, ReturnType<typeof validOnly>>();
function sourcesOf(cy: number): ReturnType<typeof validOnly> {
  const lists = codeListsOf(cy);
  let s = sourcesBySchema.get(lists.schemaYear);
  if (!s) sourcesBySchema.set(lists.schemaYear, (s = validOnly(REFERRAL_SOURCE_DIST, lists.referralSource)));
  return s;
}

/** Simulate the episode starting with a referral on day `ref` of the current child (run.child). */
export function simulateEpisode(run: SynthRun, ref: number): void {
  const { rng, ep, model, counts, tallies } = run;
  const { birth, day18 } = run.child;
  const winEnd = WIN_END;
  ep.referral = ref; ep.assess = NONE; ep.auth = NONE; ep.factors = ''; ep.trueClass = 0; ep.pathway = 0;
  ep.planStart = NONE; ep.planEnd = NONE; ep.s47 = NONE; ep.icpc = NONE; ep.cppStart = NONE; ep.cppEnd = NONE;
  ep.cppInitial = ''; ep.cppLatest = ''; ep.careStart = NONE; ep.careEnd = NONE; ep.closure = NONE; ep.reason = ''; ep.nfa = false;
  const sources = sourcesOf(censusYearOfDay(ref));
  ep.source = pick(rng, sources.dist, sources.total);
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
      const shares = censusYearOfDay(ep.assess) === 2021 ? model.sharesPandemic : model.sharesPre;
      const k = pickIndex(rng, shares);
      ep.trueClass = k + 1;
      const list: string[] = [];
      const itemPresent = model.itemPresent;
      for (let j = 0; j < model.nItems; j++) {
        itemPresent[j] = rng.nextFloat() < model.itemProbs[k][j] ? 1 : 0;
        if (itemPresent[j]) list.push(rawCodeFor(HARMONISED_FACTORS[j], censusYearOfDay(ep.assess)));
      }
      ep.factors = list.length ? list.join(';') : '21';
      hasItems = list.length > 0;
      modal = hasItems ? modalClass(model, shares) : -1;
    } else {
      ep.factors = '21';
    }
    ep.pathway = pickIndex(rng, PATHWAY_PROBS[ep.trueClass]);
    if (ep.pathway === 0) {
      closure = ep.auth + rng.nextInt(14);
      // closed and referred to early help: RC9 only where the closure's census year lists it (2023/24 on); the
      // draw is made from 2021 on whether or not RC9 can be written, so the random stream, and every other
      // record of a seed's set, stays as the generator wrote it before RC9 was restricted to its years
      const earlyHelp = censusYearOfDay(closure) >= 2021 && rng.nextFloat() < 0.3;
      reason = earlyHelp && codeListsOf(censusYearOfDay(closure)).closureReason.includes('RC9') ? 'RC9' : 'RC8';
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
      const c = pickIndex(rng, model.cppProbs[ep.trueClass]);
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
      tallies.lcaClassCounts[ep.trueClass]++;
      tallies.confusion[ep.trueClass - 1][modal]++;
    }
  }
  if (ep.careStart !== NONE) writeCare(run, careRec);
}
