/**
 * Unit tests of the runner's pure parts and of the display helpers (no notebook execution).
 * Number formatting follows the library's number style; where a case quotes an R call, the string is what R prints.
 */
import { describe, expect, it } from 'vitest';
import { formatCell, formatNumericColumn } from '../../kernel-helpers/format';
import * as numberStyle from '../../src/core/numberStyle';
import { plot, PLOTLY_MIME, resetPlotlyEmbedding } from '../../kernel-helpers/plot';
import { insertPngFallback, inlineScriptSafe, jsonForScript, plotDrawScript, plotlyScriptElement, stripDrawScript, stripInlinedPlotly } from '../../kernel-helpers/plotly-inline';
import { headingId, parameterRows, renderParameters, renderToc } from '../../scripts/notebook/report-parts';
import { setDisplaySink, type DisplayBundle } from '../../kernel-helpers/display';
import { show } from '../../kernel-helpers/show';
import { reprBundle } from '../../kernel-helpers/repr';
import { isClearedBundle, progressClearedBundle, progressDisplay, progressDoneBundle } from '../../kernel-helpers/progress';
import { protectTable } from '../../src/display/index';
import { validateNotebook, type Notebook } from '../../scripts/notebook/nbformat';
import { findExternalReferences } from '../../scripts/notebook/offline-check';
import { closestName, declaredParameters, injectParameters, parseParamArg, parseParamValue, undeclaredParamsError } from '../../scripts/notebook/params';
import { createRng } from '../../src/core/random';

describe('number formatting of show() cells: the library\'s one number style (core/numberStyle)', () => {
  it('writes p-values as formatP, whatever their size (no "< 2.2e-16" or "1.50e-1")', () => {
    expect(formatCell(0.5, 'p.value')).toBe('0.500');
    expect(formatCell(1e-300, 'p.value')).toBe('<0.001');
    expect(formatCell(0.07339, 'Pr(>|z|)')).toBe('0.073');
    expect(formatNumericColumn([0.5, 1e-20, null], 'p.value')).toEqual(['0.500', '<0.001', 'NA']);
  });

  it('formats a numeric column like format(x, digits = 4): one number of decimals so points line up, U+2212 minus', () => {
    expect(formatNumericColumn([0.5, 1, 1.96, 2.576], 'x')).toEqual(['0.500', '1.000', '1.960', '2.576']); // format(c(0.5, 1, 1.96, 2.576), digits = 4)
    expect(formatNumericColumn([1.234567, -0.0123], 'x')).toEqual(['1.2346', '\u22120.0123']); // format(c(1.234567, -0.0123), digits = 4)
    expect(formatNumericColumn([12345, 2, null], 'n')).toEqual(['12,345', '2', 'NA']);
    expect(formatNumericColumn([1234.5, 0.25], 'x')).toEqual(['1,234.50', '0.25']);
    // below 1e-4 a value keeps scientific notation (numberStyle's threshold), the rest their decimals
    expect(formatNumericColumn([2.5e-7, 0.5], 'x')).toEqual(['2.500e\u22127', '0.5']);
  });

  it('formats single numbers as numberStyle.formatNumber does: 4 significant digits, integers with separators', () => {
    for (const x of [1234567, 3.14159265, -2.5e-7, Infinity, -0.0123, 98765.4321]) expect(formatCell(x, 'x')).toBe(numberStyle.formatNumber(x));
    expect(formatCell(1234567, 'x')).toBe('1,234,567');
    expect(formatCell(3.14159265, 'x')).toBe('3.142');
    expect(formatCell(-2.5e-7, 'x')).toBe('\u22122.500e\u22127');
    expect(formatCell(NaN, 'x')).toBe('NA');
  });

  it('keeps every value of a formatted column parseable and within its significant digits (property)', () => {
    const rng = createRng(7);
    for (let i = 0; i < 200; i++) {
      const col = Array.from({ length: 5 }, () => (rng.nextFloat() - 0.5) * Math.pow(10, 8 * rng.nextFloat() - 3));
      const shown = formatNumericColumn(col, 'x');
      col.forEach((v, k) => {
        const parsed = Number(numberStyle.asciiMinus(shown[k]).replace(/,/g, ''));
        expect(Math.abs(parsed - v) / Math.abs(v), `${v} shown as ${shown[k]}`).toBeLessThan(5e-4);
      });
    }
  });
});

