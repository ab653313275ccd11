/**
 * Streaming CSV reader for extracts: RFC 4180 quoting (commas, quotes and newlines inside quoted
 * fields), UTF-8 only (a leading BOM is skipped), CRLF or LF. Reads the file in 8 MB chunks so a
 * large extract is never one string.
 *
 * Hand-written on bytes rather than a library: national extracts are ~1.5 GB / 10M rows, and the
 * loaders need per-field dates and codes, not row objects. Parsing on the Buffer lets a date field
 * become a day number and a repeated code an interned string without allocating a string per field
 * (arquero's fromCSV needs the whole file as one string; csv-parse et al. build a string[] per row).
 *
 * readCsvRows(file, what, onHeader, onRow): onRow(row, line) per data record, where `line` is the
 * 1-based line number the record starts on (the header is line 1) and `row` is a view that is only
 * valid during the call (row.text(i), row.day(i), row.isBlank(i)). readCsv(...) is the same with a
 * string[] of untrimmed fields per record (for callers that want plain arrays).
 * Failures (DataError, naming the file): missing file, empty file, bytes that are not UTF-8 (with
 * the line), unterminated quote.
 */
import * as fs from 'fs';
import { isUtf8 } from 'buffer';
import { DataError } from '../../src/data/errors';
import { parseDay, dayFromCivil, civilFromDay } from '../../src/data/dates';

/** A view of the current record; valid only inside onRow. Field indices beyond the record read as ''. */
export interface CsvRow {
  readonly fieldCount: number;
  /** field text with surrounding whitespace trimmed ('' when absent) */
  text(i: number): string;
  /** true when the trimmed field is empty or absent */
  isBlank(i: number): boolean;
  /** parseDay semantics (null when blank, NaN when not a date) without allocating for YYYY-MM-DD */
  day(i: number): number | null;
}

const MAX_INTERNED = 1 << 21;
const MAX_INTERN_LENGTH = 24;

class RowView implements CsvRow {
  buf: Buffer = Buffer.alloc(0);
  fieldCount = 0;
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  /** unescaped text for quoted fields (null for plain ones) */
  quoted: Array<string | null> = [];
  private internTable = new Map<number, string>();

  ensure(n: number): void {
    if (n <= this.starts.length) return;
    const s = new Int32Array(n * 2); s.set(this.starts); this.starts = s;
    const e = new Int32Array(n * 2); e.set(this.ends); this.ends = e;
  }

  /** trimmed bounds of field i are left in lo/hi (lo >= hi when blank); no tuple per call */
  private lo = 0;
  private hi = 0;
  private trim(i: number): void {
    let s = this.starts[i], e = this.ends[i];
    const b = this.buf;
    while (s < e && (b[s] === 32 || b[s] === 9 || b[s] === 13)) s++;
    while (e > s && (b[e - 1] === 32 || b[e - 1] === 9 || b[e - 1] === 13)) e--;
    this.lo = s; this.hi = e;
  }

  text(i: number): string {
    if (i < 0 || i >= this.fieldCount) return '';
    const q = this.quoted[i];
    if (q !== null && q !== undefined) return q.trim();
    this.trim(i);
    if (this.lo >= this.hi) return '';
    return this.intern(this.lo, this.hi);
  }

  isBlank(i: number): boolean {
    if (i < 0 || i >= this.fieldCount) return true;
    const q = this.quoted[i];
    if (q !== null && q !== undefined) return q.trim() === '';
    this.trim(i);
    return this.lo >= this.hi;
  }

  day(i: number): number | null {
    if (i < 0 || i >= this.fieldCount) return null;
    if (this.quoted[i] == null) {
      this.trim(i);
      const s = this.lo, e = this.hi;
      if (s >= e) return null;
      const b = this.buf;
      if (e - s === 10 && b[s + 4] === 45 && b[s + 7] === 45) {
        const y = digitsAt(b, s, 4), m = digitsAt(b, s + 5, 2), d = digitsAt(b, s + 8, 2);
        if (y >= 0 && m >= 1 && m <= 12 && d >= 1 && d <= 31) {
          const z = dayFromCivil(y, m, d);
          if (d <= 28 || civilFromDay(z)[2] === d) return z;
        }
        return NaN;
      }
    }
    return parseDay(this.text(i));
  }

