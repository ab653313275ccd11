/**
 * The overview notebook must also run under real Jupyter with the kernel that `npm run kernel`
 * registers (Debian's jupyter-nbconvert + python3-ipykernel). Skipped, with the reason printed,
 * when Jupyter is not installed.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerKernel } from '../../scripts/register-kernel';
import { validateNotebook } from '../../scripts/notebook/nbformat';
import { readJson, repoRoot, tempDir } from './helpers';

const nbconvert = spawnSync('jupyter', ['nbconvert', '--version'], { encoding: 'utf8' });
const hasJupyter = nbconvert.status === 0;
if (!hasJupyter) {
  console.warn('SKIPPED test/runner/jupyter.test.ts: `jupyter nbconvert` is not installed (apt-get install jupyter-nbconvert python3-ipykernel)');
}

/** A notebook file of code cells, in a fresh directory (the kernel's working directory). */
function writeNotebook(cells: string[]): string {
  const dir = tempDir('csc-jupyter-nb-');
  const file = path.join(dir, 'errors.ipynb');
  fs.writeFileSync(file, JSON.stringify({
    nbformat: 4, nbformat_minor: 5,
    metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } },
    cells: cells.map((source, i) => ({ cell_type: 'code', id: `c${i + 1}`, metadata: {}, source, execution_count: null, outputs: [] })),
  }));
  return file;
}

function runNbconvert(jupyterPath: string, file: string, extra: string[] = []) {
  return spawnSync('jupyter', [
    'nbconvert', '--to', 'notebook', '--execute', ...extra,
    '--ExecutePreprocessor.kernel_name=tslab', '--ExecutePreprocessor.timeout=600',
    '--output-dir', path.dirname(file), '--output', 'executed', file,
  ], { encoding: 'utf8', env: { ...process.env, JUPYTER_PATH: jupyterPath }, timeout: 110_000 });
}

describe.skipIf(!hasJupyter)('real Jupyter (jupyter nbconvert --execute) with the registered tslab kernel', () => {
  const cells = [
    'const a = 40;',
    "throw new RangeError('cell two failed: ' + (a + 2));",
    "console.log('cell three ran', a + 1);",
    "const wrong: number = 'text';",
    "'cell five ran'",
  ];

  it('reports a failing cell as a Jupyter error (name, message, traceback) and keeps serving after it', () => {
    const jupyterPath = tempDir('csc-jupyter-');
    registerKernel(repoRoot, jupyterPath);
    const file = writeNotebook(cells);
    const r = runNbconvert(jupyterPath, file, ['--allow-errors']);
    expect(r.status, r.stderr).toBe(0);
    const nb = readJson(path.join(path.dirname(file), 'executed.ipynb'));
    expect(nb.cells.map((c: { execution_count: number | null }) => c.execution_count)).toEqual([1, 2, 3, 4, 5]);
    const [, two, three, four, five] = nb.cells.map((c: { outputs: Array<Record<string, unknown>> }) => c.outputs);
    expect(two).toHaveLength(1);
    expect(two[0]).toMatchObject({ output_type: 'error', ename: 'RangeError', evalue: 'cell two failed: 42' });
    expect((two[0].traceback as string[])[0]).toBe('RangeError: cell two failed: 42');
    // nbformat may store multi-line strings as lists of lines.
    const joined = (x: unknown) => (Array.isArray(x) ? x.join('') : x);
    expect(three.map((o: Record<string, unknown>) => ({ ...o, text: joined(o.text) }))).toEqual([{ output_type: 'stream', name: 'stdout', text: 'cell three ran 41\n' }]);
    expect(four[0]).toMatchObject({ output_type: 'error', ename: 'TypeScriptError' });
    expect(four[0].evalue).toMatch(/1:7 - Type 'string' is not assignable to type 'number'/);
    expect(five[0].output_type).toBe('execute_result');
    expect(joined((five[0].data as Record<string, unknown>)['text/plain'])).toBe('cell five ran');
  });

  it('without --allow-errors, stops at the failing cell and names the error', () => {
    const jupyterPath = tempDir('csc-jupyter-');
    registerKernel(repoRoot, jupyterPath);
    const file = writeNotebook(cells);
    const r = runNbconvert(jupyterPath, file);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('RangeError: cell two failed: 42');
    expect(r.stderr).not.toContain('<Error>');
  });

  it('a progress display updated during a blocking computation is saved as its one-line final state', () => {
    const jupyterPath = tempDir('csc-jupyter-');
    registerKernel(repoRoot, jupyterPath);
    const helpers = path.join(repoRoot, 'notebooks', 'kernel-helpers', 'index');
    const file = writeNotebook([
      `import { progressDisplay } from '${helpers}';`,
      // A synchronous loop, as a fit is: the updates must not wait for the event loop.
      "const bar = progressDisplay('busy', 200); const t0 = Date.now(); let k = 0;\n" +
      'while (Date.now() - t0 < 1500) { const d = Math.floor((Date.now() - t0) / 50); if (d > k) { k = d; bar({ done: k, total: 31 }); } }\n' +
      "bar({ done: 31, total: 31 });",
    ]);
    const r = runNbconvert(jupyterPath, file);
    expect(r.status, r.stderr).toBe(0);
    const nb = readJson(path.join(path.dirname(file), 'executed.ipynb'));
    const outputs = nb.cells[1].outputs as Array<{ output_type: string; data: Record<string, unknown> }>;
    expect(outputs).toHaveLength(1);
    expect(outputs[0].output_type).toBe('display_data');
    const text = outputs[0].data['text/plain'];
    expect(Array.isArray(text) ? text.join('') : text).toBe('busy: finished');
  });

  it('executes notebooks/00-overview.ipynb without errors', () => {
    const jupyterPath = tempDir('csc-jupyter-');
    const outDir = tempDir('csc-nbconvert-');
    const kernelJson = registerKernel(repoRoot, jupyterPath);
    expect(readJson(kernelJson).argv).toContain('{connection_file}');
    const r = spawnSync('jupyter', [
      'nbconvert', '--to', 'notebook', '--execute',
      '--ExecutePreprocessor.kernel_name=tslab', '--ExecutePreprocessor.timeout=600',
      '--output-dir', outDir, path.join(repoRoot, 'notebooks', '00-overview.ipynb'),
    ], { encoding: 'utf8', env: { ...process.env, JUPYTER_PATH: jupyterPath }, timeout: 110_000 });
    expect(r.status, r.stderr).toBe(0);
    const nb = readJson(path.join(outDir, '00-overview.ipynb'));
    expect(validateNotebook(nb)).toEqual([]);
    const code = nb.cells.filter((c: { cell_type: string }) => c.cell_type === 'code');
    for (const c of code) expect(c.execution_count).toEqual(expect.any(Number));
    const outputs = code.flatMap((c: { outputs: Array<{ output_type: string; data?: Record<string, unknown> }> }) => c.outputs);
    expect(outputs.filter((o: { output_type: string }) => o.output_type === 'error')).toEqual([]);
    expect(outputs.some((o: { data?: Record<string, unknown> }) => o.data?.['application/vnd.plotly.v1+json'])).toBe(true);
    expect(outputs.some((o: { data?: Record<string, unknown> }) => String(o.data?.['text/html'] ?? '').includes('csc-table'))).toBe(true);
    fs.rmSync(outDir, { recursive: true, force: true });
  });
});
