/**
 * Reads pupil_truth.csv of a synthetic set: for every KS2 and KS4 result, the CSC exposure and true class
 * the generator used for its score. Linkage loses some of it (a CIN record with no pupil matching
 * reference leaves its child looking like 'none'), so the truth checks fit the generating specification
 * on these true inputs to test the estimator, and compare with the linked inputs to measure linkage bias.
 * Storage: typed arrays indexed by the child number n of PMR "P<n>" (1 byte per child per key stage for
 * each of exposure and class, 2 for the year), not one object per pupil.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { StudySource } from '../types';
import { PUPIL_TRUTH_FILE, PUPIL_TRUTH_HEADER } from './headers';
import { syntheticDir } from './folder';

/** CSC exposure levels in the order of their codes 0..3. */
export const EXPOSURE_LEVELS = ['none', 'CIN', 'CPP', 'CLA'] as const;

/** True inputs of each KS result. level: 0..3 (EXPOSURE_LEVELS), −1 when the pupil has no result of that key stage. */
export interface PupilTruth {
  /** Exposure code 0..3 of pupil `pmr`'s result in `academicYear`; −1 when there is no such result in the truth. */
  level(keyStage: 2 | 4, pmr: string, academicYear: number): number;
  /** True class 0..12 of that result (0 = none or no factors); −1 when there is no such result. */
  trueClass(keyStage: 2 | 4, pmr: string, academicYear: number): number;
  /** Results read per key stage. */
  readonly n: { 2: number; 4: number };
}

interface Stage { level: Int8Array; cls: Int8Array; year: Int16Array }

/** Child number of a synthetic PMR "P000000123" → 123; −1 when not of that form. */
export function pmrNumber(pmr: string): number {
  if (pmr.length < 2 || pmr.charCodeAt(0) !== 80) return -1;
  let n = 0;
  for (let i = 1; i < pmr.length; i++) {
    const d = pmr.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

function grow(s: Stage, need: number): Stage {
  if (need < s.level.length) return s;
  const size = Math.max(need + 1, s.level.length * 2);
  const level = new Int8Array(size).fill(-1); level.set(s.level);
  const cls = new Int8Array(size).fill(-1); cls.set(s.cls);
  const year = new Int16Array(size); year.set(s.year);
  return { level, cls, year };
}

/**
 * Parse pupil_truth.csv in `dir`. Errors: a missing file (a set from a generator before v4: regenerate
 * it), a wrong header, or a malformed line (named by its line number).
 */
export function readPupilTruth(dir: string): PupilTruth {
  const file = path.join(dir, PUPIL_TRUTH_FILE);
  if (!fs.existsSync(file)) throw new Error(`${file} not found: the synthetic set predates the pupil truth file (regenerate it with this generator)`);
  const buf = fs.readFileSync(file);
  const headerEnd = buf.indexOf(10);
  if (buf.subarray(0, headerEnd).toString('utf8').trim() !== PUPIL_TRUTH_HEADER.join(',')) throw new Error(`${file}: header is not ${PUPIL_TRUTH_HEADER.join(',')}`);
  const empty = (): Stage => ({ level: new Int8Array(0), cls: new Int8Array(0), year: new Int16Array(0) });
  const stages: Record<2 | 4, Stage> = { 2: empty(), 4: empty() };
  const n = { 2: 0, 4: 0 };
  let pos = headerEnd + 1;
  let line = 1;
  const fail = (why: string): never => { throw new Error(`${file} line ${line}: ${why}`); };
  const int = (end: number): number => {
    let v = 0;
    const start = pos;
    for (; pos < end; pos++) { const d = buf[pos] - 48; if (d < 0 || d > 9) break; v = v * 10 + d; }
    if (pos === start) fail('expected a number');
    return v;
  };
  const comma = () => { if (buf[pos] !== 44) fail('expected a comma'); pos++; };
  while (pos < buf.length) {
    let end = buf.indexOf(10, pos);
    if (end < 0) end = buf.length;
    line++;
    if (end === pos) { pos++; continue; }
    if (buf[pos] !== 80) fail('PMR must be P<number>');
    pos++;
    const child = int(end); comma();
    const ks = int(end); comma();
    if (ks !== 2 && ks !== 4) fail(`key_stage ${ks} is not 2 or 4`);
    const year = int(end); comma();
    const c0 = buf[pos], c2 = buf[pos + 2];
    const level = c0 === 110 ? 0 : c0 !== 67 ? -1 : c2 === 78 ? 1 : c2 === 80 ? 2 : c2 === 65 ? 3 : -1; // none, CIN, CPP, CLA
    if (level < 0) fail('csc_exposure must be none, CIN, CPP or CLA');
    pos += level === 0 ? 4 : 3; comma();
    const cls = int(end);
    const s = (stages[ks as 2 | 4] = grow(stages[ks as 2 | 4], child));
    s.level[child] = level; s.cls[child] = cls; s.year[child] = year;
    n[ks as 2 | 4]++;
    pos = end + 1;
  }
  const at = (ks: 2 | 4, pmr: string, year: number): number => {
    const s = stages[ks];
    const i = pmrNumber(pmr);
    return i >= 0 && i < s.level.length && s.level[i] >= 0 && s.year[i] === year ? i : -1;
  };
  return {
    n,
    level: (ks, pmr, year) => { const i = at(ks, pmr, year); return i < 0 ? -1 : stages[ks].level[i]; },
    trueClass: (ks, pmr, year) => { const i = at(ks, pmr, year); return i < 0 ? -1 : stages[ks].cls[i]; },
  };
}

/** The pupil truth of a synthetic source (its folder as loadStudyData finds it); undefined for real data. */
export function pupilTruthFor(source: StudySource): PupilTruth | undefined {
  if (source.kind !== 'synthetic') return undefined;
  return readPupilTruth(syntheticDir({ scale: source.scale ?? 'small', seed: source.seed ?? 1, dir: source.dir }));
}
