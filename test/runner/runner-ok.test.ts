/**
 * End-to-end tests of `npm run notebooks` on fixture notebooks (test/fixtures/notebooks/):
 * execution, outputs, parameter injection, nbformat structure, offline HTML, PNG fallbacks present
 * (when Chromium is installed). Split over three files so vitest runs them in parallel.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateNotebook, sourceText } from '../../scripts/notebook/nbformat';
import { findExternalReferences } from '../../scripts/notebook/offline-check';
import {
  chromium, fixtures, hasChromium, hasPythonNbformat, jupyterValidate, outputsOf, readJson, runCli, tempDir, type CliResult,
} from './helpers';

describe('runner on a passing notebook, with --param and PNG fallbacks', () => {
  const out = tempDir('csc-run-ok-');
  let result: CliResult;
  beforeAll(async () => {
    result = await runCli(['--dir', path.join(fixtures, 'ok'), '--out', out, '--param', 'label=from-cli', '--param', 'n=4', '--param', 'flag=true', '--timeout', '60']);
  });

  it('exits 0 and writes .ipynb, .html and index.html', () => {
    expect(result.code, result.stderr).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(['.notebook-timings.json', '01-basic.html', '01-basic.ipynb', 'index.html', 'outputs']);
    expect(fs.existsSync(path.join(out, 'outputs', 'results.json'))).toBe(true); // the output-request pack (issue 12)
  });

  it('prints one progress line per executed code cell on stderr', () => {
    const lines = result.stderr.split('\n').filter((l) => /^\[01-basic\.ipynb\] cell \d+\/\d+/.test(l));
    // 7 code cells + 1 injected, minus the empty one.
    expect(lines).toHaveLength(7);
    expect(result.stdout).toBe('');
  });

  it('writes structurally valid nbformat 4 with execution counts', () => {
    const nb = readJson(path.join(out, '01-basic.ipynb'));
    expect(validateNotebook(nb)).toEqual([]);
    if (hasPythonNbformat()) expect(jupyterValidate(path.join(out, '01-basic.ipynb'))).toBe('valid');
    const counts = nb.cells.filter((c: { cell_type: string }) => c.cell_type === 'code').map((c: { execution_count: number | null }) => c.execution_count);
    expect(counts).toEqual([1, 2, 3, 4, null, 5, 6, 7]);
    const results = nb.cells.flatMap((c: { outputs?: Array<{ output_type: string; execution_count?: number }> }) => c.outputs ?? [])
      .filter((o: { output_type: string }) => o.output_type === 'execute_result');
    for (const r of results) expect(typeof r.execution_count).toBe('number');
  });

  it('injects the parameters in a tagged cell right after the parameters cell', () => {
    const nb = readJson(path.join(out, '01-basic.ipynb'));
    const ids = nb.cells.map((c: { id: string }) => c.id);
    expect(ids.indexOf('injected-parameters')).toBe(ids.indexOf('params') + 1);
    const injected = nb.cells[ids.indexOf('injected-parameters')];
    expect(injected.metadata.tags).toEqual(['injected-parameters']);
    const src = sourceText(injected.source);
    expect(src).toContain('const label = "from-cli";');
    expect(src).toContain('const n = 4;');
    expect(src).toContain('const flag = true;');
    // The values took effect: 1+4+9+16 with n = 4, and the string/boolean reached the code.
    const values = outputsOf(nb, 'values');
    expect(values.find((o: { output_type: string }) => o.output_type === 'stream').text).toBe('label=from-cli flag=true\n');
    expect(values.find((o: { output_type: string }) => o.output_type === 'execute_result').data['text/plain']).toBe('30');
    expect(nb.metadata.csc_runner.parameters).toEqual({ label: 'from-cli', n: 4, flag: true });
  });

  it('captures stderr, tables and async results', () => {
    const nb = readJson(path.join(out, '01-basic.ipynb'));
    expect(outputsOf(nb, 'stderr')).toEqual([{ output_type: 'stream', name: 'stderr', text: 'to stderr\n' }]);
    const table = outputsOf(nb, 'table');
    expect(table).toHaveLength(1);
    expect(table[0].output_type).toBe('display_data');
    expect(table[0].data['text/html']).toContain('<caption>Fixture table</caption>');
    expect(table[0].data['text/plain']).toContain('<0.001'); // the one p-value style (src/display/numbers formatP)
    // ... and a transient progress display, drawn then cleared, leaves no output.
    expect(outputsOf(nb, 'async')).toHaveLength(1);
    expect(outputsOf(nb, 'async')[0].data['text/plain']).toBe('done:from-cli');
  });

  it('emits each figure as ONE display_data with plotly JSON, HTML and text', () => {
    const nb = readJson(path.join(out, '01-basic.ipynb'));
    const fig = outputsOf(nb, 'figure');
    expect(fig).toHaveLength(1);
    expect(fig[0].data['application/vnd.plotly.v1+json'].data[0].y).toEqual([1, 4, 9, 16]);
    // The saved notebook carries the figure's JSON, not a 4.8 MB copy of plotly.js.
    expect(fig[0].data['text/html']).not.toContain('plotly.js v');
    expect(fig[0].data['text/html']).toContain('class="csc-plot"');
    // Nor the draw script, which would repeat the figure JSON; the HTML page redraws from the JSON.
    expect(fig[0].data['text/html']).not.toContain('newPlot');
    expect(fs.statSync(path.join(out, '01-basic.ipynb')).size).toBeLessThan(200_000);
    expect(fig[0].data['text/plain']).toContain('Fixture figure');
  });

  it.skipIf(!hasChromium)(`adds a PNG fallback rendered by Chromium (${chromium})`, () => {
    const nb = readJson(path.join(out, '01-basic.ipynb'));
    const fig = outputsOf(nb, 'figure')[0];
    const png = Buffer.from(fig.data['image/png'], 'base64');
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    // IHDR width/height = the requested 400 × 300.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([400, 300]);
    // Stored once in the notebook (image/png); the HTML page shows it inside the plot's div.
    expect(fig.data['text/html']).not.toContain('class="csc-plot-fallback"');
    const html = fs.readFileSync(path.join(out, '01-basic.html'), 'utf8');
    expect(html).toContain('<img class="csc-plot-fallback"');
    expect(result.stderr).not.toContain('PNG fallbacks are missing');
  });

  it('renders offline HTML: markdown, highlighted code, outputs, no external resources', () => {
    const html = fs.readFileSync(path.join(out, '01-basic.html'), 'utf8');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('class="hljs language-typescript"');
    expect(html).toContain('<caption>Fixture table</caption>');
    expect(html).toContain('injected-parameters');
    expect(findExternalReferences(html)).toEqual([]);
    // plotly.js is inlined exactly once in the page, in its head.
    expect(html.split('plotly.js v').length - 1).toBe(1);
    expect(html.indexOf('plotly.js v')).toBeLessThan(html.indexOf('<body>'));
    expect(html.includes('window.Plotly.newPlot(el')).toBe(true);
    // Code folded (Quarto-style) with a toggle; parameters used in the header; long lines wrap.
    // (Checked as booleans: a failing match must not print the 4.8 MB page.)
    expect(html.match(/<details class="code-fold">/g)).toHaveLength(8);
    expect(html.includes('button type="button" class="fold-all"')).toBe(true);
    expect(/<summary>Parameters used<\/summary>[\s\S]*<code>label<\/code><\/td><td><code>&quot;from-cli&quot;<\/code> <span class="tag">--param<\/span>/.test(html)).toBe(true);
    expect(html.includes('white-space: pre-wrap')).toBe(true);
    const index = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
    expect(index).toContain('href="01-basic.html"');
    expect(index).toMatch(/>ok</);
    expect(findExternalReferences(index)).toEqual([]);
  });
});
