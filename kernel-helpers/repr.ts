/**
 * reprBundle(value): what a notebook shows when a cell ends with an expression — short, like R's
 * print methods (print.coxph shows the coefficient table, not the object's 40 fields).
 *
 * - strings and other primitives: as they are (the same text tslab prints);
 * - disclosure-protected tables: through the protection layer's own rendering (tags kept);
 * - arquero tables and arrays of row objects: the first rows as a table (text + HTML);
 * - fits (anything with tidy()/summary()): one heading line, the coefficient table, warnings;
 *   counts (n, events) are left out here, as they would bypass disclosure control;
 * - anything else: util.inspect with depth, array and line limits.
 * Used by the notebook runner's worker and the Jupyter kernel wrapper for execute_result.
 */
import util from 'node:util';
import { isProtectedTable, tableBundle } from '../src/display/index';
import { extractTable, renderTableHtml, renderTableText } from './show';

export interface ReprBundle {
  'text/plain': string;
  'text/html'?: string;
}

const MAX_LINES = 40;
const MAX_ROWS = 20;

function truncateLines(text: string, max = MAX_LINES): string {
  const lines = text.split('\n');
  if (lines.length <= max) return text;
  return [...lines.slice(0, max), `… ${lines.length - max} more lines (show() or a field for all of it)`].join('\n');
}

function isRowArray(x: unknown): x is Record<string, unknown>[] {
  return Array.isArray(x) && x.length > 0 && x.every((r) => typeof r === 'object' && r !== null && !Array.isArray(r));
}

function isTable(x: unknown): boolean {
  return typeof x === 'object' && x !== null && typeof (x as { columnNames?: unknown }).columnNames === 'function' &&
    typeof (x as { objects?: unknown }).objects === 'function';
}

function isFit(x: unknown): boolean {
  return typeof x === 'object' && x !== null &&
    (typeof (x as { tidy?: unknown }).tidy === 'function' || typeof (x as { summary?: unknown }).summary === 'function');
}

function fitHeading(x: Record<string, unknown>): string {
  const kind = typeof x.kind === 'string' ? x.kind : (x.constructor && x.constructor !== Object ? x.constructor.name : 'model');
  const variance = typeof x.varianceType === 'string' ? `, ${x.varianceType} variance` : '';
  const ties = typeof x.ties === 'string' ? `, ${x.ties} ties` : '';
  return `${kind} fit${ties}${variance}`;
}

export function reprBundle(value: unknown): ReprBundle {
  if (value === null || typeof value !== 'object') {
    return { 'text/plain': typeof value === 'string' ? value : util.inspect(value) };
  }
  if (isProtectedTable(value)) {
    const b = tableBundle(value, {});
    return { 'text/plain': String(b.data['text/plain']), 'text/html': String(b.data['text/html']) };
  }
  if (isTable(value) || isRowArray(value) || isFit(value)) {
    try {
      const t = extractTable(value, MAX_ROWS);
      const opts = isFit(value) && !isTable(value) ? { caption: fitHeading(value as Record<string, unknown>) } : {};
      const warnings = (value as { warnings?: unknown }).warnings;
      const note = Array.isArray(warnings) && warnings.length > 0 ? warnings.map((w) => `Warning: ${String(w)}`) : undefined;
      return {
        'text/plain': renderTableText(t, { ...opts, note }),
        'text/html': renderTableHtml(t, { ...opts, note }),
      };
    } catch {
      // Not a table after all (e.g. summary() returns something else): fall through to inspect.
    }
  }
  return { 'text/plain': truncateLines(util.inspect(value, { depth: 2, maxArrayLength: 20, maxStringLength: 300, breakLength: 100 })) };
}
