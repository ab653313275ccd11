import { describe, it, expect } from 'vitest';
import { histogramPlot } from '../../../src/display/protect/histogram';
import { checkNotebook } from '../../../src/display/check';

// 120 values in [0, 10): bin 0 gets 57, bin 1 gets 3, bin 2 gets 60; two values fall outside
const values = [...Array.from({ length: 57 }, () => 1), ...Array.from({ length: 3 }, () => 12), ...Array.from({ length: 60 }, () => 25), -1, 30];

describe('histogramPlot', () => {
  it('bars are the protected bin counts at the bin centres: rounded, small bins null, values outside no bin', () => {
    const f = histogramPlot(values, { start: 0, binWidth: 10, bins: 3 });
    expect(f.data[0].x).toEqual([5, 15, 25]);
    expect(f.data[0].y).toEqual([55, null, 60]);
    expect(f.data[0].type).toBe('bar');
    expect((f.layout.meta as { sdc: { countTraces: number[] } }).sdc.countTraces).toEqual([0]);
  });
  it('ships only the bins: no individual value in the JSON, and the checker passes it', () => {
    const f = histogramPlot([...values, 3.14159], { start: 0, binWidth: 10, bins: 3 });
    expect(JSON.stringify(f)).not.toContain('3.14159');
    const nb = { cells: [{ cell_type: 'code', outputs: [{ output_type: 'display_data', data: { 'application/vnd.plotly.v1+json': f } }] }] };
    expect(checkNotebook(nb, 'nb').filter((p) => p.severity === 'fail')).toEqual([]);
  });
  it('density from the protected counts: count / (shown total × width), no count traces declared', () => {
    const f = histogramPlot(values, { start: 0, binWidth: 10, bins: 3, density: true });
    expect(f.data[0].y).toEqual([Math.round((55 / (115 * 10)) * 1e4) / 1e4, null, Math.round((60 / (115 * 10)) * 1e4) / 1e4]);
    expect((f.layout.meta as { sdc: { countTraces: number[] } }).sdc.countTraces).toEqual([]);
  });
  it('bin edges are left-closed: a value on an edge goes to the bin it opens', () => {
    const f = histogramPlot(Array.from({ length: 10 }, () => 10), { start: 0, binWidth: 10, bins: 2 });
    expect(f.data[0].y).toEqual([0, 10]);
  });
  it('refuses a non-positive width or no bins', () => {
    expect(() => histogramPlot(values, { start: 0, binWidth: 0, bins: 3 })).toThrow(/binWidth must be positive/);
    expect(() => histogramPlot(values, { start: 0, binWidth: 1, bins: 0 })).toThrow(/bins ≥ 1/);
  });
});
