/**
 * The notebook library build (scripts/notebook/build-lib.cjs): one JS bundle behind per-module
 * stubs, declarations for tslab, heavy third-party types kept out of the kernel.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const { ensureLibBuilt, LIB_DIR } = require('../../scripts/notebook/build-lib.cjs') as {
  ensureLibBuilt: () => { errors: string[] }; LIB_DIR: string;
};

function files(dir: string, suffix: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const f = path.join(dir, e.name);
    if (e.isDirectory()) files(f, suffix, out);
    else if (e.name.endsWith(suffix) && !(suffix === '.js' && e.name.endsWith('.d.ts'))) out.push(f);
  }
  return out;
}

describe('notebook library build', () => {
  const built = ensureLibBuilt();

  it('builds without type errors', () => {
    expect(built.errors).toEqual([]);
  });

  it('gives every module a declaration and a stub into the one bundle (worker scripts excepted)', () => {
    const sources = files(path.resolve('src'), '.ts').concat(files(path.resolve('kernel-helpers'), '.ts'));
    expect(sources.length).toBeGreaterThan(100);
    for (const src of sources) {
      const rel = path.relative(process.cwd(), src).replace(/\.ts$/, '');
      expect(fs.existsSync(path.join(LIB_DIR, rel + '.d.ts')), rel).toBe(true);
      const js = fs.readFileSync(path.join(LIB_DIR, rel + '.js'), 'utf8');
      if (/parallel[\\/]worker$/.test(rel)) expect(js).not.toContain('bundle.js');
      else expect(js, rel).toMatch(/module\.exports = require\("(\.\.\/)+bundle\.js"\)\.m\d+;/);
    }
  });

  it('keeps DuckDB types out of the declarations (its 160 files would load in every kernel)', () => {
    const offenders = files(LIB_DIR, '.d.ts').filter((f) => /['"]@duckdb\//.test(fs.readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
    expect(fs.readFileSync(path.join(LIB_DIR, 'src', 'data', 'store', 'db.d.ts'), 'utf8')).toContain('type DuckDBConnection = { readonly [__opaque_DuckDBConnection]: true }');
  });

  it('serves one module instance behind every import path, with working exports', () => {
    const viaIndex = require(path.join(LIB_DIR, 'src', 'index.js'));
    const viaDisplay = require(path.join(LIB_DIR, 'src', 'display', 'index.js'));
    const viaSdc = require(path.join(LIB_DIR, 'src', 'display', 'sdc.js'));
    expect(viaIndex.protectCount).toBe(viaDisplay.protectCount);
    expect(viaSdc.protectCount).toBe(viaDisplay.protectCount);
    expect(viaIndex.protectCount(12, { minCount: 10, roundTo: 5 })).toBe(10);
    expect(viaIndex.protectCount(7, { minCount: 10, roundTo: 5 })).toBeNull();
  });

  it('loads Word export on demand from the bundle', async () => {
    const report = require(path.join(LIB_DIR, 'src', 'report', 'index.js'));
    const bundle = fs.readFileSync(path.join(LIB_DIR, 'bundle.js'), 'utf8');
    expect(bundle).not.toMatch(/require\("docx"\)/);
    const t = { caption: 'A table', columns: ['HR (95% CI)'], spanners: [{ label: '', span: 1 }], rows: [{ kind: 'stat', label: 'N', cells: ['1,230'] }], notes: [], rules: {} };
    const buf: Buffer = await report.tableDocx(t);
    expect(buf.subarray(0, 2).toString()).toBe('PK');
  });

  it('loads DuckDB (API and native bindings) only when a store is first opened, not at import', () => {
    const script = `
      const path = require('path');
      const lib = ${JSON.stringify(LIB_DIR)};
      require(path.join(lib, 'src', 'index.js'));
      const duck = () => Object.keys(require.cache).filter((k) => /duckdb/.test(k)).length;
      const atImport = duck();
      const { Store } = require(path.join(lib, 'src', 'data', 'store', 'db.js'));
      const beforeOpen = duck();
      Store.open(':memory:').then(async (s) => {
        const rows = await s.rows('SELECT 41 + 1 AS x');
        await s.close();
        console.log(JSON.stringify({ atImport, beforeOpen, afterOpen: duck(), x: Number(rows[0].x) }));
      });`;
    const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).trim().split('\n').pop()!);
    expect(out.atImport).toBe(0);
    expect(out.beforeOpen).toBe(0);
    expect(out.afterOpen).toBeGreaterThan(0);
    expect(out.x).toBe(42);
  });
});
