/**
 * Streaming CSV reader for extracts: RFC 4180 quoting (commas, quotes and newlines inside quoted
 * fields), UTF-8 only (a leading BOM is skipped), CRLF or LF. Reads the file in 4 MB chunks so a
 * large extract is never one string. Calls onRow(fields, line) per data record, where `line` is the
 * 1-based line number the record starts on (the header is line 1).
 * Failures (DataError, naming the file): missing file, empty file, bytes that are not UTF-8 (with
 * the line), unterminated quote.
 */
import * as fs from 'fs';
import { DataError } from './errors';

export function readCsv(file: string, what: string, onHeader: (header: string[]) => void, onRow: (fields: string[], line: number) => void): number {
  if (!fs.existsSync(file)) throw new DataError(`${what} not found: expected a CSV file at ${file}`, { file });
  const stat = fs.statSync(file);
  if (!stat.isFile()) throw new DataError(`${what}: ${file} is not a file`, { file });
  if (stat.size === 0) throw new DataError(`${what} is empty (0 bytes); expected a header row and data rows`, { file });
  const fd = fs.openSync(file, 'r');
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const buf = Buffer.allocUnsafe(4 << 20);
  let fields: string[] = [];
  let field = '';
  let inQuotes = false;
  let quoteJustClosed = false;
  let line = 1;
  let recordLine = 1;
  let header: string[] | null = null;
  let rows = 0;
  let first = true;
  let fieldHasContent = false;
  const endRecord = (): void => {
    if (field.charCodeAt(field.length - 1) === 13) field = field.slice(0, -1);
    fields.push(field);
    field = '';
    fieldHasContent = false;
    if (header === null) {
      header = fields.map((h) => h.trim());
      onHeader(header);
    } else if (!(fields.length === 1 && fields[0] === '')) {
      rows++;
      onRow(fields, recordLine);
    }
    fields = [];
  };
  try {
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      let text: string;
      try {
        text = n > 0 ? decoder.decode(buf.subarray(0, n), { stream: true }) : decoder.decode();
      } catch {
        const bad = firstInvalidUtf8(buf, n);
        let at = line;
        for (let k = 0; k < bad; k++) if (buf[k] === 10) at++;
        throw new DataError(`${what} is not valid UTF-8 (invalid bytes at or after line ${at}); re-save the extract as UTF-8`, { file, row: at });
      }
      let i = 0;
      if (first && text.charCodeAt(0) === 0xfeff) i = 1;
      if (text.length) first = false;
      const len = text.length;
      let fieldStart = i;
      // slice whole fields out of the chunk instead of appending characters (far less garbage)
      while (i < len) {
        if (inQuotes) {
          const q = text.indexOf('"', i);
          const stop = q < 0 ? len : q;
          for (let k = i; k < stop; k++) if (text.charCodeAt(k) === 10) line++;
          field += text.slice(i, stop);
          if (q < 0) { i = len; fieldStart = len; break; }
          if (q + 1 < len) {
            if (text.charCodeAt(q + 1) === 34) { field += '"'; i = q + 2; continue; }
            inQuotes = false; i = q + 1; fieldStart = i; continue;
          }
          inQuotes = false; quoteJustClosed = true; i = q + 1; fieldStart = i; break;
        }
        if (quoteJustClosed) {
          quoteJustClosed = false;
          if (text.charCodeAt(i) === 34) { field += '"'; inQuotes = true; i++; continue; }
        }
        const ch = text.charCodeAt(i);
        if (ch === 44) { fields.push(field + text.slice(fieldStart, i)); field = ''; fieldHasContent = false; i++; fieldStart = i; }
        else if (ch === 10) { field += text.slice(fieldStart, i); endRecord(); line++; recordLine = line; i++; fieldStart = i; }
        else if (ch === 34 && i === fieldStart && field === '' && !fieldHasContent) { inQuotes = true; fieldHasContent = true; i++; fieldStart = i; }
        else i++;
      }
      if (!inQuotes && fieldStart < len) field += text.slice(fieldStart, len);
      if (n === 0) break;
    }
  } finally {
    fs.closeSync(fd);
  }
  if (inQuotes) throw new DataError(`${what}: a quoted field starting on line ${recordLine} is never closed`, { file, row: recordLine });
  if (field !== '' || fields.length) endRecord();
  if (header === null) throw new DataError(`${what} has no header row`, { file });
  return rows;
}

/** byte offset of the first invalid UTF-8 sequence in buf[0..n) (binary search over streamed prefixes; error path only) */
function firstInvalidUtf8(buf: Buffer, n: number): number {
  let lo = 0, hi = n;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    try { new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, mid), { stream: true }); lo = mid; }
    catch { hi = mid - 1; }
  }
  return lo;
}
