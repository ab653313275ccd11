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

/** Used by the runner to put the PNG fallback inside the plot's div (visible with JS off). */
export function insertPngFallback(html: string, id: string, pngBase64: string, alt: string): string {
  const open = `<div class="csc-plot" id="${id}" style="max-width:100%;overflow-x:auto">`;
  const img = `<img class="csc-plot-fallback" alt="${escapeHtml(alt)}" src="data:image/png;base64,${pngBase64}" style="max-width:100%">`;
  if (!html.includes(open)) return html;
  return html.replace(open, () => open + img);
}
