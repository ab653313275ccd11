import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { Store, declareFileEnum, fileValue } from '../../../src/data/store/db';

describe('Store spill folders (DuckDB temp_directory)', () => {
  const saved = process.env.CSC_DUCKDB_MEMORY;
  afterEach(() => {
    if (saved === undefined) delete process.env.CSC_DUCKDB_MEMORY;
    else process.env.CSC_DUCKDB_MEMORY = saved;
  });

  it('each store spills into a folder of its own, created only on a spill and removed on close', async () => {
    // Two notebooks side by side on one shared spill folder read each other's spill files: on the
    // national set, 02 crashed (SIGSEGV) and 03 failed with "Could not read enough bytes from file".
    const a = await Store.open(':memory:');
    const b = await Store.open(':memory:');
    const dirA = String(await a.scalar(`SELECT current_setting('temp_directory')`));
    const dirB = String(await b.scalar(`SELECT current_setting('temp_directory')`));
    expect(dirA).not.toBe(dirB);
    // A folder made at open was left behind by every kernel that ended without closing its store
    // (749 empty folders in /tmp after two sessions); DuckDB makes it itself when it first spills.
    expect(fs.existsSync(dirA) || fs.existsSync(dirB)).toBe(false);
    process.env.CSC_DUCKDB_MEMORY = '32MB';
    const c = await Store.open(':memory:');
    const dirC = String(await c.scalar(`SELECT current_setting('temp_directory')`));
    await c.exec(`CREATE TABLE t AS SELECT i, hash(i) % 1000003 AS r FROM range(3000000) t(i) ORDER BY r, i`);
    expect(fs.existsSync(dirC)).toBe(true);
    a.close();
    b.close();
    c.close();
    expect(fs.existsSync(dirA) || fs.existsSync(dirB) || fs.existsSync(dirC)).toBe(false);
  }, 60_000);

  it('a process that exits without closing its store leaves no spill folder', () => {
    const script = `
      import { Store } from ${JSON.stringify(path.resolve('src/data/store/db.ts'))};
      const s = await Store.open(':memory:');
      await s.exec('CREATE TABLE t AS SELECT i, hash(i) % 1000003 AS r FROM range(3000000) t(i) ORDER BY r, i');
      console.log(String(await s.scalar("SELECT current_setting('temp_directory')")));
      process.exit(0);`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env: { ...process.env, CSC_DUCKDB_MEMORY: '32MB' }, encoding: 'utf8' });
    const dir = out.trim().split('\n').pop() ?? '';
    expect(dir).toMatch(/csc-duckdb-spill-/);
    expect(fs.existsSync(dir)).toBe(false);
  }, 60_000);

  it('two stores spilling at once both get the right answer', async () => {
    process.env.CSC_DUCKDB_MEMORY = '32MB';
    const stores = [await Store.open(':memory:'), await Store.open(':memory:')];
    // a sort of 3M rows × 2 doubles (~50 MB) does not fit in 32 MB: both spill, at the same time
    const sums = await Promise.all(stores.map(async (s, k) => {
      await s.exec(`CREATE TABLE t AS SELECT i, hash(i + ${k}) % 1000003 AS r FROM range(3000000) t(i) ORDER BY r, i`);
      return Number(await s.scalar(`SELECT sum(i * (row_number)) FROM (SELECT i, row_number() OVER () AS row_number FROM t)`));
    }));
    const spilled = await Promise.all(stores.map(async (s) => Number(await s.scalar(`SELECT count(*) FROM t`))));
    expect(spilled).toEqual([3000000, 3000000]);
    for (const s of stores) s.close();
    // the same sums, each store alone with room to spare
    delete process.env.CSC_DUCKDB_MEMORY;
    for (let k = 0; k < 2; k++) {
      const s = await Store.open(':memory:');
      await s.exec(`CREATE TABLE t AS SELECT i, hash(i + ${k}) % 1000003 AS r FROM range(3000000) t(i) ORDER BY r, i`);
      expect(Number(await s.scalar(`SELECT sum(i * (row_number)) FROM (SELECT i, row_number() OVER () AS row_number FROM t)`))).toBe(sums[k]);
      s.close();
    }
  }, 120_000);

  it('withThreads runs with the threads asked for and restores the store\'s own setting, after a throw too', async () => {
    const s = await Store.open(':memory:');
    try {
      const own = Number(await s.scalar(`SELECT current_setting('threads')`));
      const want = own + 1;
      expect(await s.withThreads(want, async () => Number(await s.scalar(`SELECT current_setting('threads')`)))).toBe(want);
      expect(Number(await s.scalar(`SELECT current_setting('threads')`))).toBe(own);
      await expect(s.withThreads(want, async () => { throw new Error('inside'); })).rejects.toThrow('inside');
      expect(Number(await s.scalar(`SELECT current_setting('threads')`))).toBe(own);
    } finally { s.close(); }
  });

  it('declareFileEnum: staged rows carry a declared file as an ENUM that sorts as its text, an undeclared one as text', async () => {
    const s = await Store.open(':memory:');
    try {
      const files = ['/x/b/pupils.csv', '/x/a/cin.csv', '/x/b/cla.csv', '/x/a/cin.csv'];
      await declareFileEnum(s, files);
      expect(fileValue(s, '/other.csv')).toBe(`'/other.csv'`);
      const types = await s.rows(`SELECT typeof(${fileValue(s, '/x/a/cin.csv')}) AS t, typeof(${fileValue(s, '/other.csv')}) AS u`);
      expect(String(types[0].t)).toMatch(/^ENUM\(/);
      expect(types[0].u).toBe('VARCHAR');
      // the ENUM's order is the text's order (a file's rank by name decides between same-year copies)
      const sorted = await s.columns(`SELECT f FROM (SELECT unnest([${[...new Set(files)].map((f) => fileValue(s, f)).join(', ')}]) AS f) ORDER BY f`);
      expect((sorted.f as unknown[]).map(String)).toEqual([...new Set(files)].sort());
      // and it costs a byte a row where the path as text costs tens
      const mem = async () => Number(await s.scalar(`SELECT sum(memory_usage_bytes) FROM duckdb_memory()`));
      const m0 = await mem();
      await s.exec(`CREATE TEMP TABLE e AS SELECT ${fileValue(s, '/x/a/cin.csv')} AS file FROM range(2000000)`);
      const m1 = await mem();
      await s.exec(`CREATE TEMP TABLE t AS SELECT ${fileValue(s, '/other/a/much/longer/path/to/an/extract.csv')} AS file FROM range(2000000)`);
      const m2 = await mem();
      expect((m1 - m0) * 5).toBeLessThan(m2 - m1);
    } finally { s.close(); }
  });
});

