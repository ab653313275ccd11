/** The store is reused while the inputs are unchanged, and rebuilt when a file's content, size or mtime changes. */
import { describe, it, expect, afterAll } from 'vitest';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { openStudyStore, staleReason } from '../../../src/data/store/index';
import { NPD_MAPPING } from '../../../src/data/mapping';

const src = path.resolve(__dirname, '../bad-extracts-extra/child_two_sexes');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-reuse-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('store reuse', () => {
  it('reopens an unchanged store without ingesting; an edited input is ingested again', async () => {
    const cin = path.join(tmp, 'cin.csv');
    fs.copyFileSync(path.join(src, 'cin.csv'), cin);
    const storePath = path.join(tmp, 'store.duckdb');
    const opts = { mapping: NPD_MAPPING, endOfData: '2021-03-31' };
    const first = await openStudyStore(storePath, { cin }, opts);
    first.store.close();
    expect(first.reused).toBe(false);
    const again = await openStudyStore(storePath, { cin }, opts);
    expect(again.reused).toBe(true);
    expect(again.dataFlow).toEqual(first.dataFlow);
    again.store.close();
    // drop the last row: same name, different size and content
    const lines = fs.readFileSync(cin, 'utf8').trimEnd().split('\n');
    fs.writeFileSync(cin, lines.slice(0, -1).join('\n') + '\n');
    const edited = await openStudyStore(storePath, { cin }, opts);
    expect(edited.reused).toBe(false);
    expect(edited.dataFlow[0].rows_read).toBe(first.dataFlow[0].rows_read - 1);
    edited.store.close();
    // other options (a declared study window) are a different store too
    const windowed = await openStudyStore(storePath, { cin }, { ...opts, censusYears: [2016, 2021] as [number, number] });
    expect(windowed.reused).toBe(false);
    windowed.store.close();
  });
});

describe('staleReason', () => {
  const inputs = (v: string, cin: string, endOfData = '2021-03-31'): string => `/d/cin.csv=${cin}\n/d/ks2.csv=10:1:abc\n${JSON.stringify({ v, files: { cin: '/d/cin.csv' }, endOfData })}`;
  it('names a store written by another layout version, a changed input file, or changed options', () => {
    expect(staleReason(inputs('store-v5', '1:1:aa'), inputs('store-v6', '1:1:aa'))).toMatch(/written by ingest layout store-v5, this code writes store-v6/);
    expect(staleReason(inputs('store-v6', '1:1:aa'), inputs('store-v6', '2:1:bb'))).toMatch(/input changed since the store was built \(cin\.csv\)/);
    expect(staleReason(inputs('store-v6', '1:1:aa'), inputs('store-v6', '1:1:aa', '2020-03-31'))).toMatch(/ingest options .* changed/);
    expect(staleReason(null, inputs('store-v6', '1:1:aa'))).toMatch(/no record of its inputs/);
  });

  it('is said through onProgress when an existing store is ingested again', async () => {
    const cin = path.join(tmp, 'cin-stale.csv');
    fs.copyFileSync(path.join(src, 'cin.csv'), cin);
    const storePath = path.join(tmp, 'stale.duckdb');
    const first = await openStudyStore(storePath, { cin }, { mapping: NPD_MAPPING, endOfData: '2021-03-31' });
    first.store.close();
    const said: string[] = [];
    const again = await openStudyStore(storePath, { cin }, { mapping: NPD_MAPPING, endOfData: '2020-03-31', onProgress: (step) => { if (step.startsWith('store: ')) said.push(step); } });
    again.store.close();
    expect(again.reused).toBe(false);
    expect(said).toEqual([expect.stringMatching(/ingest options .* changed/)]);
  });
});
