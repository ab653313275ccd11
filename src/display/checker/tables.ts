// Output checking of rendered HTML tables: every cell a reader sees, tagged or not.
import { SDC_SUPPRESSED } from '../sdc';
import { formatEstimate } from '../../core/numberStyle';
import {
  HtmlTable, numbersIn, soleNumber, isIdentifierColumn, isIdentifierValue,
  COUNT_LABEL, PERSON_TIME_LABEL, MIN_MAX_LABEL, TRUTH_LABEL, PERCENT_LABEL, CI_LABEL, MEAN_LABEL, DF_LABEL,
} from './parse';
import { CheckContext, Report, checkCount, effectiveRules } from './report';

export type ColumnKind = 'count' | 'person-time' | 'percent' | 'mean' | 'min-max' | 'df' | 'other';

/** A table as seen by the differencing check: labels, column kinds and shown values. */
export interface SeenTable {
  output: string;
  columns: string[];
  kinds: ColumnKind[];
  labels: string[];
  /** number shown, 'suppressed', or null (blank / text). */
  values: Array<Array<number | 'suppressed' | null>>;
}

export const ROW_COUNT_LABEL = /^(n|n obs|nobs|n events|observations|obs|episodes|events|children|pupils|number|count|total n|sample size|n \(events\))\b/i;
const BELOW = /^\s*[<≤]/;
const BANDED = /^\s*[<>≤≥]|\d\s*[–-]\s*\d|\d\s*\+\s*$|\bto\b/;
const SUPPRESSED_TEXT = new Set([SDC_SUPPRESSED, '[c]', '[x]', '[z]', '*', '~', 'c', 'suppressed', '[low]']);

export function columnKind(header: string, tagged: boolean): ColumnKind {
  const h = header.trim();
  if (tagged) return 'count';
  if (DF_LABEL.test(h)) return 'df';
  if (PERSON_TIME_LABEL.test(h)) return 'person-time';
  if (MIN_MAX_LABEL.test(h) && !/^(from|to)$/i.test(h) && !TRUTH_LABEL.test(h)) return 'min-max';
  if (PERCENT_LABEL.test(h)) return CI_LABEL.test(h) ? 'other' : 'percent';
  if (MEAN_LABEL.test(h)) return 'mean';
  if (COUNT_LABEL.test(h) && !CI_LABEL.test(h)) return 'count';
  return 'other';
}

