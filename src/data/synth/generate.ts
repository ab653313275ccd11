/**
 * Synthetic national CIN / SSDA903 / NPD data with known truth.
 *
 * Inputs: scale (population size), seed. Output: a folder with cin.csv, cla.csv, ks2.csv, ks4.csv,
 * pupils.csv, truth.json, pupil_truth.csv (each KS result's true CSC exposure and class), and the
 * population files. One child at a time is simulated and written through buffered synchronous
 * writers, so memory stays bounded at the national scale (per-LA and per-school arrays only). The same seed and scale give byte-identical files: one seeded RNG stream, children in
 * index order, no clocks, no hash-order dependence. Every scale runs the same code; scale only sets
 * the population and schools per LA (params.ts).
 * Failure: throws if the folder cannot be written; a partially written folder is never left under
 * the final name (written to a temporary folder, then renamed).
 *
 * The steps: areas.ts (LA and school draws), child.ts (one child and its first referral),
 * referrals.ts (episode chain and re-referral Cox model), episode.ts (one episode: factors,
 * classes, pathway), records.ts (CIN and SSDA903 rows), education.ts (NPD), truth.ts (truth.json),
 * population.ts (denominators and area counts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { createRng } from '../../core/random';
import type { SyntheticOptions, SyntheticScale, SyntheticTruth } from '../types';
import { N_CLASSES, STUDY_WINDOW, SCALE_POPULATION, SCHOOLS_PER_LA, REFERRAL_RATE } from './params';
import { PopulationTally } from './population';
import { CIN_HEADER, CLA_HEADER, PUPILS_HEADER, KS2_HEADER, KS4_HEADER, PUPIL_TRUTH_HEADER, PUPIL_TRUTH_FILE } from './headers';
import { LineSink } from './sink';
import { drawAreas, laShares, slopeStream } from './areas';
import { classModel } from './classes';
import { simulateChild } from './child';
import { buildTruth } from './truth';
import { syntheticDir, cachedIsCurrent } from './folder';
import { dayFromCivil } from '../dates';
import { newChildDraft, newEpisodeDraft, type SynthRun } from './state';

export { CIN_HEADER, CLA_HEADER, PUPILS_HEADER, KS2_HEADER, KS4_HEADER } from './headers';
export { syntheticDir, GENERATOR_VERSION } from './folder';

/** Generate into the folder unless a complete set of this generator version is already there; returns the folder. */
export function ensureSynthetic(opts: SyntheticOptions): string {
  const dir = syntheticDir(opts);
  if (cachedIsCurrent(dir)) return dir;
  generateSynthetic(opts, { keepExisting: true });
  return dir;
}

/**
 * Generate the synthetic extracts into syntheticDir(opts). With keepExisting, a complete set that
 * appeared meanwhile (another process generating the same seed) is kept and ours discarded; the
 * bytes are identical either way.
 * Errors: unknown scale, non-finite seed, or any file-system failure.
 */
export function generateSynthetic(opts: SyntheticOptions, how: { keepExisting?: boolean } = {}): { dir: string; truth: SyntheticTruth } {
  const scale: SyntheticScale = opts.scale;
  if (!(scale in SCALE_POPULATION)) throw new Error(`unknown synthetic scale '${scale}' (expected tiny, small, regional or national)`);
  if (!Number.isFinite(opts.seed)) throw new Error(`synthetic seed must be a finite number, got ${opts.seed}`);
  const finalDir = syntheticDir(opts);
  const tmpDir = `${finalDir}.tmp-${process.pid}`;
  fs.rmSync(tmpDir, { recursive: true, force: true });
  fs.mkdirSync(tmpDir, { recursive: true });

  const rng = createRng(opts.seed);
  const population = SCALE_POPULATION[scale];
  const schools = SCHOOLS_PER_LA[scale];
  // LA-level draws come first in the stream (fixed order so the stream is deterministic)
  const areas = drawAreas(rng, schools, slopeStream(opts.seed));
  const popTally = new PopulationTally(areas.laNames, laShares(areas), population, STUDY_WINDOW.censusYears,
    { from: dayFromCivil(2020, 4, 1), to: dayFromCivil(2020, 6, 30), keep: REFERRAL_RATE.pandemicDip.keepProbability });

  const run: SynthRun = {
    rng, schools, areas, popTally,
    model: classModel(),
    sinks: {
      cin: new LineSink(path.join(tmpDir, 'cin.csv'), CIN_HEADER.join(',')),
      cla: new LineSink(path.join(tmpDir, 'cla.csv'), CLA_HEADER.join(',')),
      pupils: new LineSink(path.join(tmpDir, 'pupils.csv'), PUPILS_HEADER.join(',')),
      ks2: new LineSink(path.join(tmpDir, 'ks2.csv'), KS2_HEADER.join(',')),
      ks4: new LineSink(path.join(tmpDir, 'ks4.csv'), KS4_HEADER.join(',')),
      pupilTruth: new LineSink(path.join(tmpDir, PUPIL_TRUTH_FILE), PUPIL_TRUTH_HEADER.join(',')),
    },
    counts: {
      population: population, cin_children: 0, referrals: 0, first_referrals_dropped_pandemic: 0, assessments: 0,
      assessments_with_factors: 0, lca_sample: 0, cpp: 0, cla_episodes: 0, care_periods: 0, cin_rows: 0, open_at_end: 0,
      closed_episodes: 0, adopted_closures: 0, rereferrals: 0, pupils: 0, ks2: 0, ks4: 0, cin_children_without_pmr: 0,
      ks2_read_clamped: 0, ks2_maths_clamped: 0, ks4_att8_clamped: 0, ks4_p8_clamped: 0,
    },
    tallies: {
      referralsByYear: {},
      referralsByMonth2020: {},
      lcaClassCounts: new Array(N_CLASSES + 1).fill(0),
      // contingency of true class (1..12) vs modal class under the true parameters, for the achievable ARI
      confusion: Array.from({ length: N_CLASSES }, () => new Array(N_CLASSES).fill(0)),
      pathwayCounts: new Array(4).fill(0),
      cppCatCounts: new Array(5).fill(0),
      cppCatOpen2019: new Array(5).fill(0),
    },
    child: newChildDraft(),
    ep: newEpisodeDraft(),
  };

  for (let i = 0; i < population; i++) simulateChild(run, i);

  for (const sink of Object.values(run.sinks)) sink.close();

  const truth = buildTruth(run, scale, opts.seed, popTally.write(tmpDir));
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
}
