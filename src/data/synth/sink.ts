/**
 * Buffered synchronous line writer for the synthetic generator: bounded memory (flushes every
 * ~1 MB) and deterministic bytes (lines joined with '\n', no clocks). `lines` counts data lines,
 * not the header. Failure: throws (from fs) if the file cannot be opened or written.
 */
import * as fs from 'fs';

export class LineSink {
  private parts: string[] = [];
  private size = 0;
  private fd: number;
  lines = 0;
  constructor(file: string, header: string) {
    this.fd = fs.openSync(file, 'w');
    this.write(header);
    this.lines = 0;
  }
  write(line: string): void {
    this.parts.push(line, '\n');
    this.size += line.length + 1;
    this.lines++;
    if (this.size > 1 << 20) this.flush();
  }
  flush(): void {
    if (this.parts.length) fs.writeSync(this.fd, this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }
}
