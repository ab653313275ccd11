/** The store is reused while the inputs are unchanged, and rebuilt when a file's content, size or mtime changes. */
import { describe, it, expect, afterAll } from 'vitest';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { openStudyStore } from '../../../src/data/store/index';
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
