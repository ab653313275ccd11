import { describe, it, expect, afterEach } from 'vitest';
import { protectByName, countColumnsByName, minMaxColumns, protectCountRows, guardPlainTable } from '../../../src/display/protect/auto';
import { plainTable } from '../../../src/display/sdc';
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

describe('columns read by name', () => {
  it('count-like names holding whole non-negative numbers are counts; person-time may be fractional; shares are not', () => {
    const rows = [{ group: 'a', n: 120, episodes: 40, 'person-years': 1234.5, size: 0.23, score: 12 }, { group: 'b', n: 33, episodes: null, 'person-years': 10, size: 0.5, score: 9 }];
    expect(countColumnsByName(rows, Object.keys(rows[0]))).toEqual(['n', 'episodes', 'person-years']);
  });
  it('a column is read by the header it is shown under too: glance()\'s nobs is "N", a count', () => {
    const rows = [{ outcome: 'a', nobs: 12, AIC: 51, 'df.null': 11 }];
    expect(countColumnsByName(rows, Object.keys(rows[0]))).toEqual(['nobs']);
  });
  it('min/max columns are found by name', () => {
    expect(minMaxColumns(['group', 'max att8', 'oldest', 'n'])).toEqual(['max att8', 'oldest']);
  });
  it('protectByName rounds person-time to whole units, then protects every count column; none to protect is null', () => {
    const t = protectByName([{ group: 'a', n: 120, 'person-years': 1234.4 }, { group: 'b', n: 33, 'person-years': 47.6 }])!;
    expect(t.rows.map((r) => [r.n, r['person-years']])).toEqual([[120, 1235], [35, 50]]);
    expect(protectByName([{ group: 'a', estimate: 1.5 }])).toBeNull();
  });
});

describe('protectCountRows', () => {
  it('rows labelled as counts have every whole number protected, in numbers and inside strings', () => {
    const rows = [
      { '': 'N', m1: 51234, m2: '51234 (20961)', m3: '1,234' },
      { '': 'Events', m1: 7, m2: '3 (2)', m3: 'x' },
      { '': 'Age', m1: 0.25, m2: '12', m3: '3' },
    ];
    expect(protectCountRows(rows)).toEqual([
      { '': 'N', m1: 51235, m2: '51235 (20960)', m3: '1235' },
      { '': 'Events', m1: '[c]', m2: '[c] ([c])', m3: 'x' },
      { '': 'Age', m1: 0.25, m2: '12', m3: '3' },
    ]);
  });
  it('decimals inside a count row are estimates, not counts', () => {
    expect(protectCountRows([{ l: 'N', v: '1.23' }])).toEqual([{ l: 'N', v: '1.23' }]);
  });
});

describe('guardPlainTable', () => {
  it('a plain table with count-named columns is protected on rendering; declared count tables pass through', () => {
    const guarded = guardPlainTable(plainTable([{ class: 'a', episodes: 3 }, { class: 'b', episodes: 1234 }, { class: 'c', episodes: 88 }]));
    // 3 is small; the column total is formable, so the next smallest (88) goes too
    expect(guarded.rows.map((r) => r.episodes)).toEqual(['[c]', 1235, '[c]']);
    expect(guarded.countColumns).toEqual(['episodes']);
  });
  it('a plain table of estimates is left as it is, but count rows in it are protected', () => {
    const t = guardPlainTable(plainTable([{ term: 'x', estimate: 0.5 }, { term: 'N', estimate: 1234 }]));
    expect(t.rows.map((r) => r.estimate)).toEqual([0.5, 1235]);
  });
});
