// A SynthRun built from the generator's real pieces, writing to a temporary folder, so the
// per-step modules (child, referrals, episode, records, education) can be driven one at a time.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createRng } from '../../../src/core/random';
import { dayFromCivil } from '../../../src/data/dates';
import { drawAreas, laShares } from '../../../src/data/synth/areas';
import { classModel } from '../../../src/data/synth/classes';
import { CIN_HEADER, CLA_HEADER, PUPILS_HEADER, KS2_HEADER, KS4_HEADER, PUPIL_TRUTH_HEADER, PUPIL_TRUTH_FILE } from '../../../src/data/synth/headers';
import { N_CLASSES, SCHOOLS_PER_LA, STUDY_WINDOW, REFERRAL_RATE } from '../../../src/data/synth/params';
import { PopulationTally } from '../../../src/data/synth/population';
import { LineSink } from '../../../src/data/synth/sink';
import { newChildDraft, newEpisodeDraft, type SynthRun } from '../../../src/data/synth/state';

export function makeRun(seed: number, nChildren = 1000): { run: SynthRun; dir: string; close(): void; read(file: string): string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k13-synth-'));
  const rng = createRng(seed);
  const schools = SCHOOLS_PER_LA.tiny;
  const areas = drawAreas(rng, schools);
  const run: SynthRun = {
    rng, schools, areas,
    popTally: new PopulationTally(areas.laNames, laShares(areas), nChildren, STUDY_WINDOW.censusYears,
      { from: dayFromCivil(2020, 4, 1), to: dayFromCivil(2020, 6, 30), keep: REFERRAL_RATE.pandemicDip.keepProbability }),
    model: classModel(),
    sinks: {
      cin: new LineSink(path.join(dir, 'cin.csv'), CIN_HEADER.join(',')), cla: new LineSink(path.join(dir, 'cla.csv'), CLA_HEADER.join(',')),
      pupils: new LineSink(path.join(dir, 'pupils.csv'), PUPILS_HEADER.join(',')), ks2: new LineSink(path.join(dir, 'ks2.csv'), KS2_HEADER.join(',')),
      ks4: new LineSink(path.join(dir, 'ks4.csv'), KS4_HEADER.join(',')),
      pupilTruth: new LineSink(path.join(dir, PUPIL_TRUTH_FILE), PUPIL_TRUTH_HEADER.join(',')),
    },
    counts: new Proxy({} as Record<string, number>, { get: (t, k: string) => t[k] ?? 0 }),
    tallies: {
      referralsByYear: {}, referralsByMonth2020: {}, lcaClassCounts: new Array(N_CLASSES + 1).fill(0),
      confusion: Array.from({ length: N_CLASSES }, () => new Array(N_CLASSES).fill(0)),
      pathwayCounts: new Array(4).fill(0), cppCatCounts: new Array(5).fill(0), cppCatOpen2019: new Array(5).fill(0),
    },
    child: newChildDraft(), ep: newEpisodeDraft(),
  };
  let closed = false;
  const close = () => { if (!closed) { Object.values(run.sinks).forEach((s) => s.close()); closed = true; } };
  return {
    run, dir, close,
    read: (file) => { close(); return fs.readFileSync(path.join(dir, file), 'utf8').trim().split('\n').slice(1).filter((l) => l.length > 0); },
  };
}
