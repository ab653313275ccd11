/**
 * The independent physical-line count of a text file, from its bytes (not from any parser): the
 * accounting identity checks DuckDB's rows against it. Also names the line-end style (LF, CRLF,
 * CR-only, mixed), a UTF-8 byte-order mark, and UTF-16/32 files that no CSV reader should guess at.
 */
import * as fs from 'fs';
import { DataError } from '../errors';

export interface LineScan {
  /** physical lines including the header line; a final line without a line end counts */
  lines: number;
  newline: '\n' | '\r\n' | '\r';
  bom: boolean;
  bytes: number;
  /** CR-only line ends and LF (or CRLF) line ends both occur */
  mixed: boolean;
  /** one line-end style throughout (LF only, CRLF only or CR only) */
  uniform: boolean;
  /** occurrences of the byte asked for (the dialect's quote character), or -1 when none was asked for */
  counted: number;
}

const CHUNK = 8 << 20;

/** `countByte`: a byte to count on the way (the quote character: a file without one cannot merge lines, so the native CSV reader may read it) */
export function scanLines(file: string, what: string, countByte = -1): LineScan {
  if (!fs.existsSync(file)) throw new DataError(`${what} not found: expected a file at ${file}`, { file });
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.allocUnsafe(CHUNK);
  let lf = 0, crlf = 0, cr = 0, counted = 0, bytes = 0, last = -1, prevCr = false, first = true, bom = false;
  try {
    for (;;) {
      const n = fs.readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      let start = 0;
      if (first) {
        first = false;
        if (n >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))) {
          throw new DataError(`${what} is UTF-16 encoded (byte-order mark ${buf[0].toString(16)} ${buf[1].toString(16)}); save it as UTF-8 CSV`, { file, row: 1 });
        }
        if (n >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) { bom = true; start = 3; }
      }
      for (let i = start; i < n; i++) {
        const b = buf[i];
        if (b === 10) { if (prevCr) { crlf++; cr--; } else lf++; prevCr = false; }
        else if (b === 13) { cr++; prevCr = true; }
        else { prevCr = false; if (b === countByte) counted++; }
      }
      last = buf[n - 1];
      bytes += n;
    }
  } finally {
    fs.closeSync(fd);
  }
  if (bytes === 0 || (bom && bytes === 3)) throw new DataError(`${what} is empty (0 bytes)`, { file });
  const ends = lf + crlf + cr;
  const unterminated = last !== 10 && last !== 13 ? 1 : 0;
  const newline = lf + crlf > 0 ? (crlf > lf ? '\r\n' : '\n') : cr > 0 ? '\r' : '\n';
  return { lines: ends + unterminated, newline, bom, bytes, mixed: cr > 0 && lf + crlf > 0, uniform: [lf, crlf, cr].filter((x) => x > 0).length <= 1, counted: countByte < 0 ? -1 : counted };
}
