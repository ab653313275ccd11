// An output-request pack in the layout ACRO writes (results.json plus one file per output), built
// from executed notebooks, so TRE output checkers can review it in SACRO-Viewer.
//
// Schema followed: ACRO's results.json as written by ACRO 0.4.x (top-level "version" and
// "results"; per output uid, status, type, properties, files[{name, sdc{summary, cells}}],
// outcome, command, summary, timestamp, comments, exception). Plain data in, plain data out: the
// caller writes the files.
import { DEFAULT_SDC_RULES, SDC_SUPPRESSED, type SdcRules } from '../sdc';
import { checkNotebook } from '../check';
import { DEFAULT_MAGNITUDE_RULES } from '../protect/magnitude';
import { asciiMinus } from '../numbers';
import { parseTables, embeddedFigures } from '../checker/parse';
import type { OutputProblem } from '../checker/report';

export const ACRO_SCHEMA_VERSION = '0.4.12';

export interface AcroFileSdc {
  summary?: { suppressed: boolean; negative: number; missing: number; threshold: number; 'p-ratio': number; 'nk-rule': number; 'all-values-are-same': number };
  cells?: { negative: number[][]; missing: number[][]; threshold: number[][]; 'p-ratio': number[][]; 'nk-rule': number[][]; 'all-values-are-same': number[][] };
}

export interface AcroOutput {
  uid: string;
  status: 'pass' | 'fail' | 'review';
  type: 'table' | 'survival' | 'histogram' | 'regression' | 'custom';
  properties: Record<string, unknown>;
  files: Array<{ name: string; sdc: AcroFileSdc }>;
  outcome: Record<string, Record<string, string>>;
  command: string;
  summary: string;
  timestamp: string;
  comments: string[];
  exception: string;
}

export interface AcroResults {
  version: string;
  results: Record<string, AcroOutput>;
}

/** A file of the pack: text (CSV, JSON, txt) or base64 bytes (PNG). */
export interface PackFile {
  name: string;
  text?: string;
  base64?: string;
}

type Cell = { cell_type?: string; source?: string | string[]; metadata?: { tags?: string[] }; outputs?: Array<Record<string, unknown>> };

