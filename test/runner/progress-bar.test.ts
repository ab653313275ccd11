import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { createRunBars, wantBars } from '../../scripts/notebook/progress-bar';

function fakeTty(): NodeJS.WriteStream & { text: () => string } {
  const s = new PassThrough() as unknown as NodeJS.WriteStream & { text: () => string };
  let out = '';
  s.on('data', (d: Buffer) => { out += d.toString(); });
  Object.assign(s, { isTTY: true, columns: 120, rows: 40, cursorTo: () => true, moveCursor: () => true, clearLine: () => true, clearScreenDown: () => true, text: () => out });
  return s;
}

describe('notebook run progress bars', () => {
  it('only on an interactive terminal outside CI', () => {
    expect(wantBars(fakeTty(), {})).toBe(true);
    expect(wantBars(fakeTty(), { CI: '1' })).toBe(false);
    expect(wantBars({ isTTY: false } as NodeJS.WriteStream, {})).toBe(false);
  });
  it('draws a bar per notebook with cells done / total', async () => {
    const s = fakeTty();
    const bars = createRunBars(s);
    bars.cell('01-demand-types.ipynb', 3, 17);
    bars.cell('01-demand-types.ipynb', 17, 17);
    bars.stop();
    await new Promise((r) => setTimeout(r, 20));
    expect(s.text()).toMatch(/01-demand-types\.ipynb.*17\/17 cells/);
  });
});
