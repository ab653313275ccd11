/**
 * CSV ingest into the store. DuckDB reads each physical line as one value with the dialect declared
 * (no sniffing, no quote handling at this stage), so every record keeps its physical line number and a
 * stray quote cannot merge lines. Lines DuckDB cannot read (bytes that are not UTF-8, ...) land in its
 * rejects table with their line. Fields are then split in SQL with the declared delimiter and quote,
 * and the line-level rules (blank line, unbalanced quotes, field count) run as SQL over all lines.
 */
import * as path from 'path';
import { DataError } from '../errors';
import { Store, lit, ident, fileValue } from './db';
import { scanLines } from './lines';
import type { LineScan } from './lines';
import { addFinding } from './findings';
import { firstLine, readNative } from './csvNative';

export interface CsvDialect {
  /** field delimiter; default ',' */
  delimiter?: string;
  /** quote character; default '"' (a doubled quote inside a quoted field is one quote) */
  quote?: string;
}

export interface CsvIngestSpec {
  source: string;
  what: string;
  file: string;
  /** canonical field -> column name in the file */
  columns: Record<string, string>;
  required: string[];
  /** fields whose absence is not worth a warning (synthetic-only columns) */
  silent?: string[];
  /** what becomes unavailable when an optional field's column is missing */
  consequences?: Record<string, string>;
  dialect?: CsvDialect;
  /** name of the table to create: file, line INTEGER + one VARCHAR column per canonical field (NULL when absent), then helper columns */
  table: string;
}

export interface CsvIngestResult {
  scan: LineScan;
  header: string[];
  /** data lines DuckDB read (good + rejected); must equal scan.lines - 1 */
  rowsRead: number;
  /** canonical fields whose column is present */
  present: Set<string>;
}

const US = String.fromCharCode(31);
let seq = 0;

/** the header as an SQL list of names, for naming a field by its position */
function sqlHeader(header: string[]): string {
  return `[${header.map((h) => lit(h)).join(', ')}]`;
}

function reEscape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The header's checks: a mapped column named twice is an error, an unmapped one a warning; a missing
 * required column an error, a missing optional one a warning naming what becomes unavailable. Returns
 * each header name's first position and the canonical fields present.
 */
async function checkHeader(store: Store, spec: CsvIngestSpec, header: string[]): Promise<{ pos: Map<string, number>; present: Set<string> }> {
  const { file, what, source } = spec;
  const base = path.basename(file);
  // duplicate header names: ambiguous when mapped, a warning otherwise
  const counts = new Map<string, number>();
  for (const h of header) counts.set(h, (counts.get(h) ?? 0) + 1);
  const mapped = new Map(Object.entries(spec.columns).map(([f, c]) => [c, f] as [string, string]));
  for (const [h, n] of counts) {
    if (n < 2) continue;
    if (mapped.has(h)) throw new DataError(`${what}: column '${h}' (field ${mapped.get(h)}) appears ${n} times in the header (duplicate, ambiguous): which copy holds ${mapped.get(h)} cannot be told; remove or rename one`, { file, row: 1, field: h });
    await addFinding(store, { source, file, line: 1, field: h, value: h, rule: 'duplicate_header', action: 'warning', message: `column '${h}' appears ${n} times in the header (duplicate name); it is not mapped, so it is not read` });
  }
  const pos = new Map<string, number>();
  header.forEach((h, i) => { if (!pos.has(h)) pos.set(h, i); });
  const present = new Set<string>();
  const missingReq: string[] = [];
  for (const [field, col] of Object.entries(spec.columns)) {
    if (pos.has(col)) { present.add(field); continue; }
    if (spec.required.includes(field)) missingReq.push(`'${col}' (field ${field})`);
    else if (!spec.silent?.includes(field)) {
      const why = spec.consequences?.[field] ?? `${field} is missing for every row`;
      await addFinding(store, { source, file, line: 1, field: col, value: '', rule: 'missing_optional_column', action: 'warning', message: `mapped column '${col}' (${field}) not found in the header of ${base}: ${why}` });
    }
  }
  if (missingReq.length) {
    // a one-column header holding another delimiter: the dialect was not declared (it is never sniffed)
    const other = header.length === 1 ? ([['\t', 'tab'], [';', 'semicolon'], ['|', 'pipe'], [',', 'comma']] as const).find(([c]) => c !== (spec.dialect?.delimiter ?? ',') && header[0].includes(c)) : undefined;
    const hint = other ? `; the header reads as one column holding ${other[1]}s, so the file looks ${other[1]}-delimited: declare dialect: { delimiter: ${JSON.stringify(other[0])} } (the dialect is never guessed)` : '';
    throw new DataError(`${what}: required column${missingReq.length > 1 ? 's' : ''} ${missingReq.join(', ')} not found in the header${hint}; columns present: ${header.join(', ')}. Pass a mapping to loadStudyData if the extract names them differently`, { file, row: 1 });
  }
  return { pos, present };
}

/**
 * The fast path (csvNative.ts) for a file with no quote character, one line-end style and a header of
 * two or more fields; null when it does not apply or its read is not exact (then the line path runs).
 */