describe('show() and plot() emit one display_data each', () => {
  function capture(fn: () => void): DisplayBundle[] {
    const bundles: DisplayBundle[] = [];
    setDisplaySink((b) => bundles.push(b));
    try {
      fn();
    } finally {
      setDisplaySink(null);
    }
    return bundles;
  }

  it('shows row arrays, table-likes and tidy() objects with caption and note', () => {
    const rows = [{ term: 'a<b', estimate: 1.5, 'p.value': 1e-20 }];
    const tableLike = { columnNames: () => ['term', 'estimate', 'p.value'], objects: () => rows, numRows: () => 1 };
    const fit = { tidy: () => rows };
    for (const x of [rows, tableLike, fit]) {
      const [b] = capture(() => show(x, { caption: 'Cap', note: 'SDC note' }));
      expect(b.data['text/html']).toContain('<caption>Cap</caption>');
      expect(b.data['text/html']).toContain('a&lt;b');
      expect(b.data['text/html']).toContain('SDC note');
      expect(b.data['text/plain']).toContain('<0.001'); // the library's one p-value style (display/numbers formatP)
    }
  });

  it('renders disclosure-protected tables through the display layer, keeping count tags and the rules note', () => {
    const protectedTable = protectTable([{ g: 'a', n: 3 }, { g: 'b', n: 120 }, { g: 'c', n: 57 }], { countColumns: ['n'], margins: 'none' });
    const [b] = capture(() => show(protectedTable, { caption: 'Counts' }));
    const html = String(b.data['text/html']);
    expect(html).toContain('<caption>Counts</caption>');
    expect(html).toContain('data-sdc="count"');
    expect(html).toContain('[c]');
    expect(html).not.toMatch(/>3</);
    expect(html).toContain('>55<');
    expect(html).toContain('Disclosure control');
  });

  it('splits a table too wide for the page into captioned panels, in HTML and in text', () => {
    const rows = Array.from({ length: 20 }, (_, i) => Object.fromEntries([['label', `r${i}`], ...Array.from({ length: 14 }, (_, j) => [`c${j}`, i * j])]));
    const [b] = capture(() => show(rows, { caption: 'Wide', maxRows: 50 }));
    expect(String(b.data['text/html']).match(/<caption>Wide \(part \d of 2\)<\/caption>/g)).toEqual(['<caption>Wide (part 1 of 2)</caption>', '<caption>Wide (part 2 of 2)</caption>']);
    expect(String(b.data['text/plain']).split('\n').filter((l) => l.startsWith('Wide'))).toEqual(['Wide (part 1 of 2)', 'Wide (part 2 of 2)']);
  });

  it('renders through the library\'s table renderer: the same markup as display\'s tableHtml/tableText for the same cells', async () => {
    const { tableHtml, tableText, plainTable } = await import('../../src/display/index');
    const rows = [{ term: 'a<b', estimate: 1.5, note: 'x' }, { term: 'c', estimate: 12.5, note: 'y' }];
    const [b] = capture(() => show(rows, { caption: 'Cap', note: 'N1' }));
    const html = String(b.data['text/html']);
    // escaping, header alignment (number columns right, labels left), caption and note as the library writes them
    expect(html).toBe(tableHtml(plainTable(rows, 'N1'), { caption: 'Cap' }));
    expect(html).toContain('<th style="text-align:left">Term</th><th style="text-align:right">Estimate</th>');
    expect(html).toContain('<td style="text-align:left">a&lt;b</td>');
    const text = String(b.data['text/plain']).split('\n');
    expect(text).toEqual(tableText(plainTable(rows, 'N1'), { caption: 'Cap' }).split('\n'));
    // numbers right-aligned under a right-aligned header, as R prints
    expect(text[1]).toBe('Term  Estimate  Note');
    expect(text[2].indexOf('1.5') + '1.5'.length).toBe(text[1].indexOf('Estimate') + 'Estimate'.length);
    expect(text[2].startsWith('a<b ')).toBe(true);
  });

  it('truncates long tables and says how many rows are hidden', () => {
    const rows = Array.from({ length: 120 }, (_, i) => ({ i }));
    const [b] = capture(() => show(rows, { maxRows: 10 }));
    const body = /<tbody>([\s\S]*)<\/tbody>/.exec(b.data['text/html'] as string)![1];
    expect(body.match(/<tr>/g)).toHaveLength(10);
    expect(b.data['text/plain']).toContain('110 more rows');
  });

  it('rejects what it cannot show with a clear message', () => {
    expect(() => capture(() => show(42))).toThrow(/expected an arquero table/);
    expect(() => capture(() => show([1, 2]))).toThrow(/element 0 of the array is not a row object/);
    expect(() => capture(() => plot({} as never))).toThrow(/expected a plotly figure/);
  });

  it('inlines plotly.js only in the first plot, and sizes the figure', () => {
    resetPlotlyEmbedding();
    const [first, second] = capture(() => {
      plot({ data: [{ y: [1, 2] }], layout: { title: 'One' } }, { width: 300, height: 200 });
      plot({ data: [{ y: [3] }] });
    });
    expect(first.data['text/html']).toContain('plotly.js v');
    expect(second.data['text/html']).not.toContain('plotly.js v');
    expect((first.data[PLOTLY_MIME] as { layout: unknown }).layout).toMatchObject({ title: { text: 'One' }, width: 300, height: 200 });
    expect(first.metadata).toEqual({ 'csc-plot': { id: expect.stringMatching(/^csc-plot-\d+$/), width: 300, height: 200 } });
    expect(findExternalReferences(String(first.data['text/html']))).toEqual([]);
  });

  it('makes script text and JSON safe to inline', () => {
    expect(inlineScriptSafe('var a = "<!--"; var b = "</script>";')).toBe('var a = "<\\!--"; var b = "<\\/script>";');
    expect(jsonForScript({ s: '</script><!--' })).not.toMatch(/<\/script|<!--/);
    expect(JSON.parse(jsonForScript({ s: '</script>' }))).toEqual({ s: '</script>' });
    const html = '<div class="csc-plot" id="csc-plot-3" style="max-width:100%;overflow-x:auto"></div>';
    expect(insertPngFallback(html, 'csc-plot-3', 'AAAA', 'alt "x"')).toContain('<img class="csc-plot-fallback" alt="alt &quot;x&quot;" src="data:image/png;base64,AAAA"');
  });
});

