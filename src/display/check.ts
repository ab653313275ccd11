// Output checking of executed notebooks (nbformat 4 JSON): finds counts below the disclosure
// threshold and record-level output (a row per child) before anything leaves the secure setting.
//
// How counts are recognised: the display layer renders tables with `data-sdc-rules` on the
// <table> and `data-sdc="count"` on every count cell, and plotly figures carry
// `layout.meta.sdc = { rules, countTraces }`. Untagged tables are still checked for
// identifier-like columns and for having too many rows to be an aggregate.
import { SdcRules, DEFAULT_SDC_RULES, SDC_SUPPRESSED } from './sdc';

export interface OutputProblem {
  notebook: string;
  /** 1-based index of the cell in the notebook. */
  cell: number;
  kind: 'small-count' | 'unrounded-count' | 'record-level' | 'identifier';
  detail: string;
}

export interface CheckOptions {
  /** Threshold used where an output carries no rules of its own. */
  rules?: SdcRules;
  /** A table with more body rows than this is treated as record-level. */
  maxTableRows?: number;
}

/** Column names that identify a child, pupil, episode or date of birth. */
const IDENTIFIER_EXACT = /^(id|upn|pmr|dob|date[_ .]?of[_ .]?birth|birth[_ .]?date|postcode|pupil[_ .]?matching[_ .]?ref(erence)?|unique[_ .]?pupil[_ .]?number)$/i;
const IDENTIFIER_KEYED = /^(child|pupil|person|la[_ .]?child|episode|referral|assessment|cin|cla|npd)[_ .-]?(id|key|ref)$/i;

export function isIdentifierColumn(name: string): boolean {
  const n = name.trim();
  return IDENTIFIER_EXACT.test(n) || IDENTIFIER_KEYED.test(n);
}

