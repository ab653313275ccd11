import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { checkNotebook, isIdentifierColumn, protectTable, tableHtml } from '../../src/display/index';

const fixture = (name: string) => path.join(process.cwd(), 'test/display/fixtures', name);
const load = (name: string) => JSON.parse(readFileSync(fixture(name), 'utf8'));

describe('output checker', () => {
  it('passes a clean notebook', () => {
    expect(checkNotebook(load('clean.ipynb'), 'clean')).toEqual([]);
  });

  it('fails on small counts in a tagged table and a count figure, naming cell and value', () => {
    const problems = checkNotebook(load('small-count.ipynb'), 'small');
    expect(problems.map((p) => [p.cell, p.kind])).toEqual([
      [3, 'small-count'],
      [4, 'small-count'],
    ]);
    expect(problems[0].detail).toMatch(/count 7 below 10/);
    expect(problems[1].detail).toMatch(/count 3/);
  });

  it('fails on record-level output: identifier columns, long tables, identifiers in text', () => {
    const problems = checkNotebook(load('record-level.ipynb'), 'rec');
    const kinds = problems.map((p) => `${p.cell}:${p.kind}`);
    expect(kinds).toContain('2:identifier');
    expect(kinds).toContain('2:record-level');
    expect(kinds).toContain('3:identifier');
  });

  it('rejects a table that declares a looser threshold than required', () => {
    const html = tableHtml(protectTable([{ g: 'a', n: 7 }], { countColumns: ['n'], rules: { minCount: 5, roundTo: 1 } }));
    const nb = { cells: [{ cell_type: 'code', outputs: [{ output_type: 'display_data', data: { 'text/html': html } }] }] };
    const problems = checkNotebook(nb, 'loose');
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.some((p) => /count 7 below 10/.test(p.detail))).toBe(true);
  });

  it('recognises identifier columns but not aggregate labels', () => {
    for (const id of ['child_id', 'PupilMatchingRef'.replace(/([a-z])([A-Z])/g, '$1_$2'), 'UPN', 'dob', 'date_of_birth', 'la_child_id', 'episode_id']) {
      expect(isIdentifierColumn(id), id).toBe(true);
    }
    for (const ok of ['la', 'class', 'term', 'year', 'n', 'estimate', 'idaci_decile', 'pathway']) expect(isIdentifierColumn(ok), ok).toBe(false);
  });

  it('the CLI exits non-zero with notebook, cell and value', () => {
    const run = (f: string) => spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/check-outputs.ts', fixture(f)], { encoding: 'utf8' });
    const bad = run('small-count.ipynb');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/small-count\.ipynb: cell 3: small-count: count 7/);
    const good = run('clean.ipynb');
    expect(good.status).toBe(0);
  });
});