async function ingestNative(store: Store, spec: CsvIngestSpec, scan: LineScan, delim: string, nl: string): Promise<CsvIngestResult | null> {
  const first = await firstLine(store, spec.file, `delim = ${lit(US)}, quote = '', escape = '', auto_detect = false, new_line = '${nl}', strict_mode = false, max_line_size = 16777216`);
  if (first === null) return null;
  const header = first.split(delim).map((h) => h.trim());
  if (header.length < 2) return null;
  const at = new Map<string, number>();
  header.forEach((h, i) => { if (!at.has(h)) at.set(h, i + 1); });
  const select = Object.entries(spec.columns).map(([f, c]): [string, number | null] => [f, at.get(c) ?? null]);
  if (!(await readNative(store, spec.file, scan, delim, nl, header.length, select, spec.table))) return null;
  const { present } = await checkHeader(store, spec, header);
  return { scan, header, rowsRead: scan.lines - 1, present };
}

export async function ingestCsv(store: Store, spec: CsvIngestSpec): Promise<CsvIngestResult> {
  const { file, what, source } = spec;
  const delim0 = spec.dialect?.delimiter ?? ',', quote0 = spec.dialect?.quote ?? '"';
  const scan = scanLines(file, what, quote0.length === 1 && quote0.charCodeAt(0) < 128 ? quote0.charCodeAt(0) : -1);
  if (scan.mixed) throw new DataError(`${what}: mixed line ends (some lines end in CR only, others in LF); re-save the file with one line-end style`, { file });
  const delim = delim0, quote = quote0;
  // DuckDB splits on a lone CR too when told '\n', so a CRLF file must be declared as CRLF (else every line counts twice)
  const nl = scan.newline === '\r' ? '\\r' : scan.newline === '\r\n' ? '\\r\\n' : '\\n';
  const native = scan.counted === 0 && scan.uniform && delim.length === 1 ? await ingestNative(store, spec, scan, delim, nl) : null;
  if (native) return native;
  const k = seq++;
  const lines = `lines_${k}`, rej = `rej_${k}`, rejScan = `rejscan_${k}`, fld = `fields_${k}`;
  // one physical line = one value: delimiter a control character, no quoting, no type sniffing
  await store.exec(`CREATE OR REPLACE TEMP TABLE ${lines} AS SELECT ${scan.newline === '\r' ? 'l' : `rtrim(l, chr(13))`} AS l FROM read_csv(${lit(file)},
    columns = {'l': 'VARCHAR'}, header = false, delim = ${lit(US)}, quote = '', escape = '', auto_detect = false,
    new_line = '${nl}', store_rejects = true, rejects_table = '${rej}', rejects_scan = '${rejScan}', strict_mode = false, max_line_size = 16777216)`);
  const good = Number(await store.scalar(`SELECT count(*) FROM ${lines}`));
  const badLines = (await store.columns(`SELECT line::INTEGER AS line, first(error_type) AS error_type, first(csv_line) AS csv_line, first(error_message) AS msg FROM ${rej} GROUP BY line ORDER BY line`));
  const nBad = badLines.line.length;
  const total = good + nBad;
  if (total !== scan.lines) {
    throw new DataError(`${what}: accounting identity broken: the file has ${scan.lines} physical lines but DuckDB read ${good} and rejected ${nBad}; the file may hold NUL bytes or an unusual line end`, { file });
  }
  if (nBad && (badLines.line as number[]).includes(1)) throw new DataError(`${what}: the header line cannot be read (${badLines.msg[0]})`, { file, row: 1 });
  // physical line of each good value: the k-th line number not rejected
  const lineExpr = nBad === 0 ? 'rowid + 1' : 'n.line';
  const join = nBad === 0 ? '' : `JOIN (SELECT line, row_number() OVER (ORDER BY line) - 1 AS k FROM (SELECT (range + 1)::INTEGER AS line FROM range(${total})) WHERE line NOT IN (SELECT line FROM ${rej})) n ON n.k = g.rowid`;
  const d = lit(delim), q = lit(quote);
  const fieldRe = lit(`${reEscape(delim)}(${reEscape(quote)}(?:[^${reEscape(quote)}]|${reEscape(quote)}${reEscape(quote)})*${reEscape(quote)}|[^${reEscape(delim)}${reEscape(quote)}]*)`);
  const split = (l: string): string => `CASE WHEN ${l} IS NULL THEN NULL
           WHEN NOT contains(${l}, ${q}) THEN string_split(${l}, ${d})
           ELSE list_transform(regexp_extract_all(${d} || ${l}, ${fieldRe}, 1),
                x -> CASE WHEN starts_with(x, ${q}) AND length(x) >= 2 THEN replace(x[2:-2], ${q} || ${q}, ${q}) ELSE x END)
      END`;
  const headerRow = await store.rows(`SELECT ${split('l')} AS f, length(l) - length(replace(l, ${q}, '')) AS nq FROM (SELECT l FROM ${lines} WHERE rowid = 0)`);
  if (!headerRow.length || !headerRow[0].f) throw new DataError(`${what}: the first line (the header) is blank`, { file, row: 1 });
  if (Number(headerRow[0].nq) % 2 === 1) throw new DataError(`${what}: the header line has an unmatched quote character`, { file, row: 1 });
  const header = (headerRow[0].f as string[]).map((h) => h.trim());
  const { pos, present } = await checkHeader(store, spec, header);
  const H = header.length;
  // one pass over the lines: split, line-level rules (blank line, unbalanced quotes, field count), mapped columns
  // (one VARCHAR per canonical field, trimmed; '' for blank); the raw line is kept only for lines a rule excludes
  const cols = Object.entries(spec.columns).map(([field, col]) => (pos.has(col) ? `trim(f[${(pos.get(col) as number) + 1}]) AS ${ident(field)}` : `NULL::VARCHAR AS ${ident(field)}`));
  await store.exec(`CREATE OR REPLACE TEMP TABLE ${fld} AS SELECT ${fileValue(store, file)} AS file, line, ${cols.join(', ')}, rule, nq, nf, CASE WHEN rule IS NOT NULL THEN l END AS bad_l
    FROM (SELECT *, len(f) AS nf,
        -- the usual good line first (H fields, balanced quotes; with H > 1 it holds a delimiter, so it is not blank): no trim for it
        CASE WHEN len(f) = ${H} AND nq % 2 = 0 AND ${H > 1 ? 'true' : `trim(l) <> ''`} THEN NULL
          WHEN l IS NULL OR trim(l) = '' THEN 'blank_line' WHEN nq % 2 = 1 THEN 'unbalanced_quotes' WHEN len(f) <> ${H} THEN 'field_count' END AS rule
      FROM (SELECT (${lineExpr})::INTEGER AS line, g.l, CASE WHEN contains(g.l, ${q}) THEN length(g.l) - length(replace(g.l, ${q}, '')) ELSE 0 END AS nq, ${split('g.l')} AS f FROM ${lines} g ${join}))
    WHERE line > 1`);
  // the column of an unmatched quote: the last delimiter-separated piece at which the running count of quotes turns odd, less
  // the delimiters before it that sit inside quotes (after a piece with an odd running count), gives its field in the header
  const oddAt = `list_filter(range(1, len(qn) + 1), i -> qn[i] % 2 = 1 AND (i = 1 OR qn[i - 1] % 2 = 0))[-1]`;
  const quoteCol = `CASE WHEN rule = 'unbalanced_quotes' THEN coalesce(${sqlHeader(header)}[${oddAt} - len(list_filter(range(1, ${oddAt}), j -> qn[j] % 2 = 1))], '') ELSE '' END`;
  await store.exec(`INSERT INTO findings SELECT ${lit(source)}, ${lit(file)}, line, ${quoteCol}, CASE WHEN rule = 'blank_line' THEN '' ELSE left(bad_l, 200) END, rule, 'excluded',
      CASE rule WHEN 'blank_line' THEN 'line ' || line || ' is blank'
        WHEN 'unbalanced_quotes' THEN 'line ' || line || ' has an unmatched quote character (' || nq || ' quotes): a quoted field would run on into the following lines; the line is excluded, not merged with them'
        ELSE 'line ' || line || ' has ' || nf || ' fields but the header has ${H} (' || CASE WHEN nf > ${H} THEN (nf - ${H}) || ' extra field(s): too many' ELSE (${H} - nf) || ' fewer: short or truncated row' END || ')' END, NULL
    FROM (SELECT *, CASE WHEN rule = 'unbalanced_quotes' THEN list_transform(range(1, len(string_split(bad_l, ${d})) + 1), i -> length(array_to_string(string_split(bad_l, ${d})[1:i], '')) - length(replace(array_to_string(string_split(bad_l, ${d})[1:i], ''), ${q}, ''))) END AS qn
      FROM ${fld} WHERE rule IS NOT NULL)`);
  if (nBad) {
    await store.exec(`INSERT INTO findings SELECT ${lit(source)}, ${lit(file)}, line::INTEGER, '', left(first(csv_line), 200),
      CASE WHEN first(error_type) LIKE '%ENCODING%' OR first(error_type) LIKE '%UNICODE%' THEN 'encoding' ELSE 'unreadable_line' END, 'excluded',
      CASE WHEN first(error_type) LIKE '%ENCODING%' OR first(error_type) LIKE '%UNICODE%'
           THEN 'line ' || line || ' is not valid UTF-8 (the file looks like Windows-1252/Latin-1 or another encoding); re-save the extract as UTF-8'
           ELSE 'line ' || line || ' could not be read: ' || first(error_message) END, NULL
      FROM ${rej} GROUP BY line`);
  }
  // excluded lines leave the staged table (its columns rule, nq, nf, bad_l stay, unread: callers select fields by name)
  await store.exec(`DELETE FROM ${fld} WHERE rule IS NOT NULL`);
  await store.exec(`DROP TABLE ${lines}; ALTER TABLE ${fld} RENAME TO ${spec.table}`);
  return { scan, header, rowsRead: total - 1, present };
}
