/**
 * End-to-end tests of `npm run notebooks` on the failing fixture notebooks
 * (test/fixtures/notebooks/fail): failing cells, the per-cell timeout, --allow-errors, --only,
 * bad options. Shared set-up is in ./helpers.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateNotebook } from '../../scripts/notebook/nbformat';
import { fixtures, outputsOf, readJson, runCli, tempDir } from './helpers';

describe('runner on failing notebooks', () => {
  it('fails the run, naming notebook, cell number, error and source; stops each notebook at its failure', async () => {
    const out = tempDir('csc-run-fail-');
    const r = await runCli(['--dir', path.join(fixtures, 'fail'), '--out', out, '--timeout', '5']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('FAILED: test/fixtures/notebooks/fail/01-fails.ipynb, cell 3 (In [2])');
    expect(r.stderr).toContain('RangeError: fixture failure 2');
    expect(r.stderr).toContain('| // this cell fails');
    expect(r.stderr).toContain('FAILED: test/fixtures/notebooks/fail/02-timeout.ipynb, cell 2 (In [2])');
    expect(r.stderr).toContain('CellTimeoutError');

    const nb = readJson(path.join(out, '01-fails.ipynb'));
    expect(validateNotebook(nb)).toEqual([]);
    const err = outputsOf(nb, 'boom').find((o: { output_type: string }) => o.output_type === 'error');
    expect(err).toMatchObject({ ename: 'RangeError', evalue: 'fixture failure 2' });
    const after = nb.cells.find((c: { id: string }) => c.id === 'after');
    expect(after.execution_count).toBeNull();
    expect(after.outputs).toEqual([]);
    const timedOut = readJson(path.join(out, '02-timeout.ipynb'));
    expect(outputsOf(timedOut, 'hang')[0].ename).toBe('CellTimeoutError');
    expect(timedOut.cells.find((c: { id: string }) => c.id === 'never').execution_count).toBeNull();
    const index = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
    expect(index).toContain('cell 3: RangeError: fixture failure 2');
    expect(index).toContain('timeout');
  });

  it('--allow-errors keeps going after failing cells (runtime and type errors) and exits 0; --only selects by prefix', async () => {
    const out = tempDir('csc-run-allow-');
    const r = await runCli(['--dir', path.join(fixtures, 'fail'), '--out', out, '--only', '01', '--allow-errors']);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(['.notebook-timings.json', '01-fails.html', '01-fails.ipynb', 'index.html', 'outputs']);
    const nb = readJson(path.join(out, '01-fails.ipynb'));
    const after = nb.cells.find((c: { id: string }) => c.id === 'after');
    expect(after.execution_count).toBe(3);
    expect(after.outputs[0].text).toBe('after the failure\n');
    expect(r.stderr).toContain('FAILED: test/fixtures/notebooks/fail/01-fails.ipynb, cell 5 (In [4])');
    expect(r.stderr).toMatch(/TypeScriptError: 1:7 - Type 'string' is not assignable to type 'number'/);
    expect(outputsOf(nb, 'typeerr')[0]).toMatchObject({ output_type: 'error', ename: 'TypeScriptError' });
    // Calls into the prebuilt library (bundle + declarations) are still type-checked, and run.
    const libErr = outputsOf(nb, 'libtype')[0];
    expect(libErr).toMatchObject({ output_type: 'error', ename: 'TypeScriptError' });
    expect(libErr.evalue).toMatch(/Argument of type 'string' is not assignable to parameter of type 'number'/);
    expect(outputsOf(nb, 'libok')[0].text).toBe('10 function true\n');
    expect(nb.metadata.csc_runner.status).toBe('failed');
  });

  it('rejects unknown options and an --only that matches nothing with exit code 2', async () => {
    const bad = await runCli(['--frobnicate']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown option "--frobnicate"');
    const none = await runCli(['--dir', path.join(fixtures, 'fail'), '--only', 'zz', '--out', tempDir('csc-run-none-')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--only zz matches no notebook');
  });

  it('fails the run before it starts when a --param name is declared by no notebook, naming the closest', async () => {
    const out = tempDir('csc-run-param-');
    const r = await runCli(['--dir', path.join(fixtures, 'ok'), '--out', out, '--no-png', '--param', 'nn=4']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--param nn: no notebook of this run declares "nn" in its parameters cell; did you mean "n"?');
    expect(fs.existsSync(path.join(out, '01-basic.ipynb'))).toBe(false);
  });
});
