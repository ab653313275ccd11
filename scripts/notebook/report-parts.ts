/**
 * Parts of the rendered report around the cells: the table of contents, the parameters shown in
 * the header, and the code-folding toggle (as Quarto's `code-fold: true`: every code cell folded
 * in a <details> element, which works with JS off; one button opens or closes them all).
 */
import { cellTags, sourceText, type Notebook } from './nbformat';

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export interface Heading { depth: number; text: string; id: string }

/** A URL fragment for a heading; numbered when the same text occurs twice. */
export function headingId(text: string, taken: Set<string>): string {
  const base = text.toLowerCase().replace(/<[^>]*>/g, '').replace(/&[a-z]+;/g, '')
    .replace(/[^a-z0-9\s-]/g, '').trim().replace(/\s+/g, '-') || 'section';
  let id = base;
  for (let k = 2; taken.has(id); k++) id = `${base}-${k}`;
  taken.add(id);
  return id;
}

/** Table of contents of the headings of depth 2–3 (the title, depth 1, is the page's header). */
export function renderToc(headings: Heading[]): string {
  const items = headings.filter((h) => h.depth >= 2 && h.depth <= 3);
  if (items.length < 2) return '';
  const li = items.map((h) => `<li class="toc-${h.depth}"><a href="#${h.id}">${h.text}</a></li>`).join('\n');
  return `<nav class="toc" aria-label="Contents"><div class="toc-title">Contents</div><ul>\n${li}\n</ul></nav>`;
}

export interface ParameterRow { name: string; value: string; note: string; overridden: boolean }

/**
 * The parameters the notebook ran with: every `const|let name[: T] = value` of the cell tagged
 * `parameters` (its comment line above as the note), with --param overrides replacing the value.
 */
export function parameterRows(nb: Notebook, overrides: Record<string, unknown> = {}): ParameterRow[] {
  const cell = nb.cells.find((c) => c.cell_type === 'code' && cellTags(c).includes('parameters'));
  if (!cell) return [];
  const rows: ParameterRow[] = [];
  let comment = '';
  for (const line of sourceText(cell.source).split('\n')) {
    const c = /^\s*\/\/\s?(.*)$/.exec(line);
    if (c) { comment = c[1].trim(); continue; }
    const m = /^\s*(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::\s*(?:[^=]|=>)+?)?\s*=(?!>)\s*(.+?);?\s*$/.exec(line);
    if (!m) { if (line.trim() === '') comment = ''; continue; }
    const overridden = Object.prototype.hasOwnProperty.call(overrides, m[1]);
    rows.push({ name: m[1], value: overridden ? JSON.stringify(overrides[m[1]]) : m[2], note: comment, overridden });
  }
  return rows;
}

export function renderParameters(rows: ParameterRow[]): string {
  if (rows.length === 0) return '';
  // A comment above several parameters describes the group: one cell spanning them, not repeated per row.
  const span = (i: number): number => {
    let k = 1;
    while (i + k < rows.length && rows[i + k].note === rows[i].note) k++;
    return k;
  };
  const tr = rows.map((r, i) => {
    const first = i === 0 || rows[i - 1].note !== r.note;
    const n = first ? span(i) : 0;
    const note = !first ? '' : `<td${n > 1 ? ` rowspan="${n}"` : ''}>${escapeHtml(r.note)}</td>`;
    return `<tr><td><code>${escapeHtml(r.name)}</code></td><td><code>${escapeHtml(r.value)}</code>${r.overridden ? ' <span class="tag">--param</span>' : ''}</td>${note}</tr>`;
  }).join('\n');
  return `<details class="params" open><summary>Parameters used</summary><table class="params"><thead><tr><th>name</th><th>value</th><th>meaning</th></tr></thead><tbody>\n${tr}\n</tbody></table></details>`;
}

/** The "show/hide all code" button; without JS each cell's own <details> still opens. */
export const FOLD_TOGGLE = `<button type="button" class="fold-all" hidden>Show all code</button>
<script>(function () {
  var b = document.querySelector('button.fold-all');
  if (!b) return;
  b.hidden = false;
  b.addEventListener('click', function () {
    var open = b.textContent === 'Show all code';
    document.querySelectorAll('details.code-fold').forEach(function (d) { d.open = open; });
    b.textContent = open ? 'Hide all code' : 'Show all code';
  });
})();</script>`;

export const REPORT_CSS = `
@media (min-width: 1500px) { nav.toc { position: fixed; left: 1em; top: 2em; width: 15em; max-height: 90vh; overflow-y: auto; } }
nav.toc { font-size: 0.85em; border-left: 2px solid #d0d7de; padding-left: 0.8em; margin: 1em 0; }
nav.toc ul { list-style: none; padding: 0; margin: 0; } nav.toc li.toc-3 { padding-left: 1em; }
nav.toc a { color: #0969da; text-decoration: none; } .toc-title { font-weight: 600; }
details.code-fold > summary { cursor: pointer; color: #57606a; font-size: 0.8em; font-family: monospace; }
details.code-fold[open] > summary { margin-bottom: 0.2em; }
button.fold-all { font-size: 0.8em; margin: 0.4em 0; }
details.params { margin: 0.5em 0; } table.params { border-collapse: collapse; font-size: 0.85em; }
table.params td, table.params th { border-bottom: 1px solid #d0d7de; padding: 0.1em 0.6em; text-align: left; vertical-align: top; }
pre.source, pre.out { white-space: pre-wrap; overflow-wrap: anywhere; }
`;