const TEXT_IDENTIFIER = /(["']?)\b(child_?id|pupil_?id|la_child_id|upn|pmr|pupil_matching_ref(erence)?|date_of_birth|dob|episode_?id)\1\s*[:=│|]/i;

function decodeEntities(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function stripTags(s: string): string {
  return decodeEntities(s.replace(/<[^>]*>/g, '')).trim();
}

function parseCount(text: string): number | null {
  const t = text.replace(/[,\s]/g, '');
  if (t === '' || t === SDC_SUPPRESSED) return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : NaN;
}

function asText(x: unknown): string {
  if (typeof x === 'string') return x;
  if (Array.isArray(x)) return x.join('');
  return '';
}

function checkHtml(html: string, where: (kind: OutputProblem['kind'], detail: string) => void, opts: Required<CheckOptions>): void {
  const tables = html.match(/<table[\s\S]*?<\/table>/gi) ?? [];
  for (const table of tables) {
    const open = table.match(/^<table[^>]*>/i)![0];
    const rulesAttr = open.match(/data-sdc-rules="([^"]*)"/i);
    let rules = opts.rules;
    if (rulesAttr) {
      try {
        rules = { ...opts.rules, ...(JSON.parse(decodeEntities(rulesAttr[1])) as Partial<SdcRules>) };
      } catch {
        where('small-count', `table has unreadable data-sdc-rules: ${rulesAttr[1].slice(0, 80)}`);
      }
      // A notebook may not loosen the threshold below the checker's own.
      if (rules.minCount < opts.rules.minCount) {
        where('small-count', `table declares minCount ${rules.minCount}, below the required ${opts.rules.minCount}`);
        rules = opts.rules;
      }
    }
    const headers = (table.match(/<th[^>]*>[\s\S]*?<\/th>/gi) ?? []).map(stripTags);
    for (const h of headers) if (isIdentifierColumn(h)) where('identifier', `table column "${h}" looks like a record identifier`);
    const body = table.match(/<tbody[^>]*>([\s\S]*?)<\/tbody>/i)?.[1] ?? table;
    const rows = body.match(/<tr[^>]*>[\s\S]*?<\/tr>/gi) ?? [];
    const bodyRows = rows.filter((r) => /<td/i.test(r));
    if (bodyRows.length > opts.maxTableRows) {
      where('record-level', `table has ${bodyRows.length} rows (more than ${opts.maxTableRows}; aggregate tables should be smaller)`);
    }
    bodyRows.forEach((row, ri) => {
      const cells = row.match(/<td[^>]*>[\s\S]*?<\/td>/gi) ?? [];
      cells.forEach((cell, ci) => {
        if (!/data-sdc="count"/i.test(cell)) return;
        const text = stripTags(cell);
        const v = parseCount(text);
        const col = headers[ci] ?? `column ${ci + 1}`;
        if (v === null) return;
        if (Number.isNaN(v)) {
          where('small-count', `count cell "${col}" row ${ri + 1} is not a number: "${text}"`);
        } else if (v > 0 && v < rules.minCount) {
          where('small-count', `count ${v} below ${rules.minCount} in column "${col}" row ${ri + 1}`);
        } else if (rules.roundTo > 1 && v % rules.roundTo !== 0) {
          where('unrounded-count', `count ${v} not rounded to ${rules.roundTo} in column "${col}" row ${ri + 1}`);
        }
      });
    });
  }
}

function checkPlotly(fig: unknown, where: (kind: OutputProblem['kind'], detail: string) => void, opts: Required<CheckOptions>): void {
  const f = fig as { data?: Array<Record<string, unknown>>; layout?: { meta?: { sdc?: { rules?: SdcRules | null; countTraces?: number[] } } } };
  const sdc = f.layout?.meta?.sdc;
  if (!sdc || !sdc.rules) return;
  const rules = { ...opts.rules, ...sdc.rules };
  if (rules.minCount < opts.rules.minCount) rules.minCount = opts.rules.minCount;
  for (const k of sdc.countTraces ?? []) {
    const trace = f.data?.[k];
    if (!trace) continue;
    const values = (trace.customdata ?? (trace.orientation === 'h' ? trace.x : trace.y)) as unknown;
    if (!Array.isArray(values)) continue;
    values.forEach((v, i) => {
      if (typeof v === 'number' && v > 0 && v < rules.minCount) {
        where('small-count', `figure trace "${String(trace.name ?? k)}" point ${i + 1} shows count ${v} below ${rules.minCount}`);
      }
    });
  }
}

/** Checks one parsed notebook. Returns the problems found (empty when clean). */
export function checkNotebook(notebook: unknown, name: string, options: CheckOptions = {}): OutputProblem[] {
  const opts: Required<CheckOptions> = { rules: options.rules ?? DEFAULT_SDC_RULES, maxTableRows: options.maxTableRows ?? 200 };
  const nb = notebook as { cells?: Array<{ cell_type?: string; outputs?: Array<Record<string, unknown>> }> };
  if (!nb || !Array.isArray(nb.cells)) throw new Error(`${name}: not an nbformat 4 notebook (no "cells" array)`);
  const problems: OutputProblem[] = [];
  nb.cells.forEach((cell, ci) => {
    if (cell.cell_type !== 'code') return;
    for (const out of cell.outputs ?? []) {
      const where = (kind: OutputProblem['kind'], detail: string) => problems.push({ notebook: name, cell: ci + 1, kind, detail });
      const data = (out.data ?? {}) as Record<string, unknown>;
      const html = asText(data['text/html']);
      if (html) checkHtml(html, where, opts);
      const plotly = data['application/vnd.plotly.v1+json'];
      if (plotly) checkPlotly(plotly, where, opts);
      const texts = [asText(data['text/plain']), out.output_type === 'stream' ? asText(out.text) : ''];
      for (const text of texts) {
        if (!text) continue;
        const m = text.match(TEXT_IDENTIFIER);
        if (m) where('identifier', `text output shows an identifier field "${m[2]}"`);
        const lines = text.split('\n').filter((l) => l.trim().length > 0).length;
        if (lines > 2 * opts.maxTableRows) where('record-level', `text output has ${lines} lines; looks like a record listing`);
      }
    }
  });
  return problems;
}
