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

describe.skipIf(!hasJupyter)('real Jupyter (jupyter nbconvert --execute) with the registered tslab kernel', () => {
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