const asText = (x: unknown) => (typeof x === 'string' ? x : Array.isArray(x) ? x.join('') : '');
// Numbers keep ASCII '-' in CSV so the file parses (the page shows U+2212, display/numbers).
const csvField = (shown: string) => {
  const s = asciiMinus(shown);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * Exception requests declared in the notebook's parameters cell as
 * `const sdcExceptions = { '<output uid>': '<reason>', ... };` (the uid is `<notebook>_cell<N>_out<M>`).
 */
export function exceptionRequests(nb: { cells?: Cell[] }): Record<string, string> {
  const out: Record<string, string> = {};
  for (const cell of nb.cells ?? []) {
    const tags = cell.metadata?.tags ?? [];
    if (cell.cell_type !== 'code' || !(tags.includes('parameters') || tags.includes('injected-parameters'))) continue;
    const m = asText(cell.source).match(/sdcExceptions[^=]*=\s*\{([\s\S]*?)\}/);
    if (!m) continue;
    for (const p of m[1].matchAll(/['"]([^'"]+)['"]\s*:\s*(['"`])([\s\S]*?)\2/g)) out[p[1]] = p[3];
  }
  return out;
}

function statusOf(problems: OutputProblem[]): AcroOutput['status'] {
  if (problems.some((p) => p.severity === 'fail')) return 'fail';
  return problems.length > 0 ? 'review' : 'pass';
}

/** A shown table as CSV: the headers as the reader saw them (not the machine column names), cells as shown but with ASCII minus. */
function tableCsv(t: ReturnType<typeof parseTables>[number]): { csv: string; suppressed: number[][] } {
  const lines = [t.headers.map((h) => csvField(h.text)).join(',')];
  const suppressed: number[][] = [];
  t.rows.forEach((r, i) => {
    lines.push(r.map((c) => csvField(c.text)).join(','));
    r.forEach((c, j) => {
      if (c.text.trim() === SDC_SUPPRESSED) suppressed.push([i, j]);
    });
  });
  return { csv: lines.join('\n') + '\n', suppressed };
}

function sdcOf(suppressed: number[][]): AcroFileSdc {
  return {
    summary: { suppressed: suppressed.length > 0, negative: 0, missing: 0, threshold: suppressed.length, 'p-ratio': 0, 'nk-rule': 0, 'all-values-are-same': 0 },
    cells: { negative: [], missing: [], threshold: suppressed, 'p-ratio': [], 'nk-rule': [], 'all-values-are-same': [] },
  };
}

/**
 * Builds the pack entries of one executed notebook: every table, figure and numeric text output
 * with its checker findings, status, the disclosure rules it declares, and any exception request.
 */
export function packNotebook(nb: unknown, name: string, rules: SdcRules = DEFAULT_SDC_RULES): { results: Record<string, AcroOutput>; files: PackFile[] } {
  const book = nb as { cells?: Cell[]; metadata?: { csc_runner?: { executed_at?: string } } };
  const problems = checkNotebook(nb, name, { rules });
  const exceptions = exceptionRequests(book);
  const timestamp = book.metadata?.csc_runner?.executed_at ?? '';
  const results: Record<string, AcroOutput> = {};
  const files: PackFile[] = [];
  (book.cells ?? []).forEach((cell, ci) => {
    if (cell.cell_type !== 'code') return;
    (cell.outputs ?? []).forEach((out, oi) => {
      const uid = `${name}_cell${ci + 1}_out${oi + 1}`;
      const data = (out.data ?? {}) as Record<string, unknown>;
      const html = asText(data['text/html']);
      const fig = (data['application/vnd.plotly.v1+json'] ?? embeddedFigures(html)[0]) as { layout?: { title?: unknown; meta?: { sdc?: { rules?: unknown; note?: string; km?: unknown } } } } | undefined;
      const tables = fig ? [] : parseTables(html);
      const text = out.output_type === 'stream' ? asText(out.text) : '';
      const mine = problems.filter((p) => p.cell === ci + 1 && p.output === oi + 1);
      let type: AcroOutput['type'] = 'custom';
      const entryFiles: AcroOutput['files'] = [];
      const outcome: AcroOutput['outcome'] = {};
      const comments: string[] = [];
      const properties: Record<string, unknown> = { method: 'custom', notebook: name, cell: ci + 1, output: oi + 1 };
      if (fig) {
        const sdc = fig.layout?.meta?.sdc;
        type = sdc?.km ? 'survival' : 'custom';
        properties.method = sdc?.km ? 'kaplan-meier figure' : 'figure';
        properties.rules = sdc?.rules ?? null;
        if (sdc?.note) comments.push(sdc.note);
        const png = asText(data['image/png']);
        if (png) {
          files.push({ name: `${uid}.png`, base64: png.replace(/\s+/g, '') });
          entryFiles.push({ name: `${uid}.png`, sdc: {} });
        } else {
          files.push({ name: `${uid}.json`, text: JSON.stringify(fig) });
          entryFiles.push({ name: `${uid}.json`, sdc: {} });
        }
      } else if (tables.length > 0) {
        type = 'table';
        properties.method = 'table';
        tables.forEach((t, k) => {
          const { csv, suppressed } = tableCsv(t);
          const fname = `${uid}_${k}.csv`;
          files.push({ name: fname, text: csv });
          entryFiles.push({ name: fname, sdc: sdcOf(suppressed) });
          if (t.rules) properties.rules = t.rules;
          if (t.caption) comments.push(t.caption);
          for (const [i, j] of suppressed) {
            const col = t.headers[j]?.text ?? `column ${j + 1}`;
            (outcome[col] ??= {})[t.rows[i][0]?.text ?? `row ${i + 1}`] = 'threshold; ';
          }
        });
        const note = html.match(/class="csc-note"[^>]*>([\s\S]*?)<\/p>/)?.[1];
        if (note) comments.push(note.replace(/<[^>]*>/g, '').replace(/&amp;/g, '&'));
      } else if (/\d/.test(text)) {
        files.push({ name: `${uid}.txt`, text });
        entryFiles.push({ name: `${uid}.txt`, sdc: {} });
        properties.method = 'text output';
      } else return;
      const status = statusOf(mine);
      const summary = [status, ...mine.map((p) => `${p.kind}: ${p.detail}${p.value !== undefined ? ` [${p.value}]` : ''}`)].join('; ');
      results[uid] = {
        uid,
        status,
        type,
        properties,
        files: entryFiles,
        outcome,
        command: asText(cell.source).split('\n').find((l) => l.trim() !== '' && !l.trim().startsWith('//'))?.trim() ?? '',
        summary,
        timestamp,
        comments,
        exception: exceptions[uid] ?? '',
      };
    });
  });
  return { results, files };
}

/** ACRO's config.json beside results.json: the rules the checker applied. */
export function acroConfig(rules: SdcRules = DEFAULT_SDC_RULES): Record<string, unknown> {
  return {
    safe_threshold: rules.minCount,
    safe_dof_threshold: rules.minCount,
    safe_nk_n: DEFAULT_MAGNITUDE_RULES.nkN,
    safe_nk_k: DEFAULT_MAGNITUDE_RULES.nkK,
    safe_pratio_p: DEFAULT_MAGNITUDE_RULES.p,
    check_missing_values: false,
    survival_safe_threshold: rules.minCount,
    // the protection layer shows zero counts (sdc.ts: rounding and the threshold protect them); the
    // config must say what was applied, or an ACRO reviewer reads every shown 0 as a breach
    zeros_are_disclosive: false,
    csc_rounding_base: rules.roundTo,
  };
}