export function checkTable(t: HtmlTable, ctx: CheckContext, report: Report, outputName: string): SeenTable {
  const what = `table${t.caption ? ` "${t.caption}"` : ''}`;
  if (t.rules === null) report('metadata', `${what} has unreadable data-sdc-rules`, t.rawRules?.slice(0, 80));
  const rules = effectiveRules(t.rules, ctx.rules, report, what);
  const ncol = Math.max(t.headers.length, ...t.rows.map((r) => r.length), 0);
  const headers = Array.from({ length: ncol }, (_, j) => t.headers[j]?.text ?? `column ${j + 1}`);
  // A column named after a source row (a transposed table's "first referrals") holds what its row's
  // label says: the kind of each of its cells is read off the row label ("N", "Residual df"), never the name.
  const named = headers.map((_, j) => t.headers[j]?.names === true);
  const kinds = headers.map((h, j) => (named[j] ? 'other' : columnKind(h, t.headers[j]?.tagged ?? false)));
  const taggedColumn = headers.map((_, j) => (t.headers[j]?.tagged ?? false) || t.rows.some((r) => r[j]?.tagged));
  const seen: SeenTable = { output: outputName, columns: headers, kinds, labels: [], values: [] };

  for (const [j, h] of headers.entries()) if (isIdentifierColumn(h)) report('identifier', `${what} column "${h}" looks like a record identifier`, h);
  if (t.rows.length > ctx.maxTableRows) {
    report('record-level', `${what} has ${t.rows.length} rows (more than ${ctx.maxTableRows}); aggregate tables are smaller`, String(t.rows.length));
  }
  checkIdentifierValues(t, headers, what, report);

  t.rows.forEach((row, ri) => {
    const label = row[0]?.text ?? '';
    seen.labels.push(label);
    const rowIsDf = DF_LABEL.test(label);
    // "Events per coefficient" starts like a count row but holds a ratio, judged by the df rule.
    const rowIsCount = ROW_COUNT_LABEL.test(label) && !rowIsDf;
    const rowIsMinMax = MIN_MAX_LABEL.test(label) && !/^(from|to)$/i.test(label) && !TRUTH_LABEL.test(label);
    const counts: number[] = [];
    const vals: Array<number | 'suppressed' | null> = [];
    row.forEach((cell, j) => {
      const where = `in ${what}, column "${headers[j]}", row ${ri + 1}${label ? ` ("${label}")` : ''}`;
      const text = cell.text;
      const kind = named[j] ? columnKind(label, cell.tagged) : kinds[j];
      const sole = soleNumber(text);
      vals.push(SUPPRESSED_TEXT.has(text.trim().toLowerCase()) || text.trim() === SDC_SUPPRESSED ? 'suppressed' : sole);
      if (j === 0 && !cell.tagged && kind !== 'count') return;
      const nums = numbersIn(text);
      if (nums.length === 0) return;
      if (taggedColumn[j] && !cell.tagged && kind === 'count') report('untagged-count', `untagged count cell ${where}`, text);
      const isCount = cell.tagged || kind === 'count' || (rowIsCount && j > 0);
      if (isCount) {
        for (const n of nums) {
          if (n.percent) continue;
          if (n.decimals > 0 && !cell.tagged && kind !== 'count') continue; // an estimate in a count row
          checkCount(n.value, rules, report, where, n.raw);
          counts.push(n.value);
        }
      }
      if (kind === 'person-time') for (const n of nums) checkCount(n.value, rules, report, `(person-time) ${where}`, n.raw);
      if ((kind === 'min-max' || (rowIsMinMax && j > 0)) && !BANDED.test(text)) {
        report('min-max', `minimum/maximum ${text} ${where} is a single record's value; show it banded`, text);
      }
      if (kind === 'df' || (rowIsDf && j > 0)) {
        // "<10" (a model table's flag for a model below the rule) is below the threshold too.
        const below = BELOW.test(text) || nums.some((n) => n.value < rules.minCount);
        if (below) report('model-df', `residual df / events per coefficient ${text.trim()} ${where} below ${rules.minCount}`, text.trim());
      }
    });
    // Percentages: a group's 0% or 100%, or a small numerator/complement against the row's denominator.
    const denominator = counts.length > 0 ? Math.max(...counts) : null;
    row.forEach((cell, j) => {
      if ((named[j] ? columnKind(label, cell.tagged) : kinds[j]) !== 'percent') return;
      const where = `in ${what}, column "${headers[j]}", row ${ri + 1}${label ? ` ("${label}")` : ''}`;
      const first = numbersIn(cell.text)[0];
      if (!first) return;
      const p = first.value;
      if (p === 0 || p === 100) report('percentage', `${first.raw}${first.percent ? '' : '%'} ${where} discloses something about every member of a group`, cell.text);
      else if (denominator !== null && denominator > 0) {
        const k = (p / 100) * denominator;
        if (k < rules.minCount || denominator - k < rules.minCount) {
          report('percentage', `${cell.text} of ${denominator} ${where} implies a numerator or complement of about ${formatEstimate(k < rules.minCount ? k : denominator - k, 1)}, below ${rules.minCount}`, cell.text);
        }
      }
    });
    seen.values.push(vals);
  });
  return seen;
}

function checkIdentifierValues(t: HtmlTable, headers: string[], what: string, report: Report): void {
  headers.forEach((h, j) => {
    const values = t.rows.map((r) => r[j]?.text ?? '').filter((v) => v !== '');
    const ids = values.filter(isIdentifierValue);
    const dates = ids.filter((v) => /^\d{4}-\d{2}-\d{2}$|^\d{2}\/\d{2}\/\d{4}$/.test(v));
    const codes = ids.length - dates.length;
    if (codes >= 2 || dates.length >= 5) {
      report('identifier', `${what} column "${h}" holds ${ids.length} identifier-like values (e.g. ${ids[0]})`, ids[0]);
    }
  });
}