describe('parameters', () => {
  it('parses numbers, booleans, JSON and falls back to strings', () => {
    expect(parseParamValue('42')).toBe(42);
    expect(parseParamValue('-1.5e3')).toBe(-1500);
    expect(parseParamValue('true')).toBe(true);
    expect(parseParamValue('[1,2]')).toEqual([1, 2]);
    expect(parseParamValue('{"a":1}')).toEqual({ a: 1 });
    expect(parseParamValue('"quoted"')).toBe('quoted');
    expect(parseParamValue('hello world')).toBe('hello world');
    expect(parseParamValue('[not json')).toBe('[not json');
    expect(parseParamArg('x=a=b')).toEqual(['x', 'a=b']);
    expect(() => parseParamArg('noequals')).toThrow(/name=value/);
    expect(() => parseParamArg('1x=2')).toThrow(/not a valid identifier/);
  });

  const base: Notebook = {
    nbformat: 4, nbformat_minor: 5, metadata: {},
    cells: [
      { cell_type: 'markdown', id: 'm', metadata: {}, source: '# t' },
      { cell_type: 'code', id: 'p', metadata: { tags: ['parameters'] }, source: 'const n = 1;\nlet s = "a";', execution_count: null, outputs: [] },
      { cell_type: 'code', id: 'c', metadata: {}, source: 'n', execution_count: null, outputs: [] },
    ],
  };

  it('inserts a tagged cell after the parameters cell, leaving the input untouched', () => {
    const r = injectParameters(base, { n: 5, s: 'b', extra: true });
    expect(r.injectedIndex).toBe(2);
    expect(r.undeclared).toEqual(['extra']);
    expect(r.notebook.cells.map((c) => c.id)).toEqual(['m', 'p', 'injected-parameters', 'c']);
    expect(r.notebook.cells[2].metadata.tags).toEqual(['injected-parameters']);
    expect((r.notebook.cells[2].source as string[]).join('')).toContain('const n = 5;\nconst s = "b";\nconst extra = true;');
    expect(base.cells).toHaveLength(3);
    expect(validateNotebook(r.notebook)).toEqual([]);
  });

  it('lists the parameters a notebook declares, and names the closest one for a typo', () => {
    expect(declaredParameters(base)).toEqual(['n', 's']);
    expect(declaredParameters({ ...base, cells: [base.cells[0], base.cells[2]] })).toEqual([]);
    expect(closestName('sed', ['source', 'seed', 'n'])).toBe('seed');
    expect(closestName('SEED', ['source', 'seed'])).toBe('seed');
    expect(closestName('x', [])).toBeNull();
    expect(undeclaredParamsError(['n'], { 'a.ipynb': ['n', 's'], 'b.ipynb': [] })).toBeNull();
    const msg = undeclaredParamsError(['n', 'sed'], { 'a.ipynb': ['n', 'seed'], 'b.ipynb': ['source'] });
    expect(msg).toContain('--param sed: no notebook of this run declares "sed" in its parameters cell; did you mean "seed"?');
    expect(msg).toContain('declared parameters: n, seed, source');
    expect(msg).not.toContain('--param n:');
  });

  it('keeps the declared type of a parameter in the injected cell', () => {
    const typed: Notebook = { ...base, cells: [base.cells[0], { ...base.cells[1], source: 'const src: Source = { kind: "synthetic" };\nconst f: (x: number) => number = (x) => x;\nconst k = 2;' }, base.cells[2]] };
    const text = (injectParameters(typed, { src: { kind: 'extracts' }, f: 'g', k: 3 }).notebook.cells[2].source as string[]).join('');
    expect(text).toContain('const src: Source = {"kind":"extracts"};');
    expect(text).toContain('const f: (x: number) => number = "g";');
    expect(text).toContain('const k = 3;');
  });

  it('does nothing without a parameters cell or without parameters', () => {
    const noTag: Notebook = { ...base, cells: [base.cells[0], base.cells[2]] };
    expect(injectParameters(noTag, { n: 2 }).injectedIndex).toBe(-1);
    expect(injectParameters(base, {}).notebook).toBe(base);
  });
});

