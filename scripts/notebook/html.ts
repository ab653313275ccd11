/**
 * Self-contained, offline HTML rendering of an executed notebook for reviewers: code folded
 * (a toggle opens all), a table of contents, the parameters used in the header, plotly.js inlined
 * once in the head (the .ipynb outputs do not carry it), long lines wrapped.
 *
 * Markdown via marked, code highlighting via highlight.js (its CSS inlined), outputs shown with
 * the richest representation (text/html > images > markdown > text). Plot outputs carry their own
 * HTML (a div with the PNG fallback, which plotly's script removes once the interactive figure is
 * drawn) — so the page is readable with JS off and nothing is fetched from the network.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import hljs from 'highlight.js/lib/core';
import typescript from 'highlight.js/lib/languages/typescript';
import { Marked } from 'marked';
import { DRAW_SCRIPT_ATTR, insertPngFallback, PLOT_METADATA_KEY, PLOTLY_MIME, plotDrawScript, plotlyScriptSource } from '../../kernel-helpers/plotly-inline';
import { cellTags, sourceText, type CodeCell, type Notebook, type Output } from './nbformat';
import { escapeHtml, FOLD_TOGGLE, headingId, parameterRows, renderParameters, renderToc, REPORT_CSS, type Heading } from './report-parts';

export { escapeHtml } from './report-parts';

hljs.registerLanguage('typescript', typescript);
const require = createRequire(import.meta.url);

/** A markdown renderer whose headings carry ids, collected for the table of contents. */
function markdownRenderer(headings: Heading[]): Marked {
  const taken = new Set<string>();
  return new Marked({
    gfm: true,
    renderer: {
      heading({ tokens, depth }) {
        const inner = this.parser.parseInline(tokens);
        const id = headingId(inner, taken);
        headings.push({ depth, text: inner, id });
        return `<h${depth} id="${id}">${inner}</h${depth}>\n`;
      },
    },
  });
}
const marked = new Marked({ gfm: true });

