/**
 * `--jobs`: notebooks run concurrently (each in its own worker) must give the same executed
 * notebooks as one after another, list them in name order, and still report a failure in one of
 * them with its notebook and cell number. The start order is longest first by earlier durations.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { scheduleOrder } from '../../scripts/notebook/run';
import { fixtures, readJson, repoRoot, runCli, tempDir, type CliResult } from './helpers';

/**
 * A notebooks directory outside the repository with a passing and a failing fixture notebook.
 * The passing one drops the cells that import kernel-helpers (type-checking src/display costs
 * seconds per worker); runner-ok covers those outputs.
 */
function makeNotebookDir(): string {
  const dir = tempDir('csc-jobs-nb-');
  const basic = readJson(path.join(fixtures, 'ok', '01-basic.ipynb'));
  basic.cells = basic.cells.filter((c: { id: string }) => c.id !== 'table' && c.id !== 'figure');
  fs.writeFileSync(path.join(dir, '01-basic.ipynb'), JSON.stringify(basic, null, 1));
  fs.copyFileSync(path.join(fixtures, 'fail', '01-fails.ipynb'), path.join(dir, '02-fails.ipynb'));
  // The async cell draws a progress display (kernel-helpers), as the fixtures' own symlinks provide.
  fs.symlinkSync(path.join(repoRoot, 'build', 'notebook-lib', 'kernel-helpers'), path.join(dir, 'kernel-helpers'));
  return dir;
}

const NAMES = ['01-basic', '02-fails'];

/** What a notebook computed: per cell, its execution count and outputs (no timings live there). */
function executedCells(file: string): unknown[] {
  return readJson(file).cells.map((c: { id: string; execution_count?: number | null; outputs?: unknown[] }) => ({
    id: c.id, count: c.execution_count ?? null, outputs: c.outputs ?? null,
  }));
}

describe('--jobs', () => {
  const dir = makeNotebookDir();
  const outSequential = tempDir('csc-jobs-1-');
  const outConcurrent = tempDir('csc-jobs-2-');
  let sequential: CliResult;
  let concurrent: CliResult;
  beforeAll(async () => {
    const common = ['--dir', dir, '--no-png', '--timeout', '60', '--param', 'n=5'];
    [sequential, concurrent] = await Promise.all([
      runCli([...common, '--out', outSequential, '--jobs', '1']),
      runCli([...common, '--out', outConcurrent, '--jobs', '2']),
    ]);
  });

  it('gives the same executed notebooks with 2 jobs as with 1', () => {
    expect(sequential.code, sequential.stderr).toBe(1);
    expect(concurrent.code, concurrent.stderr).toBe(1);
    expect(concurrent.stderr).toContain('running 2 notebooks, up to 2 at a time');
    expect(readJson(path.join(outSequential, '01-basic.ipynb')).metadata.csc_runner.status).toBe('ok');
    expect(sequential.stderr).not.toContain('at a time');
    for (const name of NAMES) {
      const one = executedCells(path.join(outSequential, `${name}.ipynb`));
      const two = executedCells(path.join(outConcurrent, `${name}.ipynb`));
      expect(two, name).toEqual(one);
    }
    // The parameter took effect (1+4+9+16+25); stderr and async results were captured.
    const nb = readJson(path.join(outConcurrent, '01-basic.ipynb'));
    const values = nb.cells.find((c: { id: string }) => c.id === 'values').outputs;
    expect(values.find((o: { output_type: string }) => o.output_type === 'execute_result').data['text/plain']).toBe('55');
    expect(nb.cells.find((c: { id: string }) => c.id === 'stderr').outputs[0].text).toBe('to stderr\n');
    expect(nb.cells.find((c: { id: string }) => c.id === 'async').outputs[0].data['text/plain']).toBe('done:default');
  });

  it('still reports the failing notebook with its cell number, and lists notebooks in name order', () => {
    for (const r of [sequential, concurrent]) {
      expect(r.stderr).toContain(`FAILED: ${path.relative(repoRoot, path.join(dir, '02-fails.ipynb'))}, cell 3 (In [2])`);
      expect(r.stderr).toContain('RangeError: fixture failure 2');
      expect(r.stderr).toContain('| // this cell fails');
      expect(r.stderr).toContain('1/2 notebooks ok');
    }
    // The failure block is not interleaved with another notebook's progress lines.
    const block = concurrent.stderr.slice(concurrent.stderr.indexOf('\nFAILED: '));
    const blockLines = block.split('\n').slice(1, 7);
    expect(blockLines.filter((l) => l.startsWith('['))).toEqual([]);
    const index = fs.readFileSync(path.join(outConcurrent, 'index.html'), 'utf8');
    const positions = NAMES.map((n) => index.indexOf(`>${n}.ipynb<`));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(index).toContain('cell 3: RangeError: fixture failure 2');
  });

  it('records durations of passing notebooks for the next run\'s schedule', () => {
    const timings = readJson(path.join(outConcurrent, '.notebook-timings.json'));
    expect(Object.keys(timings)).toEqual(['01-basic.ipynb']);
    for (const v of Object.values(timings)) expect(v).toBeGreaterThan(0);
  });
});

describe('scheduleOrder', () => {
  it('starts unknown notebooks first (name order), then known ones longest first', () => {
    const names = ['a', 'b', 'c', 'd', 'e'];
    expect(scheduleOrder(names, {})).toEqual(names);
    expect(scheduleOrder(names, { a: 10, b: 70, d: 30, e: 30 })).toEqual(['c', 'b', 'd', 'e', 'a']);
  });
});