describe('nbformat validator', () => {
  const valid = (): Record<string, any> => ({ // eslint-disable-line @typescript-eslint/no-explicit-any
    nbformat: 4, nbformat_minor: 5, metadata: {},
    cells: [
      { cell_type: 'code', id: 'a', metadata: {}, source: ['x\n', 'y'], execution_count: 1, outputs: [
        { output_type: 'stream', name: 'stdout', text: 'hi\n' },
        { output_type: 'execute_result', execution_count: 1, data: { 'text/plain': '1' }, metadata: {} },
        { output_type: 'display_data', data: { 'application/vnd.plotly.v1+json': { data: [] }, 'text/html': ['<b>', '</b>'] }, metadata: {} },
        { output_type: 'error', ename: 'E', evalue: 'v', traceback: ['E: v'] },
      ] },
      { cell_type: 'markdown', id: 'b', metadata: {}, source: '# h' },
    ],
  });

  it('accepts a valid notebook', () => {
    expect(validateNotebook(valid())).toEqual([]);
  });

  it('reports each structural defect', () => {
    const cases: Array<[(nb: ReturnType<typeof valid>) => void, RegExp]> = [
      [(nb) => { nb.nbformat = 3; }, /nbformat: must be 4/],
      [(nb) => { delete nb.metadata; }, /metadata: required object/],
      [(nb) => { delete nb.cells[0].id; }, /cell 1\.id: required/],
      [(nb) => { nb.cells[1].id = 'a'; }, /duplicate "a"/],
      [(nb) => { nb.cells[0].execution_count = 1.5; }, /execution_count: required integer or null/],
      [(nb) => { delete nb.cells[0].outputs; }, /outputs: required list/],
      [(nb) => { nb.cells[1].outputs = []; }, /cell 2: unexpected key "outputs"/],
      [(nb) => { nb.cells[0].cell_type = 'python'; }, /cell_type: unknown "python"/],
      [(nb) => { nb.cells[0].outputs[0].name = 'stdin'; }, /name: must be stdout or stderr/],
      [(nb) => { delete nb.cells[0].outputs[1].execution_count; }, /output 2\.execution_count/],
      [(nb) => { nb.cells[0].outputs[2].data['text/html'] = { x: 1 }; }, /must be a string or list of strings/],
      [(nb) => { nb.cells[0].outputs[2].transient = {}; }, /unexpected key "transient"/],
      [(nb) => { nb.cells[0].outputs[3].traceback = 'E: v'; }, /traceback: required list of strings/],
      [(nb) => { nb.cells[0].outputs[0].output_type = 'pyout'; }, /unknown "pyout"/],
    ];
    for (const [mutate, message] of cases) {
      const nb = valid();
      mutate(nb);
      const problems = validateNotebook(nb);
      expect(problems.join('\n'), String(message)).toMatch(message);
    }
  });
});