  /** short ASCII fields repeat (codes, LAs, dates): share one string per distinct value */
  private intern(s: number, e: number): string {
    const b = this.buf;
    if (e - s > MAX_INTERN_LENGTH) return b.toString('utf8', s, e);
    let h = 0x811c9dc5;
    for (let k = s; k < e; k++) {
      const c = b[k];
      if (c >= 128) return b.toString('utf8', s, e);
      h = Math.imul(h ^ c, 0x01000193);
    }
    h = ((h ^ (e - s)) >>> 2); // small non-negative integer: a cheap Map key
    const hit = this.internTable.get(h);
    if (hit !== undefined && hit.length === e - s) {
      let same = true;
      for (let k = 0; k < hit.length; k++) if (hit.charCodeAt(k) !== b[s + k]) { same = false; break; }
      if (same) return hit;
    }
    const str = b.toString('latin1', s, e);
    if (hit === undefined && this.internTable.size < MAX_INTERNED) this.internTable.set(h, str);
    return str;
  }
}

function digitsAt(b: Buffer, from: number, n: number): number {
  let v = 0;
  for (let k = from; k < from + n; k++) {
    const c = b[k] - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

const CHUNK = 8 << 20;

/** options.chunkBytes: read size (default 8 MB; tests use tiny reads to put boundaries everywhere) */
export function readCsvRows(file: string, what: string, onHeader: (header: string[]) => void, onRow: (row: CsvRow, line: number) => void, options: { chunkBytes?: number } = {}): number {
  if (!fs.existsSync(file)) throw new DataError(`${what} not found: expected a CSV file at ${file}`, { file });
  const stat = fs.statSync(file);
  if (!stat.isFile()) throw new DataError(`${what}: ${file} is not a file`, { file });
  if (stat.size === 0) throw new DataError(`${what} is empty (0 bytes); expected a header row and data rows`, { file });
  const fd = fs.openSync(file, 'r');
  const row = new RowView();
  let buf = Buffer.allocUnsafe(Math.max(16, options.chunkBytes ?? CHUNK));
  let filled = 0;           // bytes in buf
  let validated = 0;        // buf[0..validated) checked as UTF-8
  let line = 1;             // line number at buf[0]
  let header: string[] | null = null;
  let rows = 0;
  let first = true;
  let eof = false;
  let unterminatedAt = -1;
  try {
    for (;;) {
      if (!eof) {
        if (filled === buf.length) { const bigger = Buffer.allocUnsafe(buf.length * 2); buf.copy(bigger, 0, 0, filled); buf = bigger; }
        const n = fs.readSync(fd, buf, filled, buf.length - filled, null);
        if (n === 0) eof = true;
        filled += n;
      }
      let start = 0;
      if (first && filled >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) start = 3;
      if (filled > 0) first = false;
      // validate whole lines only, so a multi-byte character split across reads is never judged early
      const validEnd = eof ? filled : buf.lastIndexOf(10, filled - 1) + 1;
      if (validEnd > validated) {
        if (!isUtf8(buf.subarray(validated, validEnd))) {
          const bad = validated + firstInvalidUtf8(buf.subarray(validated, validEnd));
          let at = line;
          for (let k = 0; k < bad; k++) if (buf[k] === 10) at++;
          throw new DataError(`${what} is not valid UTF-8 (invalid bytes at or after line ${at}); re-save the extract as UTF-8`, { file, row: at });
        }
        validated = validEnd;
      }
      row.buf = buf;
      // parse complete records in buf[start..validEnd)
      let p = start;
      const end = validEnd;
      for (;;) {
        if (p >= end) break;
        const recStart = p;
        const recLine = line;
        let nf = 0;
        let lines = 0;
        let complete = false;
        for (;;) {
          row.ensure(nf + 1);
          let fieldStart = p;
          if (p < end && buf[p] === 34) {
            // quoted field: unescape into a string; bytes after the closing quote are kept as text
            let q = p + 1;
            let text = '';
            let closed = false;
            while (q < end) {
              const c = buf[q];
              if (c === 34) {
                if (q + 1 < end && buf[q + 1] === 34) { text += buf.toString('utf8', fieldStart + 1, q + 1); q += 2; fieldStart = q - 1; continue; }
                if (q + 1 >= end && !eof) break; // cannot tell "" from " yet
                text += buf.toString('utf8', fieldStart + 1, q); closed = true; q++; break;
              }
              if (c === 10) lines++;
              q++;
            }
            if (!closed) {
              if (eof) { unterminatedAt = recLine; break; }
              complete = false; p = end; break; // need more bytes
            }
            let r = q;
            while (r < end && buf[r] !== 44 && buf[r] !== 10) r++;
            if (r >= end && !eof) { complete = false; p = end; break; }
            let tailEnd = r;
            if (r < end && buf[r] === 10 && tailEnd > q && buf[tailEnd - 1] === 13) tailEnd--;
            if (tailEnd > q) text += buf.toString('utf8', q, tailEnd);
            row.starts[nf] = q; row.ends[nf] = q; row.quoted[nf] = text; nf++;
            if (r >= end) { complete = true; p = end; break; }
            if (buf[r] === 10) { complete = true; lines++; p = r + 1; break; }
            p = r + 1;
            continue;
          }
          let r = p;
          while (r < end && buf[r] !== 44 && buf[r] !== 10) r++;
          if (r >= end && !eof) { complete = false; p = end; break; }
          let fe = r;
          if ((r >= end || buf[r] === 10) && fe > p && buf[fe - 1] === 13) fe--;
          row.starts[nf] = p; row.ends[nf] = fe; row.quoted[nf] = null; nf++;
          if (r >= end) { complete = true; p = end; break; }
          if (buf[r] === 10) { complete = true; lines++; p = r + 1; break; }
          p = r + 1;
        }
        if (unterminatedAt >= 0) break;
        if (!complete) { p = recStart; break; }
        line += lines;
        row.fieldCount = nf;
        if (header === null) {
          header = [];
          for (let i = 0; i < nf; i++) header.push(row.text(i));
          onHeader(header);
        } else if (!(nf === 1 && row.quoted[0] === null && row.starts[0] === row.ends[0])) {
          rows++;
          onRow(row, recLine);
        }
      }
      if (unterminatedAt >= 0) break;
      if (eof) {
        if (p < filled) unterminatedAt = line; // defensive: bytes left that no record consumed
        break;
      }
      // keep the unfinished record for the next read
      buf.copyWithin(0, p, filled);
      filled -= p;
      validated = Math.max(0, validated - p);
    }
  } finally {
    fs.closeSync(fd);
  }
  if (unterminatedAt >= 0) throw new DataError(`${what}: a quoted field starting on line ${unterminatedAt} is never closed`, { file, row: unterminatedAt });
  if (header === null) throw new DataError(`${what} has no header row`, { file });
  return rows;
}

/** Same as readCsvRows with the untrimmed fields of each record as a string[]. */
export function readCsv(file: string, what: string, onHeader: (header: string[]) => void, onRow: (fields: string[], line: number) => void, options: { chunkBytes?: number } = {}): number {
  return readCsvRows(file, what, onHeader, (row, line) => {
    const v = row as RowView;
    const fields: string[] = [];
    for (let i = 0; i < v.fieldCount; i++) {
      const q = v.quoted[i];
      fields.push(q !== null && q !== undefined ? q : v.buf.toString('utf8', v.starts[i], v.ends[i]));
    }
    onRow(fields, line);
  }, options);
}

/** byte offset of the first invalid UTF-8 sequence in buf (binary search over streamed prefixes; error path only) */
function firstInvalidUtf8(buf: Buffer): number {
  let lo = 0, hi = buf.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    try { new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, mid), { stream: true }); lo = mid; }
    catch { hi = mid - 1; }
  }
  return lo;
}