let highlightCss: string | null = null;
function hljsCss(): string {
  if (highlightCss === null) highlightCss = fs.readFileSync(require.resolve('highlight.js/styles/github.css'), 'utf8');
  return highlightCss;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

function text(value: unknown): string {
  return Array.isArray(value) ? value.join('') : String(value);
}

function renderOutput(output: Output): string {
  switch (output.output_type) {
    case 'stream':
      return `<pre class="out stream ${output.name}">${escapeHtml(text(output.text).replace(ANSI, ''))}</pre>`;
    case 'error':
      return `<pre class="out error"><strong>${escapeHtml(output.ename)}</strong>: ${escapeHtml(output.evalue.replace(ANSI, ''))}\n${escapeHtml(output.traceback.slice(1).join('\n').replace(ANSI, ''))}</pre>`;
    default: {
      const data = output.data;
      if (data['text/html'] !== undefined) {
        // A figure's PNG (stored once, as image/png) shows inside its div until plotly draws it.
        const meta = output.metadata?.[PLOT_METADATA_KEY] as { id?: string; height?: number } | undefined;
        let html = text(data['text/html']);
        if (meta?.id && data['image/png'] !== undefined) {
          html = insertPngFallback(html, meta.id, text(data['image/png']).replace(/\s/g, ''), text(data['text/plain'] ?? 'figure'));
        }
        // The saved notebook keeps the figure only as plotly JSON: draw it from there.
        if (meta?.id && data[PLOTLY_MIME] !== undefined && !html.includes(DRAW_SCRIPT_ATTR)) {
          const fig = data[PLOTLY_MIME] as { layout?: { height?: number } };
          html += plotDrawScript(meta.id, fig, meta.height ?? fig.layout?.height ?? 450);
        }
        return `<div class="out html">${html}</div>`;
      }
      for (const mime of ['image/png', 'image/jpeg', 'image/gif']) {
        if (data[mime] !== undefined) return `<div class="out image"><img alt="output image" src="data:${mime};base64,${text(data[mime]).replace(/\s/g, '')}"></div>`;
      }
      if (data['image/svg+xml'] !== undefined) return `<div class="out image">${text(data['image/svg+xml'])}</div>`;
      if (data['text/markdown'] !== undefined) return `<div class="out markdown">${marked.parse(text(data['text/markdown'])) as string}</div>`;
      if (data['text/plain'] !== undefined) return `<pre class="out plain">${escapeHtml(text(data['text/plain']))}</pre>`;
      return `<pre class="out plain">[output with ${escapeHtml(Object.keys(data).join(', '))}]</pre>`;
    }
  }
}

export interface RenderInfo {
  title: string;
  status: string;
  durationMs: number;
  parameters?: Record<string, unknown>;
  warnings?: string[];
}

const CSS = `
body { font-family: -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #1f2328; line-height: 1.5; }
header.run { border-bottom: 1px solid #d0d7de; margin-bottom: 1.5em; font-size: 0.9em; color: #57606a; }
.cell { margin: 0.6em 0; }
.cell.code .input { display: flex; gap: 0.5em; }
.prompt { min-width: 5.5em; color: #57606a; font-family: monospace; font-size: 0.85em; text-align: right; padding-top: 0.6em; }
.cell.code pre.source { flex: 1; margin: 0; background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 4px; padding: 0.5em 0.7em; overflow-x: auto; font-size: 0.85em; }
.cell.code pre.source code.hljs { padding: 0; background: transparent; }
.outputs { margin-left: 6em; }
.out { margin: 0.4em 0; overflow-x: auto; }
pre.out { font-size: 0.85em; white-space: pre-wrap; }
pre.stderr { background: #fff8e6; }
pre.error { background: #ffebe9; border-left: 3px solid #cf222e; padding: 0.4em; }
.tag { display: inline-block; font-size: 0.75em; background: #ddf4ff; border-radius: 3px; padding: 0 0.4em; margin-left: 0.3em; }
table.csc-table, .out.html table { border-collapse: collapse; font-size: 0.85em; margin: 0.3em 0; }
.out.html th, .out.html td { border-bottom: 1px solid #d0d7de; padding: 0.15em 0.6em; }
.out.html caption { text-align: left; font-weight: 600; }
img { max-width: 100%; }
.cell.markdown table { border-collapse: collapse; } .cell.markdown th, .cell.markdown td { border: 1px solid #d0d7de; padding: 0.2em 0.5em; }
`;

export function renderNotebookHtml(nb: Notebook, info: RenderInfo): string {
  const body: string[] = [];
  const headings: Heading[] = [];
  const md = markdownRenderer(headings);
  let hasPlotly = false;
  for (const cell of nb.cells) {
    const src = sourceText(cell.source);
    if (cell.cell_type === 'markdown') {
      body.push(`<div class="cell markdown">${md.parse(src) as string}</div>`);
    } else if (cell.cell_type === 'raw') {
      body.push(`<div class="cell raw"><pre>${escapeHtml(src)}</pre></div>`);
    } else {
      const code = cell as CodeCell;
      const tags = cellTags(cell).filter((t) => t === 'parameters' || t === 'injected-parameters');
      const prompt = `In [${code.execution_count ?? ' '}]:` + tags.map((t) => `<br><span class="tag">${escapeHtml(t)}</span>`).join('');
      const highlighted = hljs.highlight(src, { language: 'typescript' }).value;
      const lines = src.split('\n').length;
      if (code.outputs.some((o) => o.output_type !== 'stream' && o.output_type !== 'error' && o.data[PLOTLY_MIME] !== undefined)) hasPlotly = true;
      // Folded by default (Quarto's code-fold); the prompt stays visible in the summary line.
      body.push(`<div class="cell code"><details class="code-fold"><summary>Code · In [${code.execution_count ?? ' '}] · ${lines} line${lines === 1 ? '' : 's'}</summary>` +
        `<div class="input"><div class="prompt">${prompt}</div><pre class="source"><code class="hljs language-typescript">${highlighted}</code></pre></div></details>` +
        `<div class="outputs">${code.outputs.map(renderOutput).join('\n')}</div></div>`);
    }
  }
  const params = renderParameters(parameterRows(nb, info.parameters ?? {}));
  const warnings = (info.warnings ?? []).map((w) => `<div>⚠ ${escapeHtml(w)}</div>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(info.title)}</title>
<style>${CSS}${REPORT_CSS}
${hljsCss()}</style>${hasPlotly ? `\n<script type="text/javascript">${plotlyScriptSource()}</script>` : ''}</head>
<body>
<header class="run"><div><strong>${escapeHtml(info.title)}</strong> · status: ${escapeHtml(info.status)} · run time ${(info.durationMs / 1000).toFixed(1)} s</div>${warnings}${params}${FOLD_TOGGLE}</header>
${renderToc(headings)}
${body.join('\n')}
</body></html>
`;
}

export function notebookTitle(nb: Notebook, fallback: string): string {
  for (const cell of nb.cells) {
    if (cell.cell_type !== 'markdown') continue;
    const m = /^#\s+(.+)$/m.exec(sourceText(cell.source));
    if (m) return m[1].trim();
  }
  return fallback;
}
