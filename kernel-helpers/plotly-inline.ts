/**
 * Inlining plotly figures into HTML, shared by plot() (in the kernel) and the notebook runner
 * (which must not load the kernel's display machinery). No tslab imports here.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { escapeHtml } from './format';

export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';
export const PLOT_METADATA_KEY = 'csc-plot';

/** The plotly.js bundle, made safe to inline inside a <script> element. */
export function plotlyScriptSource(): string {
  // Resolved from the working directory: no import.meta in code the tslab kernel compiles.
  const req = createRequire(path.join(process.cwd(), '__csc_plot__.js'));
  const file = req.resolve('plotly.js-dist-min/plotly.min.js');
  return inlineScriptSafe(fs.readFileSync(file, 'utf8'));
}

/**
 * "<!--" and "</script" inside script text change how HTML parsers end the element; in plotly's
 * bundle "<!--" only occurs inside string literals, where "<\!--" denotes the same string.
 */
export function inlineScriptSafe(js: string): string {
  return js.replace(/<!--/g, '<\\!--').replace(/<\/script/gi, '<\\/script');
}

/** JSON for embedding in a script: no "</script>" or "<!--" can appear. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Marks the script element that carries plotly.js inline (see stripInlinedPlotly). */
export const PLOTLY_SCRIPT_ATTR = 'data-csc-plotly';

/** The <script> element that carries plotly.js, marked so that it can be found and removed. */
export function plotlyScriptElement(): string {
  return `<script type="text/javascript" ${PLOTLY_SCRIPT_ATTR}>${plotlyScriptSource()}</script>`;
}

/**
 * Removes an inlined plotly.js from an output's HTML. The runner saves .ipynb files without it
 * (the plotly JSON is enough for Jupyter's plotly renderer, and plotly.js is 4.8 MB) and puts one
 * copy in the head of the rendered HTML page instead.
 */
export function stripInlinedPlotly(html: string): string {
  const open = `<script type="text/javascript" ${PLOTLY_SCRIPT_ATTR}>`;
  const start = html.indexOf(open);
  if (start < 0) return html;
  const end = html.indexOf('</script>', start + open.length);
  if (end < 0) return html;
  return (html.slice(0, start) + html.slice(end + '</script>'.length)).replace(/^\n/, '');
}

/** Marks the script that draws one figure (see stripDrawScript). */
export const DRAW_SCRIPT_ATTR = 'data-csc-draw';

/** The script that draws a figure into its div (and removes the PNG fallback once drawn). */
export function plotDrawScript(id: string, figure: unknown, height: number): string {
  return `<script type="text/javascript" ${DRAW_SCRIPT_ATTR}>(function () {
  var el = document.getElementById(${jsonForScript(id)});
  if (!el || typeof window.Plotly === 'undefined') return;
  var fig = ${jsonForScript(figure)};
  el.style.height = ${jsonForScript(height + 'px')};
  window.Plotly.newPlot(el, fig.data, fig.layout, fig.config).then(function () {
    var fallback = el.querySelector('img.csc-plot-fallback');
    if (fallback) fallback.parentNode.removeChild(fallback);
  });
})();</script>`;
}

/**
 * Removes a figure's draw script from its HTML. A saved .ipynb does not carry plotly.js, so the
 * script could not draw there anyway, and it repeats the whole figure JSON already stored under
 * the plotly MIME type; the rendered page rebuilds it from that JSON (html.ts).
 */
export function stripDrawScript(html: string): string {
  const open = `<script type="text/javascript" ${DRAW_SCRIPT_ATTR}>`;
  const start = html.indexOf(open);
  if (start < 0) return html;
  const end = html.indexOf('</script>', start + open.length);
  if (end < 0) return html;
  return (html.slice(0, start) + html.slice(end + '</script>'.length)).replace(/\n+$/, '');
}

/** Used by the runner to put the PNG fallback inside the plot's div (visible with JS off). */
export function insertPngFallback(html: string, id: string, pngBase64: string, alt: string): string {
  const open = `<div class="csc-plot" id="${id}" style="max-width:100%;overflow-x:auto">`;
  const img = `<img class="csc-plot-fallback" alt="${escapeHtml(alt)}" src="data:image/png;base64,${pngBase64}" style="max-width:100%">`;
  if (!html.includes(open)) return html;
  return html.replace(open, () => open + img);
}
