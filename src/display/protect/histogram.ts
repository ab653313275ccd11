// A histogram whose bars are protected bin counts. Plotly's own histogram trace ships every
// individual value to the browser; this one ships only the bins.
import { sdcRules, protectCount, sdcNote, type SdcRules } from '../sdc';

export interface HistogramOptions {
  /** Left edge of the first bin and bin width (same unit as the values). */
  start: number;
  binWidth: number;
  /** Number of bins; values outside [start, start + bins × binWidth) are counted in no bin. */
  bins: number;
  /** Bar heights as a density (count / (N × width)) instead of counts; both from protected counts. */
  density?: boolean;
  name?: string;
  title?: string;
  xTitle?: string;
  yTitle?: string;
  rules?: Partial<SdcRules>;
}

/** Protected histogram as plotly figure JSON (bars at bin centres; suppressed bins are null). */
export function histogramPlot(values: ArrayLike<number>, o: HistogramOptions): { data: Array<Record<string, unknown>>; layout: Record<string, unknown> } {
  const rules = sdcRules(o.rules);
  if (!(o.binWidth > 0) || !(o.bins >= 1)) throw new Error('histogramPlot: binWidth must be positive and bins ≥ 1');
  const counts = new Float64Array(o.bins);
  for (let i = 0; i < values.length; i++) {
    const k = Math.floor((values[i] - o.start) / o.binWidth);
    if (k >= 0 && k < o.bins) counts[k]++;
  }
  const shown = Array.from(counts, (c) => protectCount(c, rules));
  const total = shown.reduce<number>((s, c) => s + (c ?? 0), 0);
  const y = shown.map((c) => (c === null ? null : o.density ? Math.round((c / (total * o.binWidth)) * 1e4) / 1e4 : c));
  const x = Array.from({ length: o.bins }, (_, k) => Math.round((o.start + (k + 0.5) * o.binWidth) * 1e9) / 1e9);
  return {
    data: [{ type: 'bar', name: o.name ?? 'count', x, y, width: o.binWidth * 0.95, opacity: 0.6 }],
    layout: {
      title: o.title ? { text: o.title } : undefined,
      xaxis: { title: { text: o.xTitle ?? 'value' } },
      yaxis: { title: { text: o.yTitle ?? (o.density ? 'density' : 'count') } },
      bargap: 0.02,
      // Densities are computed from protected counts; declared count trace only when y is counts.
      meta: { sdc: { rules, countTraces: o.density ? [] : [0], note: sdcNote(rules) } },
    },
  };
}
