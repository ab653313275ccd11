// The plotly figure builders: counts pass the SDC rules before they reach the JSON, missing values
// stay missing (never drawn as 0), the checker metadata names the count traces, and columns are checked.
import { describe, it, expect } from 'vitest';
import { linePlot, barChart, elbowPlot, itemProbHeatmap, forestPlot, marginsPlot, caterpillarPlot } from '../../src/display/figures';
import { checkNotebook } from '../../src/display/check';

const PLOTLY = 'application/vnd.plotly.v1+json';
const failsOf = (fig: unknown) =>
  checkNotebook({ cells: [{ cell_type: 'code', outputs: [{ output_type: 'display_data', data: { [PLOTLY]: fig } }] }] }, 'nb').filter((p) => p.severity === 'fail');
const sdcOf = (fig: { layout: Record<string, unknown> }) => (fig.layout.meta as { sdc: { rules: unknown; countTraces: number[] } }).sdc;

describe('linePlot', () => {
  const rows = [
    { year: 2019, la: 'A', n: 123, events: 40, total: 200, est: 0.5 },
    { year: 2020, la: 'A', n: 7, events: 3, total: 200, est: null },
    { year: 2021, la: 'A', n: null, events: 100, total: 100, est: 0.7 },
    { year: 2019, la: 'B', n: 50, events: 20, total: 60, est: 0.1 },
  ];
  it('count lines: rounded to 5, small counts and missing counts absent (null), one line per group, declared to the checker', () => {
    const f = linePlot(rows, { x: 'year', y: 'n', group: 'la', kind: 'count' });
    expect(f.data.map((d) => d.name)).toEqual(['A', 'B']);
    expect(f.data[0].y).toEqual([125, null, null]);
    expect(f.data[1].y).toEqual([50]);
    expect(sdcOf(f).countTraces).toEqual([0, 1]);
    expect(failsOf(f)).toEqual([]);
  });
  it('rate lines from the protected numerator and denominator: 40/200 → 20%; small numerator and 100% withheld', () => {
    const f = linePlot(rows, { x: 'year', y: 'pct', group: 'la', kind: 'rate', numerator: 'events', denominator: 'total' });
    expect(f.data[0].y).toEqual([20, null, null]);
    expect(f.data[1].y).toEqual([20 / 60 * 100]);
    expect(sdcOf(f).countTraces).toEqual([]);
  });
  it('a rate line names a missing numerator or denominator column instead of drawing nothing', () => {
    expect(() => linePlot(rows, { x: 'year', y: 'pct', kind: 'rate', numerator: 'referrals', denominator: 'total' })).toThrow('linePlot: column "referrals" not found');
    expect(() => linePlot(rows, { x: 'year', y: 'pct', kind: 'rate' })).toThrow(/numerator/);
  });
  it('value lines show estimates as they are and missing ones as gaps; no counts declared', () => {
    const f = linePlot(rows, { x: 'year', y: 'est' });
    expect(f.data[0].y).toEqual([0.5, null, 0.7, 0.1]);
    expect(sdcOf(f)).toEqual({ rules: null, countTraces: [] });
  });
  it('a missing x or y column is an error naming it', () => {
    expect(() => linePlot(rows, { x: 'month', y: 'n' })).toThrow('linePlot: column "month" not found');
    expect(() => linePlot(rows, { x: 'year', y: 'm', kind: 'count' })).toThrow('linePlot: column "m" not found');
  });
});

