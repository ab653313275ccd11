import { describe, it, expect, afterEach } from 'vitest';
import { protectByName } from '../../../src/display/protect/auto';
import { checkNotebook } from '../../../src/display/index';
import { show } from '../../../kernel-helpers/show';
import { setDisplaySink, type DisplayBundle } from '../../../kernel-helpers/display';

describe('plain tables protected by column name', () => {
  it('a plain table with a min/max column is refused', () => {
    expect(() => protectByName([{ group: 'CLA', 'max att8': 88.5 }])).toThrow(/minimum\/maximum.*bandedRange/);
  });
});

describe("kernel-helpers' show() does not bypass protection", () => {
  let shown: DisplayBundle[] = [];
  afterEach(() => setDisplaySink(null));
  it('a plain table with a count of 3 is protected, tagged and passes the checker', () => {
    shown = [];
    setDisplaySink((b) => shown.push(b));
    show([{ class: 'a', episodes: 3 }, { class: 'b', episodes: 1234 }, { class: 'c', episodes: 88 }]);
    const html = String(shown[0].data['text/html']);
    expect(html).toContain('data-sdc-rules');
    expect(html).not.toMatch(/>3</);
    expect(html).not.toContain('1,234');
    const nb = { cells: [{ cell_type: 'code', outputs: [{ output_type: 'display_data', data: shown[0].data }] }] };
    expect(checkNotebook(nb, 'show').filter((p) => p.severity === 'fail')).toEqual([]);
  });
  it('refuses a min/max column', () => {
    setDisplaySink(() => undefined);
    expect(() => show([{ group: 'CLA', 'oldest age': 17.96 }])).toThrow(/minimum\/maximum/);
  });
});
