/**
 * End-to-end tests of `npm run notebooks` on fixture notebooks (test/fixtures/notebooks/):
 * execution, outputs, parameter injection, nbformat structure, offline HTML, PNG fallbacks present
 * absent (no Chromium).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateNotebook, sourceText } from '../../scripts/notebook/nbformat';
import { findExternalReferences } from '../../scripts/notebook/offline-check';
import { fixtures, readJson, runCli, tempDir, type CliResult } from './helpers';

const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const hasChromium = fs.existsSync(chromium);
const pythonNbformat = spawnSync('/usr/bin/python3', ['-c', 'import nbformat'], { stdio: 'ignore' }).status === 0;

/** Jupyter's own validator, when Python's nbformat is installed (Debian python3-nbformat). */
function jupyterValidate(file: string): string {
  const r = spawnSync('/usr/bin/python3', ['-c', 'import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=4)); print("valid")', file], { encoding: 'utf8' });
  return (r.stdout + r.stderr).trim();
}

function outputsOf(nb: any, id: string): any[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  return nb.cells.find((c: { id: string }) => c.id === id).outputs;
}

describe('runner without Chromium', () => {
  it('succeeds, warns once that PNG fallbacks are missing, and writes no image/png', async () => {
    const out = tempDir('csc-run-nopng-');
    const r = await runCli(['--dir', path.join(fixtures, 'ok'), '--out', out, '--chromium', '/nonexistent/chromium']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.match(/PNG fallbacks are missing/g)).toHaveLength(1);
    const nb = readJson(path.join(out, '01-basic.ipynb'));
    expect(validateNotebook(nb)).toEqual([]);
    const fig = outputsOf(nb, 'figure')[0];
    expect(fig.data['image/png']).toBeUndefined();
    expect(fig.data['text/html']).not.toContain('<img class="csc-plot-fallback"');
    const html = fs.readFileSync(path.join(out, '01-basic.html'), 'utf8');
    expect(html).toContain('PNG fallbacks are missing');
    expect(findExternalReferences(html)).toEqual([]);
  });
});
