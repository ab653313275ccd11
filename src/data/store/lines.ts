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
  // the first line holding a NUL byte (0: none); head: the first bytes, to tell UTF-16 without a BOM
  let nulLine = 0, head = Buffer.alloc(0);
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
        head = Buffer.from(buf.subarray(0, Math.min(n, 64)));
      }
      for (let i = start; i < n; i++) {
        const b = buf[i];
        if (b === 10) {
          if (prevCr) { crlf++; cr--; } else lf++;
          prevCr = false;
        } else if (b === 13) { cr++; prevCr = true; }
        else { prevCr = false; if (b === countByte) counted++; else if (b === 0 && !nulLine) nulLine = lf + crlf + cr + 1; }
      }
      last = buf[n - 1];
      bytes += n;
    }
  } finally {
    fs.closeSync(fd);
  }
  if (bytes === 0 || (bom && bytes === 3)) throw new DataError(`${what} is empty (0 bytes)`, { file });
  if (nulLine) {
    // ASCII text in UTF-16 has a NUL in every other byte; anywhere else a NUL is binary or a damaged file. Either way no line can be trusted as text
    const zeros = (k: number): number => { let z = 0; for (let i = k; i < head.length; i += 2) if (head[i] === 0) z++; return z; };
    if (head.length >= 8 && Math.max(zeros(0), zeros(1)) >= head.length / 2 - 2) {
      throw new DataError(`${what} looks UTF-16 encoded without a byte-order mark (a NUL byte in every other position of the header); save it as UTF-8 CSV`, { file, row: 1 });
    }
    throw new DataError(`${what}: line ${nulLine} holds a NUL byte (0x00), which no text extract has: the file is damaged or not a text CSV (values on that line would be read wrong); remove the byte or export the extract again`, { file, row: nulLine });
  }
  const ends = lf + crlf + cr;
  const unterminated = last !== 10 && last !== 13 ? 1 : 0;
  // any CRLF: read as CRLF, where DuckDB also ends a line at a lone LF (told LF, it would end one at each CR too and count a CRLF line twice)
  const newline = crlf > 0 ? '\r\n' : lf > 0 ? '\n' : cr > 0 ? '\r' : '\n';
  return { lines: ends + unterminated, newline, bom, bytes, mixed: cr > 0 && lf + crlf > 0, uniform: [lf, crlf, cr].filter((x) => x > 0).length <= 1, counted: countByte < 0 ? -1 : counted };
}
