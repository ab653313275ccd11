// checkFigure on plotly JSON written by hand: which traces are read as counts, what in them is
// read, record-level traces, step curves, and the metadata it requires.
import { describe, it, expect } from 'vitest';
import { checkFigure } from '../../../src/display/checker/figures';
import { collector, ctx } from './helpers';

const rules = { minCount: 10, roundTo: 5, secondary: true };
const meta = (countTraces: number[], extra: Record<string, unknown> = {}) => ({ meta: { sdc: { rules, countTraces, ...extra } } });
const check = (fig: unknown, c = ctx) => { const k = collector(); checkFigure(fig, c, k.report); return k.said; };

describe('checkFigure', () => {
  it('a protected count bar chart passes', () => {
    expect(check({ data: [{ type: 'bar', x: ['a', 'b'], y: [120, null] }], layout: meta([0]) })).toEqual([]);
  });
  it('declared count traces: small and unrounded values fail, on the value axis only (not category labels)', () => {
    const said = check({ data: [{ type: 'bar', x: ['3', '7'], y: [120, 7] }, { type: 'bar', orientation: 'h', y: ['1', '2'], x: [33, 40] }], layout: meta([0, 1]) });
    expect(said.map((s) => [s.kind, s.value])).toEqual([['small-count', '7'], ['unrounded-count', '33']]);
  });
  it('an undeclared trace is judged as counts when its axis title says count', () => {
    const said = check({ data: [{ type: 'scatter', mode: 'lines', x: [2019, 2020], y: [100, 101] }], layout: { ...meta([]), yaxis: { title: { text: 'Number of referrals' } } } });
    expect(said.map((s) => [s.kind, s.value])).toEqual([['unrounded-count', '101']]);
    const rate = check({ data: [{ type: 'scatter', mode: 'lines', x: [2019, 2020], y: [100, 101] }], layout: { ...meta([]), yaxis: { title: { text: 'Referrals per 10,000' } } } });
    expect(rate).toEqual([]);
  });
  it('a text-only trace of numbers (an at-risk row) is read as counts', () => {
    const said = check({ data: [{ type: 'scatter', mode: 'text', x: [0, 1, 2], y: [0, 0, 0], text: ['400', '212', '[c]'] }], layout: meta([]) });
    expect(said.map((s) => [s.kind, s.value])).toEqual([['unrounded-count', '212']]);
  });
  it('counts stated in hover text and in layout text are judged', () => {
    const said = check({ data: [{ type: 'bar', x: ['a'], y: [0.4], hovertext: ['a: 6 children'] }], layout: { ...meta([]), annotations: [{ text: 'n = 1,234 episodes' }] } });
    // "n = 1,234 episodes" holds two count phrases of one value; checkNotebook's report folds repeats
    expect([...new Set(said.map((s) => `${s.kind} ${s.value}`))].sort()).toEqual(['small-count 6', 'unrounded-count 1234']);
  });
  it('no disclosure metadata is a metadata problem; not plotly JSON at all, too', () => {
    expect(check({ data: [{ type: 'bar', x: ['a'], y: [0.5] }], layout: {} }).map((s) => s.kind)).toEqual(['metadata']);
    expect(check({ layout: {} }).map((s) => s.kind)).toEqual(['metadata']);
  });
  it('a histogram or box trace ships every value: record-level', () => {
    const said = check({ data: [{ type: 'histogram', x: [1, 2, 3, 4] }], layout: meta([]) });
    expect(said.map((s) => [s.kind, s.value])).toEqual([['record-level', '4']]);
  });
  it('a scatter with more markers than allowed is record-level; labels that look like identifiers too', () => {
    const pts = Array.from({ length: 6 }, (_, i) => i / 10);
    expect(check({ data: [{ type: 'scatter', mode: 'markers', x: pts, y: pts }], layout: meta([]) }, { ...ctx, maxPoints: 5 }).map((s) => s.kind)).toEqual(['record-level']);
    expect(check({ data: [{ type: 'scatter', mode: 'lines', x: [0, 1], y: [0, 1], text: ['A1234567890123', 'B1234567890123'] }], layout: meta([]) }).map((s) => s.kind)).toContain('identifier');
  });
  it('KM step curves: full precision or exact event times fail; rounded on the declared grid passes', () => {
    const step = (x: number[], y: number[], m: Record<string, unknown>) => check({ data: [{ type: 'scatter', mode: 'lines', line: { shape: 'hv' }, x, y }], layout: meta([], m) });
    expect(step([0, 0.5, 1], [1, 0.9, 0.8], { km: { survDigits: 3, timeUnit: 0.5 } })).toEqual([]);
    expect(step([0, 0.5, 1], [1, 0.91234, 0.8], { km: { survDigits: 3, timeUnit: 0.5 } }).map((s) => s.kind)).toEqual(['km-curve']);
    expect(step([0, 0.4, 1], [1, 0.9, 0.8], { km: { survDigits: 3, timeUnit: 0.5 } }).map((s) => s.value)).toEqual(['0.4']);
    expect(step([0, 0.41234, 1], [1, 0.9, 0.8], {}).map((s) => s.kind)).toEqual(['km-curve']);
  });
  it('declared rules looser than required are reported', () => {
    const said = check({ data: [{ type: 'bar', x: ['a'], y: [120] }], layout: { meta: { sdc: { rules: { minCount: 5, roundTo: 5 }, countTraces: [0] } } } });
    expect(said.map((s) => s.kind)).toEqual(['metadata']);
  });
});
