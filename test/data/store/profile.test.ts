/** The opt-in ingest profile: phases in order, statements counted through the store, times that add up. */
import { describe, it, expect, afterAll } from 'vitest';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { IngestProfile, formatProfile } from '../../../src/data/store/profile';
import type { ProfilePhase } from '../../../src/data/store/profile';
import { Store } from '../../../src/data/store/db';
import { openStudyStore } from '../../../src/data/store/index';
import { NPD_MAPPING } from '../../../src/data/mapping';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-profile-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('IngestProfile', () => {
  it('counts each statement in the phase it ran in; re-entering a phase adds to its row', async () => {
    const store = await Store.open(':memory:');
    const p = new IngestProfile();
    store.profile = p;
    p.enter('a');
    await store.exec('CREATE TABLE t AS SELECT range AS i FROM range(1000)');
    await store.scalar('SELECT count(*) FROM t');
    p.enter('b');
    await store.rows('SELECT * FROM t LIMIT 3');
    p.enter('a');
    await store.columns('SELECT i FROM t');
    store.profile = null;
    await store.exec('SELECT 1'); // after profiling: not counted
    const phases = p.close();
    store.close();
    expect(phases.map((x) => [x.phase, x.statements])).toEqual([['a', 3], ['b', 1]]);
    for (const x of phases) expect(x.wall).toBeGreaterThanOrEqual(0);
    const text = formatProfile(phases);
    expect(text.split('\n')).toHaveLength(4);
    expect(text).toMatch(/^total\s+4\s/m);
  });

  it('an ingest asked for a profile hands over its phases, which cover every statement; a reused store gives none', async () => {
    const cin = path.join(tmp, 'cin.csv');
    fs.copyFileSync(path.resolve(__dirname, '../bad-extracts-extra/child_two_sexes/cin.csv'), cin);
    const storePath = path.join(tmp, 'store.duckdb');
    let got: ProfilePhase[] | null = null;
    const opts = { mapping: NPD_MAPPING, endOfData: '2021-03-31', onProfile: (p: ProfilePhase[]) => { got = p; } };
    const first = await openStudyStore(storePath, { cin }, opts);
    first.store.close();
    const phases = got as unknown as ProfilePhase[];
    expect(phases).not.toBeNull();
    const names = phases.map((x) => x.phase);
    // in the order the ingest runs them
    for (const [a, b] of [['setup', 'cin: read'], ['cin: read', 'cin: rules'], ['cin: rules', 'cin: tables'], ['accounting', 'persist tables (ENUM columns)'], ['persist tables (ENUM columns)', 'store: checkpoint']]) {
      expect(names.indexOf(a)).toBeGreaterThanOrEqual(0);
      expect(names.indexOf(a)).toBeLessThan(names.indexOf(b));
    }
    expect(phases.find((x) => x.phase === 'cin: read')?.statements).toBeGreaterThan(0);
    expect(phases.every((x) => x.cpu >= 0 && x.wall >= 0)).toBe(true);
    got = null;
    const again = await openStudyStore(storePath, { cin }, opts);
    again.store.close();
    expect(again.reused).toBe(true);
    expect(got).toBeNull();
  });
});
