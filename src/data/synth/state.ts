/**
 * The mutable state one generator run threads through its per-child steps: the seeded stream,
 * output sinks, truth counters and the reused per-child / per-episode drafts (no per-row records
 * are allocated). Plain data; the steps that fill it live in child.ts, referrals.ts, episode.ts,
 * records.ts and education.ts.
 */
import type { Rng } from '../../core/random';
import type { LineSink } from './sink';
import type { PopulationTally } from './population';
import type { Areas } from './areas';
import type { ClassModel } from './classes';
import { dayFromCivil } from '../dates';

/** Day number meaning "did not happen / not observed". */
export const NONE = -1;
/** First and last day of the data (England, financial years 2014/15 to 2020/21). */
export const WIN_START = dayFromCivil(2014, 4, 1);
export const WIN_END = dayFromCivil(2021, 3, 31);

/** Episode state needed while a child's history is simulated (reused across episodes and children). Days are day numbers (dates.ts). */
export interface EpisodeDraft {
  referral: number; assess: number; auth: number; factors: string; trueClass: number; pathway: number;
  planStart: number; planEnd: number; s47: number; icpc: number; cppStart: number; cppEnd: number;
  cppInitial: string; cppLatest: string; careStart: number; careEnd: number; closure: number; reason: string; nfa: boolean;
  source: string; need: string;
}

/** A fresh (empty) episode draft. */
export function newEpisodeDraft(): EpisodeDraft {
  return {
    referral: 0, assess: NONE, auth: NONE, factors: '', trueClass: 0, pathway: 0, planStart: NONE, planEnd: NONE, s47: NONE,
    icpc: NONE, cppStart: NONE, cppEnd: NONE, cppInitial: '', cppLatest: '', careStart: NONE, careEnd: NONE, closure: NONE,
    reason: '', nfa: false, source: '', need: '',
  };
}

/** The current child's fixed characteristics and exposure log (reused across children). */
export interface ChildDraft {
  birth: number; birthYear: number; birthMonth: number; male: boolean; eth: string; egroup: string;
  la: number; decile: number; inNpd: boolean; pmrRecorded: boolean; pmr: string; childId: string; day18: number;
  /** any episode of class 3 (disability) */
  disabledChild: boolean;
  /** exposure log for the pupil tables: day a level was reached, level (1 CIN, 2 CPP, 3 CLA), class of that episode */
  expDay: number[]; expLevel: number[]; expClass: number[];
}

/** A fresh child draft. */
export function newChildDraft(): ChildDraft {
  return {
    birth: 0, birthYear: 0, birthMonth: 0, male: false, eth: '', egroup: '', la: 0, decile: 0, inNpd: false, pmrRecorded: false,
    pmr: '', childId: '', day18: 0, disabledChild: false, expDay: [], expLevel: [], expClass: [],
  };
}

/** Tallies written to truth.json besides `counts`. Class indices are 0-based in `confusion` (true x modal), 1-based (0 = none) in lcaClassCounts. */
export interface Tallies {
  referralsByYear: Record<string, number>;
  referralsByMonth2020: Record<string, number>;
  lcaClassCounts: number[];
  confusion: number[][];
  pathwayCounts: number[];
  cppCatCounts: number[];
  cppCatOpen2019: number[];
}

export interface Sinks { cin: LineSink; cla: LineSink; pupils: LineSink; ks2: LineSink; ks4: LineSink; pupilTruth: LineSink }

/** Everything one run shares between its steps. */
export interface SynthRun {
  rng: Rng;
  schools: { primary: number; secondary: number };
  areas: Areas;
  model: ClassModel;
  sinks: Sinks;
  counts: Record<string, number>;
  tallies: Tallies;
  popTally: PopulationTally;
  child: ChildDraft;
  ep: EpisodeDraft;
}
