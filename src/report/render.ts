/**
 * Renders a PublicationTable as HTML (notebooks, the HTML report), plain text, and CSV (for output
 * checking). The HTML wraps inside the page instead of overflowing, and tags its count cells for
 * `npm run check-outputs` as the disclosure layer's own tables do (data-sdc="count").
 */
import type { PublicationTable } from './modelTable';
import { asciiMinus } from '../display/numbers';
import { COLUMN_BUDGET, partCaption } from '../display/tableLayout';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const STYLE = 'border-collapse:collapse;font-size:0.85em;max-width:100%;table-layout:auto';
const TH = 'padding:0.2em 0.6em;border-bottom:1px solid #555;text-align:center;font-weight:600';

/**
 * The table as panels of whole models, each within the column budget of every rendered table
 * (display/tableLayout), repeating the label column: models side by side beyond the budget would
 * scroll sideways. Notes go under the last panel; the caption says "part k of n".
 */
export function modelPanels(t: PublicationTable, budget = COLUMN_BUDGET): PublicationTable[] {
  if (t.columns.length + 1 <= budget) return [t];
  const groups: Array<{ spanners: PublicationTable['spanners'][number][] }> = [];
  let width = Infinity;
  for (const s of t.spanners) {
    if (width + s.span > budget - 1) {
      groups.push({ spanners: [] });
      width = 0;
    }
    groups[groups.length - 1].spanners.push(s);
    width += s.span;
  }
  let start = 0;
  return groups.map((g, k) => {
    const span = g.spanners.reduce((a, s) => a + s.span, 0);
    const cut = <T>(xs: readonly T[]) => xs.slice(start, start + span);
    const part: PublicationTable = {
      ...t,
      caption: partCaption(t.caption ?? 'Table', { index: k + 1, of: groups.length }),
      columns: cut(t.columns),
      spanners: g.spanners,
      rows: t.rows.map((r) => ({ ...r, cells: cut(r.cells), ...(r.countCells ? { countCells: cut(r.countCells) } : {}) })),
      notes: k === groups.length - 1 ? t.notes : [],
    };
    start += span;
    return part;
  });
}

/** A publication table as HTML, carrying its disclosure rules in data-sdc-rules for the output checker; cells escaped; split into panels of whole models beyond the column budget. */
export function tableHtml(t: PublicationTable): string {
  return modelPanels(t).map(panelHtml).join('');
}

function panelHtml(t: PublicationTable): string {
  const parts: string[] = [`<table class="csc-pub" style="${STYLE}" data-sdc-rules="${esc(JSON.stringify(t.rules))}">`];
  if (t.caption) parts.push(`<caption style="text-align:left;font-weight:600;caption-side:top">${esc(t.caption)}</caption>`);
  parts.push('<thead>');
  if (t.spanners.length > 1 || t.spanners[0]?.label) {
    parts.push(`<tr><th style="${TH};border-bottom:none"></th>` + t.spanners.map((s) => `<th colspan="${s.span}" style="${TH}">${esc(s.label)}</th>`).join('') + '</tr>');
  }
  parts.push(`<tr><th style="${TH};text-align:left">Characteristic</th>` + t.columns.map((c) => `<th style="${TH}">${esc(c)}</th>`).join('') + '</tr>');
  parts.push('</thead><tbody>');
  let firstStat = true;
  for (const r of t.rows) {
    const top = r.kind === 'stat' && firstStat ? 'border-top:1px solid #555;' : '';
    if (r.kind === 'stat') firstStat = false;
    const labelStyle = `${top}padding:0.1em 0.6em;text-align:left;${r.indent ? 'padding-left:1.6em;' : ''}${r.kind === 'group' ? 'font-weight:600;' : ''}${r.kind === 'reference' ? 'color:#57606a;' : ''}`;
    const cells = r.cells.map((c, j) => {
      const count = r.countCells?.[j] ? ' data-sdc="count"' : '';
      return `<td${count} style="${top}padding:0.1em 0.6em;text-align:center;white-space:nowrap">${esc(c)}</td>`;
    }).join('');
    parts.push(`<tr class="${r.kind}"><td style="${labelStyle}">${esc(r.label)}</td>${cells}</tr>`);
  }
  parts.push('</tbody>');
  if (t.notes.length > 0) {
    parts.push(`<tfoot><tr><td colspan="${t.columns.length + 1}" style="text-align:left;font-size:0.85em;padding-top:0.3em;white-space:normal">${t.notes.map(esc).join('<br>')}</td></tr></tfoot>`);
  }
  parts.push('</table>');
  return `<div class="csc-pub-wrap" style="max-width:100%;overflow-x:auto">${parts.join('')}</div>`;
}

/** A publication table as aligned plain text (labels left, numbers right), caption and notes included; split into the same panels as tableHtml (modelPanels), a blank line between them. */
export function tableText(t: PublicationTable): string {
  return modelPanels(t).map(panelText).join('\n\n');
}

function panelText(t: PublicationTable): string {
  const header = ['', ...t.columns];
  const body = t.rows.map((r) => [(r.indent ? '  ' : '') + r.label, ...r.cells]);
  const widths = header.map((h, j) => Math.max(h.length, ...body.map((r) => r[j].length)));
  const line = (cells: string[]) => cells.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  ').trimEnd();
  const out: string[] = [];
  if (t.caption) out.push(t.caption);
  if (t.spanners.length > 1) {
    let pos = 1;
    out.push([''.padEnd(widths[0]), ...t.spanners.map((s) => {
      const w = widths.slice(pos, pos + s.span).reduce((a, b) => a + b, 0) + 2 * (s.span - 1);
      pos += s.span;
      return s.label.slice(0, w).padStart(w);
    })].join('  ').trimEnd());
  }
  out.push(line(header));
  for (const r of body) out.push(line(r));
  out.push(...t.notes);
  return out.join('\n');
}

function csvField(shown: string): string {
  // ASCII '-' so the numbers parse (HTML and text show U+2212).
  const s = asciiMinus(shown);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * CSV for output checking: one header row of the shown headers ("model: column", the label column
 * first as "characteristic"), cells as shown except that negative numbers keep ASCII '-' so they
 * parse; notes are left out.
 */
export function tableCsv(t: PublicationTable): string {
  const headers: string[] = ['characteristic'];
  let j = 0;
  for (const s of t.spanners) for (let k = 0; k < s.span; k++) headers.push(s.label ? `${s.label}: ${t.columns[j++]}` : t.columns[j++]);
  const lines = [headers.map(csvField).join(',')];
  for (const r of t.rows) lines.push([r.label, ...r.cells].map(csvField).join(','));
  return lines.join('\n') + '\n';
}
