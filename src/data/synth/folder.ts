/**
 * Where a synthetic set lives and whether a cached set there is current. A set is current when
 * every output file exists and truth.json names this generator version.
 */
import * as fs from 'fs';
import * as path from 'path';
import { findRepoRoot } from '../paths';
import type { SyntheticOptions } from '../types';

/** Bump when the generator's output changes, so cached folders from an older generator are regenerated. */
export const GENERATOR_VERSION = 'csc-outcomes src/data/synth v4+la-fsm-slopes+pupil-truth+codes-of-census-year';

/** Every file one generator run writes (a folder missing any of them is regenerated). */
export const OUTPUT_FILES = ['cin.csv', 'cla.csv', 'ks2.csv', 'ks4.csv', 'pupils.csv', 'truth.json', 'population.csv', 'area_counts.csv', 'class_counts.csv', 'pupil_truth.csv'];

/** Folder the synthetic data for (scale, seed) lives in, under the repo root unless `dir` is given. */
export function syntheticDir(opts: SyntheticOptions): string {
  if (opts.dir) return path.resolve(opts.dir);
  return path.join(findRepoRoot(), 'data', 'synthetic', `${opts.scale}-seed${opts.seed}`);
}

/** True when `dir` holds a complete set written by this GENERATOR_VERSION (an unreadable truth.json counts as stale). */
export function cachedIsCurrent(dir: string): boolean {
  if (!OUTPUT_FILES.every((f) => fs.existsSync(path.join(dir, f)))) return false;
  try {
    return (JSON.parse(fs.readFileSync(path.join(dir, 'truth.json'), 'utf8')) as { generator?: string }).generator === GENERATOR_VERSION;
  } catch {
    return false;
  }
}
