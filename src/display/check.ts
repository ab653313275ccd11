// Output checking of executed notebooks (nbformat 4 JSON): reads every number in every output
// (HTML tables and prose, plotly JSON and the copy embedded in its HTML fallback, text/plain and
// streams) and reports what an output checker in a secure environment would refuse.
//
// Protection metadata (`data-sdc-rules` / `data-sdc="count"` on tables, `layout.meta.sdc` on
// figures) says which rules were applied; the checker does not trust it: declared rules looser
// than the required ones fail, and numbers are judged by what they are (a count column, a count
// in prose, a number-only text label) whether tagged or not.
import { DEFAULT_SDC_RULES } from './sdc';
import { parseTables, htmlProse, embeddedFigures, countPhrases, isIdentifierValue, textTables, TEXT_IDENTIFIER } from './checker/parse';
import { checkTable, SeenTable } from './checker/tables';
import { checkFigure } from './checker/figures';
import { checkDifferencing } from './checker/differencing';
import { CheckContext, CheckOptions, OutputProblem, Report, checkCount } from './checker/report';

export { isIdentifierColumn } from './checker/parse';
export type { OutputProblem, CheckOptions, ProblemKind } from './checker/report';

const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

function asText(x: unknown): string {
  if (typeof x === 'string') return x;
  if (Array.isArray(x)) return x.join('');
  return '';
}

function checkText(text: string, ctx: CheckContext, report: Report, what: string): void {
  const m = text.match(TEXT_IDENTIFIER);
  if (m) report('identifier', `${what} shows an identifier field "${m[2]}"`, m[2]);
  for (const p of countPhrases(text)) checkCount(p.value, ctx.rules, report, `in ${what} ("${p.phrase}")`, String(p.value));
  const group = text.match(/(?<![\d.])(100(?:\.0+)?|0(?:\.0+)?)\s*%\s+(?:of|were|are|had|have)\b/);
  if (group) report('percentage', `${what} states ${group[1]}% of a group, a disclosure about every member`, group[0]);
  const tokens = text.split(/[\s,;|│]+/).filter(isIdentifierValue);
  if (new Set(tokens).size >= 3) report('identifier', `${what} lists identifier-like values (e.g. ${tokens[0]})`, tokens[0]);
  const lines = text.split('\n').filter((l) => l.trim().length > 0).length;
  if (lines > 2 * ctx.maxTableRows) report('record-level', `${what} has ${lines} lines; looks like a record listing`, String(lines));
}

/** Checks one parsed notebook. Returns the problems found (empty when clean); severity 'fail'
 *  problems block release, 'review' ones are for the output checker's attention. */
export function checkNotebook(notebook: unknown, name: string, options: CheckOptions = {}): OutputProblem[] {
  const ctx: CheckContext = {
    rules: options.rules ?? DEFAULT_SDC_RULES,
    maxTableRows: options.maxTableRows ?? 200,
    maxPoints: options.maxPoints ?? 200,
  };
  const nb = notebook as { cells?: Array<{ cell_type?: string; outputs?: Array<Record<string, unknown>> }> };
  if (!nb || !Array.isArray(nb.cells)) throw new Error(`${name}: not an nbformat 4 notebook (no "cells" array)`);
  const problems: OutputProblem[] = [];
  const tables: Array<{ table: SeenTable; report: Report }> = [];
  nb.cells.forEach((cell, ci) => {
    if (cell.cell_type !== 'code') return;
    (cell.outputs ?? []).forEach((out, oi) => {
      const seen = new Set<string>();
      const report: Report = (kind, detail, value, severity = 'fail') => {
        const key = `${kind}|${detail}`;
        if (seen.has(key)) return;
        seen.add(key);
        problems.push({ notebook: name, cell: ci + 1, output: oi + 1, kind, severity, detail, ...(value !== undefined ? { value: String(value) } : {}) });
      };
      const data = (out.data ?? {}) as Record<string, unknown>;
      const html = asText(data['text/html']);
      const figures: unknown[] = [];
      if (data[PLOTLY_MIME]) figures.push(data[PLOTLY_MIME]);
      if (html) {
        for (const f of embeddedFigures(html)) if (!figures.some((g) => JSON.stringify(g) === JSON.stringify(f))) figures.push(f);
        for (const t of parseTables(html)) tables.push({ table: checkTable(t, ctx, report, `cell ${ci + 1} output ${oi + 1}`), report });
        const prose = htmlProse(html);
        if (prose) checkText(prose, ctx, report, 'HTML text');
      }
      for (const f of figures) checkFigure(f, ctx, report);
      for (const [mime, v] of Object.entries(data)) {
        if (mime === 'text/html' || mime === PLOTLY_MIME || mime.startsWith('image/')) continue;
        const text = typeof v === 'string' || Array.isArray(v) ? asText(v) : JSON.stringify(v);
        if (text) checkText(text, ctx, report, `${mime} output`);
      }
      if (out.output_type === 'stream') {
        const text = asText(out.text);
        checkText(text, ctx, report, `${String(out.name ?? 'stream')} output`);
        // console.table and markdown tables: judged column by column like HTML tables
        for (const t of textTables(text)) tables.push({ table: checkTable(t, ctx, report, `cell ${ci + 1} output ${oi + 1}`), report });
      }
      if (out.output_type === 'error') checkText([String(out.evalue ?? ''), ...((out.traceback as string[]) ?? [])].join('\n'), ctx, report, 'error output');
    });
  });
  checkDifferencing(tables);
  // Keep the problems in notebook order (differencing adds its own after the per-output pass).
  problems.sort((a, b) => a.cell - b.cell || a.output - b.output);
  return problems;
}
