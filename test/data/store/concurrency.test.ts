/**
 * Notebooks run side by side (`npm run notebooks --jobs 2`) open the same store: one process builds it,
 * the others wait and then read it; readers share it read-only.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const src = path.resolve(__dirname, '../bad-extracts-extra/child_two_sexes');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-concurrent-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function openInChild(storePath: string, cin: string): Promise<{ reused: boolean; dataFlow: unknown[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'helpers/open-store.ts'), storePath, cin], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`child exited ${code}: ${err}`))));
  });
}

describe('store shared by processes', () => {
  it('three processes opening one new store: exactly one builds, all read the same data flow', async () => {
    const cin = path.join(tmp, 'cin.csv');
    fs.copyFileSync(path.join(src, 'cin.csv'), cin);
    const storePath = path.join(tmp, 'store.duckdb');
    const results = await Promise.all([openInChild(storePath, cin), openInChild(storePath, cin), openInChild(storePath, cin)]);
    expect(results.filter((r) => !r.reused).length).toBe(1);
    for (const r of results) expect(r.dataFlow).toEqual(results[0].dataFlow);
    expect(fs.existsSync(storePath + '.lock')).toBe(false);
    expect(fs.readdirSync(tmp).filter((f) => f.includes('.building-'))).toEqual([]);
  }, 120_000);
});