describe('external-reference scan of rendered HTML', () => {
  it('finds resources loaded from the network', () => {
    const bad = [
      '<script src="https://cdn.plot.ly/plotly.min.js"></script>',
      '<link rel="stylesheet" href="//fonts.example/css">',
      '<img src="http://x/y.png">',
      "<style>@import url('https://x/y.css');</style>",
      '<div style="background: url(https://x/bg.png)"></div>',
      '<img srcset="a.png 1x, https://x/b.png 2x">',
      '<svg><image xlink:href="https://x/i.png"/></svg>',
    ];
    for (const html of bad) expect(findExternalReferences(html), html).toHaveLength(1);
  });

  it('ignores script bodies, hyperlinks, data: URLs and local files', () => {
    const ok = [
      '<script>var u = "https://api.mapbox.com/"; var s = \'<img src="https://x">\';</script>',
      '<a href="https://www.gov.uk/">source</a>',
      '<img src="data:image/png;base64,AAAA">',
      '<a href="00-overview.html">nb</a><link rel="icon" href="favicon.png">',
      '<!-- <script src="https://x"></script> -->',
    ];
    for (const html of ok) expect(findExternalReferences(html), html).toEqual([]);
  });
});

describe('report parts: contents, parameters, plotly stripping', () => {
  it('gives headings unique ids and lists depth 2-3 in the contents', () => {
    const taken = new Set<string>();
    expect(headingId('Results: Cox <em>model</em>', taken)).toBe('results-cox-model');
    expect(headingId('Results: Cox model', taken)).toBe('results-cox-model-2');
    const toc = renderToc([{ depth: 1, text: 'T', id: 't' }, { depth: 2, text: 'A', id: 'a' }, { depth: 3, text: 'B', id: 'b' }, { depth: 4, text: 'C', id: 'c' }]);
    expect(toc).toContain('<li class="toc-2"><a href="#a">A</a></li>');
    expect(toc).toContain('<li class="toc-3"><a href="#b">B</a></li>');
    expect(toc).not.toContain('#t"');
    expect(toc).not.toContain('#c"');
  });

  it('reads the parameters cell (value, comment) and marks --param overrides', () => {
    const nb: Notebook = {
      nbformat: 4, nbformat_minor: 5, metadata: {},
      cells: [{ cell_type: 'code', id: 'p', metadata: { tags: ['parameters'] }, execution_count: null, outputs: [],
        source: "// Demand classes\nconst demandK = 12;\nconst ties: 'efron' | 'breslow' = 'efron';\n\nconst f = (x: number) => x;" }],
    };
    expect(parameterRows(nb, { demandK: 8 })).toEqual([
      { name: 'demandK', value: '8', note: 'Demand classes', overridden: true },
      { name: 'ties', value: "'efron'", note: 'Demand classes', overridden: false },
      { name: 'f', value: '(x: number) => x', note: '', overridden: false },
    ]);
    // A comment shared by a group of parameters is shown once, spanning the group.
    const html = renderParameters(parameterRows(nb, { demandK: 8 }));
    expect(html.match(/Demand classes/g)).toHaveLength(1);
    expect(html).toContain('<td rowspan="2">Demand classes</td>');
    expect(html).toContain("<tr><td><code>ties</code></td><td><code>'efron'</code></td></tr>");
  });

  it('removes the inlined plotly.js script and nothing else', () => {
    const html = `${plotlyScriptElement().slice(0, 60)}…</script>\n<div class="csc-plot" id="p1"></div><script>draw()</script>`;
    expect(stripInlinedPlotly(html)).toBe('<div class="csc-plot" id="p1"></div><script>draw()</script>');
    expect(stripInlinedPlotly('<div></div>')).toBe('<div></div>');
  });
});

