// Buffered line writer of the generator (src/data/synth/sink): exact bytes across flushes.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { LineSink } from '../../../src/data/synth/sink';

describe('LineSink', () => {
  it('writes the header and every line in order, across >1 MB flushes, and counts data lines', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k13-sink-'));
    const file = path.join(dir, 'x.csv');
    const s = new LineSink(file, 'a,b');
    const lines = Array.from({ length: 60_000 }, (_, i) => `${i},${'x'.repeat(i % 50)}`);
    for (const l of lines) s.write(l);
    expect(s.lines).toBe(60_000);
    s.close();
    expect(fs.readFileSync(file, 'utf8')).toBe(['a,b', ...lines].join('\n') + '\n');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