describe('barChart', () => {
  const rows = [{ g: 'a', n: 1234, est: 1.5, lo: 1.2, hi: 2 }, { g: 'b', n: 4, est: null, lo: null, hi: null }, { g: 'c', n: null, est: 0.5, lo: 0.25, hi: 0.75 }];
  it('count bars are protected; a missing count is no bar (null), not a bar at 0', () => {
    const f = barChart(rows, { x: 'g', y: 'n', kind: 'count' });
    expect(f.data[0].y).toEqual([1235, null, null]);
    expect(failsOf(f)).toEqual([]);
  });
  it('value bars: a missing estimate is no bar; error bars are the distances to the CI limits', () => {
    const f = barChart(rows, { x: 'g', y: 'est', lower: 'lo', upper: 'hi' });
    expect(f.data[0].y).toEqual([1.5, null, 0.5]);
    const e = f.data[0].error_y as { array: number[]; arrayminus: number[] };
    expect(e.array[0]).toBeCloseTo(0.5, 12);
    expect(e.arrayminus[0]).toBeCloseTo(0.3, 12);
    expect(e.array[2]).toBeCloseTo(0.25, 12);
  });
  it('horizontal bars put the categories on y', () => {
    const f = barChart(rows, { x: 'g', y: 'n', kind: 'count', horizontal: true });
    expect(f.data[0].y).toEqual(['a', 'b', 'c']);
    expect(f.data[0].orientation).toBe('h');
    expect(failsOf(f)).toEqual([]);
  });
});

describe('model and LCA figures', () => {
  it('elbowPlot draws the criteria present, one line each, gaps for missing values', () => {
    const f = elbowPlot([{ classes: 2, bic: 100, aic: 90 }, { classes: 3, bic: 95, aic: null }]);
    expect(f.data.map((d) => d.name)).toEqual(['BIC', 'AIC']);
    expect(f.data[1].y).toEqual([90, null]);
  });
  it('itemProbHeatmap puts items on rows and classes on columns, and checks the shapes', () => {
    const f = itemProbHeatmap([[0.1, 0.9], [0.8, 0.2], [0.5, 0.5]], { classLabels: ['A', 'B', 'C'], itemLabels: ['x', 'y'], shares: [0.5, 0.3, 0.2] });
    expect(f.data[0].z).toEqual([[0.1, 0.8, 0.5], [0.9, 0.2, 0.5]]);
    expect(f.data[0].x).toEqual(['A (50.0%)', 'B (30.0%)', 'C (20.0%)']);
    expect(() => itemProbHeatmap([[0.1, 0.9]], { classLabels: ['A', 'B'], itemLabels: ['x', 'y'] })).toThrow('2 class labels for 1 classes');
    expect(() => itemProbHeatmap([[0.1]], { classLabels: ['A'], itemLabels: ['x', 'y'] })).toThrow('class 1 has 1 items, expected 2');
  });
  it('forestPlot: one row per term, groups dodged around it, reference line at 1 on a log axis', () => {
    const rows = [
      { term: 'CIN', estimate: 1.5, 'conf.low': 1.2, 'conf.high': 1.9, stage: 'm1' }, { term: 'CPP', estimate: 2, 'conf.low': 1.5, 'conf.high': 2.6, stage: 'm1' },
      { term: 'CIN', estimate: 1.4, 'conf.low': 1.1, 'conf.high': 1.8, stage: 'm2' },
    ];
    const f = forestPlot(rows, { group: 'stage', logScale: true });
    expect(f.data[0].y).toEqual([-0.15, 0.85]);
    expect(f.data[1].y).toEqual([0.15]);
    expect((f.layout.shapes as Array<{ x0: number }>)[0].x0).toBe(1);
    expect((f.layout.yaxis as { ticktext: string[] }).ticktext).toEqual(['CIN', 'CPP']);
    expect(() => forestPlot([{ term: 'x', estimate: 1 }])).toThrow('forestPlot: column "conf.low" not found');
  });
  it('marginsPlot and caterpillarPlot: intervals as distances, caterpillar ranked by estimate', () => {
    const m = marginsPlot([{ level: 'a', estimate: 2, 'conf.low': 1, 'conf.high': 4 }]);
    expect((m.data[0].error_y as { array: number[]; arrayminus: number[] })).toMatchObject({ array: [2], arrayminus: [1] });
    const c = caterpillarPlot([{ group: 'LA1', estimate: 0.3 }, { group: 'LA2', estimate: -0.2 }, { group: 'LA3', estimate: 0.1 }]);
    expect(c.data[0].text).toEqual(['LA2', 'LA3', 'LA1']);
    expect(c.data[0].x).toEqual([1, 2, 3]);
    expect(c.data[0].error_y).toBeUndefined();
  });
});