describe('reprBundle: short printing of a cell value (as R print methods)', () => {
  it('prints a fit as its coefficient table with a heading, not its fields', () => {
    const fit = {
      kind: 'coxph', ties: 'efron', varianceType: 'model', warnings: ['1 coefficient not estimable'],
      vcov: Array.from({ length: 50 }, () => new Array(50).fill(0.5)), linearPredictors: new Float64Array(10_000),
      summary: () => [{ term: 'age', estimate: 0.1234567, 'p.value': 1e-20 }, { term: 'sexM', estimate: -0.5, 'p.value': 0.0412 }],
    };
    const b = reprBundle(fit);
    const lines = b['text/plain'].split('\n');
    expect(lines[0]).toBe('coxph fit, efron ties, model variance');
    expect(lines).toHaveLength(5);
    expect(b['text/plain']).toContain('<0.001');
    expect(b['text/plain']).toContain('\u22120.5'); // the library's minus sign (display/numbers)
    expect(b['text/plain']).toContain('Warning: 1 coefficient not estimable');
    expect(b['text/html']).toContain('<caption>coxph fit, efron ties, model variance</caption>');
  });

  it('limits any other object to 40 lines and keeps strings as they are', () => {
    const big = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`field${i}`, { a: i, b: [i, i + 1] }]));
    const text = reprBundle(big)['text/plain'];
    expect(text.split('\n')).toHaveLength(41);
    expect(text).toMatch(/… \d+ more lines/);
    expect(reprBundle('done')).toEqual({ 'text/plain': 'done' });
    expect(reprBundle(30)).toEqual({ 'text/plain': '30' });
  });
});

