/**
 * End-to-end test of `npm run notebooks` on the passing fixture notebook with PNG fallbacks
 * absent (no Chromium). Shared set-up is in ./helpers.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateNotebook } from '../../scripts/notebook/nbformat';
import { findExternalReferences } from '../../scripts/notebook/offline-check';
import { fixtures, outputsOf, readJson, runCli, tempDir } from './helpers';

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
