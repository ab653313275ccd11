// Cache folder rules of the generator (src/data/synth/folder): a set is reused only when complete
// and written by this generator version.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { cachedIsCurrent, GENERATOR_VERSION, OUTPUT_FILES, syntheticDir } from '../../../src/data/synth/folder';

describe('syntheticDir and cachedIsCurrent', () => {
  it('resolves an explicit dir, else data/synthetic/<scale>-seed<seed>', () => {
    expect(syntheticDir({ scale: 'tiny', seed: 3, dir: 'rel/x' })).toBe(path.resolve('rel/x'));
    expect(syntheticDir({ scale: 'small', seed: 9 })).toMatch(/data[\\/]synthetic[\\/]small-seed9$/);
  });
  it('is current only with every file and this version in truth.json', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k13-folder-'));
    for (const f of OUTPUT_FILES) fs.writeFileSync(path.join(dir, f), '');
    expect(cachedIsCurrent(dir)).toBe(false); // truth.json unreadable
    fs.writeFileSync(path.join(dir, 'truth.json'), JSON.stringify({ generator: GENERATOR_VERSION }));
    expect(cachedIsCurrent(dir)).toBe(true);
    fs.writeFileSync(path.join(dir, 'truth.json'), JSON.stringify({ generator: 'older' }));
    expect(cachedIsCurrent(dir)).toBe(false);
    fs.writeFileSync(path.join(dir, 'truth.json'), JSON.stringify({ generator: GENERATOR_VERSION }));
    fs.rmSync(path.join(dir, 'ks4.csv'));
    expect(cachedIsCurrent(dir)).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