describe('progressDisplay', () => {
  const capture = async (run: () => void) => {
    const jupyter = (await import('tslab/dist/jupyter')) as unknown as { lastWriteDisplayData: unknown };
    const calls: Array<{ text: string; id: string; update: boolean }> = [];
    const saved = jupyter.lastWriteDisplayData;
    jupyter.lastWriteDisplayData = (m: { data: Record<string, string>; transient: { display_id: string } }, update: boolean) =>
      calls.push({ text: m.data['text/plain'], id: m.transient.display_id, update });
    try {
      run();
    } finally {
      jupyter.lastWriteDisplayData = saved;
    }
    return calls;
  };
  it('draws one display and then updates it in place, throttled, ending in a fixed summary', async () => {
    const calls = await capture(() => {
      const cb = progressDisplay('LCA starts', 60_000);
      cb({ done: 0, total: 40 });
      cb({ done: 1, total: 40 }); // within the interval: skipped
      cb({ done: 40, total: 40, stage: 'K = 12' });
      cb({ done: 40, total: 40 }); // after the end: nothing
    });
    expect(calls.map((c) => c.update)).toEqual([false, true]);
    expect(new Set(calls.map((c) => c.id)).size).toBe(1);
    expect(calls[0].text).toMatch(/^LCA starts: 0 \/ 40 \(0%\) · \d+\.\d s$/);
    expect(calls[1].text).toBe('LCA starts: finished');
  });
  it('shares one bar between parts, finishing only with the last; takes ingest-style (step, done, total)', async () => {
    const calls = await capture(() => {
      const cb = progressDisplay('LCA selection', 0);
      cb.part(0, 2)({ done: 0, total: 10, stage: 'K = 3' });
      cb.part(0, 2)({ done: 10, total: 10, stage: 'K = 3: done' });
      cb.part(1, 2)({ done: 5, total: 10, stage: 'K = 4' });
      cb.part(1, 2)({ done: 10, total: 10 });
      const ingest = progressDisplay('Ingest', 0);
      ingest('read cin', 1, 4);
      ingest('done', 4, 4);
    });
    expect(calls.map((c) => c.text.replace(/ · [\d.]+ s$/, ''))).toEqual([
      'LCA selection · K = 3: 0 / 10 (part 1 of 2) (0%)', 'LCA selection · K = 3: done: 10 / 10 (part 1 of 2) (50%)',
      'LCA selection · K = 4: 5 / 10 (part 2 of 2) (75%)', 'LCA selection: finished',
      'Ingest · read cin: 1 / 4 (25%)', 'Ingest: finished',
    ]);
  });
  it('transient: a fast step draws nothing; a slow one shows the bar once past showAfterMs and clears it when done', async () => {
    const fast = await capture(() => {
      const cb = progressDisplay('Cox', { transient: true, minIntervalMs: 0, showAfterMs: 60_000 });
      cb({ done: 1, total: 20, stage: 'Newton iterations' });
      cb({ done: 20, total: 20, stage: 'converged in 4 iterations' });
    });
    expect(fast).toEqual([]);
    const slow = await capture(() => {
      const cb = progressDisplay('Cox', { transient: true, minIntervalMs: 0, showAfterMs: 30 });
      cb({ done: 1, total: 20 }); // too early: nothing
      const t0 = Date.now();
      while (Date.now() - t0 < 40) { /* a blocking fit */ }
      cb({ done: 2, total: 20 });
      cb({ done: 20, total: 20 });
      cb({ done: 20, total: 20 }); // after the end: nothing
    });
    expect(slow.map((c) => [c.text.replace(/ · [\d.]+ s$/, ''), c.update])).toEqual([['Cox: 2 / 20 (10%)', false], ['', true]]);
    expect(isClearedBundle(progressClearedBundle())).toBe(true);
    expect(isClearedBundle(progressDoneBundle('Cox'))).toBe(false);
    expect(isClearedBundle({})).toBe(false);
  });
});

describe('stripDrawScript', () => {
  it('removes only the figure draw script', () => {
    const html = `<div class="csc-plot" id="p1"></div>\n${plotDrawScript('p1', { data: [{ y: [1, 2] }] }, 300)}`;
    expect(html).toContain('newPlot');
    expect(stripDrawScript(html)).toBe('<div class="csc-plot" id="p1"></div>');
    expect(stripDrawScript('<div></div><script>x()</script>')).toBe('<div></div><script>x()</script>');
  });
});
