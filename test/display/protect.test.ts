import { describe, it, expect, afterEach } from 'vitest';
import {
  checkMagnitude, protectMean, bandedRange, modelDisclosure, protectByName, protectTable, groupSummary,
  checkNotebook, SDC_SUPPRESSED,
} from '../../src/display/index';
import { show } from '../../kernel-helpers/show';
import { setDisplaySink, type DisplayBundle } from '../../kernel-helpers/display';

describe('magnitudes: threshold, N-K dominance and p% (ACRO defaults N=2, K=90%, p=10%)', () => {
  it('needs at least the threshold number of contributors', () => {
    expect(checkMagnitude([1, 2, 3, 4]).reasons).toContain('threshold');
    expect(protectMean([1, 2, 3, 4])).toBeNull();
    expect(protectMean(Array.from({ length: 12 }, (_, i) => 10 + i))).toBeCloseTo(15.5, 12);
  });
  it('fails N-K when two contributors make up more than 90% of the total', () => {
    const v = [1000, 900, ...Array.from({ length: 10 }, () => 10)]; // top two = 1900 of 2000
    expect(checkMagnitude(v).reasons).toContain('nk-dominance');
    expect(protectMean(v)).toBeNull();
  });
  it('fails p% when the rest would let the second largest estimate the largest within 10%', () => {
    const v = [1000, 100, ...Array.from({ length: 10 }, () => 9)]; // rest = 90 < 0.1 × 1000
    expect(checkMagnitude(v).reasons).toContain('p-percent');
    // with K = 99% the N-K rule passes (1100 of 1190) and only p% catches it
    const c = checkMagnitude(v, {}, { nkN: 2, nkK: 0.99, p: 0.1 });
    expect(c.reasons).toEqual(['p-percent']);
    expect(checkMagnitude([1000, 100, ...Array.from({ length: 10 }, () => 20)], {}, { nkN: 2, nkK: 0.99, p: 0.1 }).ok).toBe(true);
  });
});

describe('min/max only as bands', () => {
  it('gives the bands holding the 10th smallest and largest values, never a single record', () => {
    const v = Array.from({ length: 40 }, (_, i) => 0.5 + i * 2.2);
    const r = bandedRange(v, 5);
    expect(r.low).toBe('20–25'); // 10th smallest is 20.3
    expect(r.high).toBe('65–70'); // 10th largest is 66.3
    expect(() => bandedRange(v.slice(0, 15), 5)).toThrow(/at least 20/);
  });
  it('a plain table with a min/max column is refused', () => {
    expect(() => protectByName([{ group: 'CLA', 'max att8': 88.5 }])).toThrow(/minimum\/maximum.*bandedRange/);
  });
});

describe('models: N and residual df, flagged below the threshold (ACRO residual-df rule)', () => {
  it('reports rounded N, residual df and events per coefficient, failing small ones', () => {
    const ok = modelDisclosure({ n: 51234, nCoef: 20, nEvent: 20961 });
    expect(ok).toMatchObject({ n: 51235, dfResidual: 51214, nEvent: 20960, status: 'pass' });
    const small = modelDisclosure({ n: 25, nCoef: 18 });
    expect(small.status).toBe('fail');
    expect(small.reasons[0]).toMatch(/residual df 7 below 10/);
    const fewEvents = modelDisclosure({ n: 5000, nCoef: 20, nEvent: 150 });
    expect(fewEvents.reasons[0]).toMatch(/events per coefficient 7.5/);
  });
});

describe('secondary suppression chooses a small pattern', () => {
  it('one small cell in a one-column table does not blank the table', () => {
    const t = protectTable([{ g: 'a', n: 120 }, { g: 'b', n: 4 }, { g: 'c', n: 300 }, { g: 'd', n: 55 }], { countColumns: ['n'] });
    const hidden = t.rows.filter((r) => r.n === SDC_SUPPRESSED).map((r) => r.g);
    // the column total is formable: one more cell, the smallest (d = 55), goes; a and c stay
    expect(hidden).toEqual(['b', 'd']);
  });
  it('a two-way table hides the fewest cells that protect the small one', () => {
    const rows = [
      { g: 'a', x: 4, y: 100, z: 80 },
      { g: 'b', x: 50, y: 60, z: 70 },
      { g: 'c', x: 90, y: 20, z: 95 },
    ];
    const t = protectTable(rows, { countColumns: ['x', 'y', 'z'] });
    expect(t.suppressed).toEqual({ primary: 1, secondary: 3 }); // a 2×2 rectangle is the minimum
    expect(t.rows[2]).toMatchObject({ x: 90, y: 20, z: 95 });
  });
});

describe('group means: a hidden mean is not recoverable from the All row', () => {
  it('hides a second group mean so (All×N − Σ shown)/n has two unknowns', () => {
    const rows = [
      ...Array.from({ length: 60 }, (_, i) => ({ g: 'a', y: 20 + (i % 7) })),
      ...Array.from({ length: 30 }, (_, i) => ({ g: 'b', y: 40 + (i % 5) })),
      ...Array.from({ length: 12 }, (_, i) => ({ g: 'c', y: 10 + (i % 3) })),
      // d: 12 contributors but one dominates the total, so its mean is withheld
      ...Array.from({ length: 11 }, () => ({ g: 'd', y: 1 })), { g: 'd', y: 500 },
    ];
    const t = groupSummary(rows, { group: 'g', means: ['y'] });
    const mean = (g: string) => t.rows.find((r) => r.g === g)!['mean y'];
    expect(mean('d')).toBe(SDC_SUPPRESSED);
    expect(mean('c')).toBe(SDC_SUPPRESSED); // the smallest other group
    expect(typeof mean('All')).toBe('number');
    const hidden = t.rows.filter((r) => r['mean y'] === SDC_SUPPRESSED).length;
    expect(hidden).toBeGreaterThanOrEqual(2);
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
