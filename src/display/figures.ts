// Plotly figure builders. Each returns plain figure JSON ({ data, layout }); counts pass through
// the SDC rules first (suppressed points become null, so the line or bar is simply absent), and
// `layout.meta.sdc` records the rules and which traces hold counts for the output checker.
import { SdcRules, sdcRules, protectCount, protectRate, rowsOf, sdcNote } from './sdc';
import { columnHeader } from './headers';
import { baseLayout, colour, hexAlpha, sdcMeta, type PlotlyFigure } from './style';
import { formatEstimate } from '../core/numberStyle';
export { kmPlot, wrapLabel, fittedYMax, type KmPlotOptions } from './kmFigure';

export type { PlotlyFigure } from './style';
export { PALETTE, colour, seriesStyle } from './style';

type RowsInput = ReadonlyArray<object> | { objects(): object[] };

function groupRows(rows: Record<string, unknown>[], group?: string): Map<string, Record<string, unknown>[]> {
  const m = new Map<string, Record<string, unknown>[]>();
  for (const r of rows) {
    const g = group ? String(r[group]) : '';
    if (!m.has(g)) m.set(g, []);
    m.get(g)!.push(r);
  }
  return m;
}

/** A cell as a number; blank (null, undefined, '') is NaN, never 0, so a missing value is drawn as a gap. */
function cellNumber(v: unknown): number {
  return v === null || v === undefined || v === '' ? NaN : Number(v);
}

function requireColumn(rows: Record<string, unknown>[], col: string, fn: string): void {
  if (rows.length > 0 && !(col in rows[0])) {
    throw new Error(`${fn}: column "${col}" not found (columns: ${Object.keys(rows[0]).join(', ')})`);
  }
}

/** Options common to the x–y charts (line, bar): columns, titles and disclosure rules. */
export interface XyChartOptions {
  x: string;
  y: string;
  group?: string;
  title?: string;
  xTitle?: string;
  yTitle?: string;
  rules?: Partial<SdcRules>;
}

export interface LineOptions extends XyChartOptions {
  /** `count`: y is a count (protected); `rate`: y = numerator/denominator×scale (protected via
   *  those columns); `value`: y is an estimate, shown as is. */
  kind?: 'count' | 'rate' | 'value';
  numerator?: string;
  denominator?: string;
  scale?: number;
}

/** Line plot over years (or any ordered x), one line per group. */
export function linePlot(input: RowsInput, o: LineOptions): PlotlyFigure {
  const rows = rowsOf(input);
  const kind = o.kind ?? 'value';
  const rules = kind === 'value' ? null : sdcRules(o.rules);
  requireColumn(rows, o.x, 'linePlot');
  if (kind !== 'rate') requireColumn(rows, o.y, 'linePlot');
  else {
    if (!o.numerator || !o.denominator) throw new Error("linePlot: kind 'rate' needs numerator and denominator columns");
    requireColumn(rows, o.numerator, 'linePlot');
    requireColumn(rows, o.denominator, 'linePlot');
  }
  const data: Array<Record<string, unknown>> = [];
  let i = 0;
  for (const [g, rs] of groupRows(rows, o.group)) {
    const xs = rs.map((r) => r[o.x]);
    const ys = rs.map((r) => {
      if (kind === 'count') return protectCount(cellNumber(r[o.y]), rules!);
      if (kind === 'rate') return protectRate(cellNumber(r[o.numerator!]), cellNumber(r[o.denominator!]), rules!, o.scale ?? 100);
      const v = r[o.y];
      return typeof v === 'number' && Number.isFinite(v) ? v : null;
    });
    data.push({ type: 'scatter', mode: 'lines+markers', name: g || o.y, x: xs, y: ys, line: { color: colour(i) }, marker: { color: colour(i) } });
    i++;
  }
  return {
    data,
    layout: baseLayout(o.title, {
      xaxis: { title: { text: o.xTitle ?? columnHeader(o.x) }, type: 'category' },
      yaxis: { title: { text: o.yTitle ?? columnHeader(o.y) }, rangemode: 'tozero' },
      legend: { orientation: 'v' },
      meta: sdcMeta(rules, kind === 'count' ? data.map((_, k) => k) : []),
    }),
  };
}

export interface BarOptions extends XyChartOptions {
  kind?: 'count' | 'value';
  /** Columns with the CI limits for error bars (values only). */
  lower?: string;
  upper?: string;
  horizontal?: boolean;
}

/** Bar chart (grouped when `group` is given), with optional CI error bars. */
export function barChart(input: RowsInput, o: BarOptions): PlotlyFigure {
  const rows = rowsOf(input);
  const kind = o.kind ?? 'value';
  const rules = kind === 'count' ? sdcRules(o.rules) : null;
  requireColumn(rows, o.x, 'barChart');
  requireColumn(rows, o.y, 'barChart');
  const data: Array<Record<string, unknown>> = [];
  let i = 0;
  for (const [g, rs] of groupRows(rows, o.group)) {
    const cats = rs.map((r) => r[o.x]);
    const vals = rs.map((r) => {
      const v = cellNumber(r[o.y]);
      return kind === 'count' ? protectCount(v, rules!) : Number.isFinite(v) ? v : null;
    });
    const trace: Record<string, unknown> = {
      type: 'bar',
      name: g || o.y,
      marker: { color: colour(i) },
      orientation: o.horizontal ? 'h' : 'v',
    };
    if (o.horizontal) {
      trace.y = cats;
      trace.x = vals;
    } else {
      trace.x = cats;
      trace.y = vals;
    }
    if (o.lower && o.upper && kind === 'value') {
      const plus = rs.map((r) => Number(r[o.upper!]) - Number(r[o.y]));
      const minus = rs.map((r) => Number(r[o.y]) - Number(r[o.lower!]));
      trace[o.horizontal ? 'error_x' : 'error_y'] = { type: 'data', symmetric: false, array: plus, arrayminus: minus, color: '#333' };
    }
    data.push(trace);
    i++;
  }
  return {
    data,
    layout: baseLayout(o.title, {
      barmode: 'group',
      xaxis: { title: { text: o.horizontal ? o.yTitle ?? columnHeader(o.y) : o.xTitle ?? columnHeader(o.x) }, automargin: true },
      yaxis: { title: { text: o.horizontal ? o.xTitle ?? columnHeader(o.x) : o.yTitle ?? columnHeader(o.y) }, automargin: true, autorange: o.horizontal ? 'reversed' : true },
      meta: sdcMeta(rules, kind === 'count' ? data.map((_, k) => k) : []),
    }),
  };
}

/** Elbow plot of information criteria against the number of classes. */
export function elbowPlot(input: RowsInput, o: { k?: string; criteria?: string[]; title?: string } = {}): PlotlyFigure {
  const rows = rowsOf(input);
  const k = o.k ?? 'classes';
  const criteria = o.criteria ?? ['bic', 'aic', 'sabic'].filter((c) => rows.length > 0 && c in rows[0]);
  requireColumn(rows, k, 'elbowPlot');
  const data = criteria.map((c, i) => ({
    type: 'scatter',
    mode: 'lines+markers',
    name: c.toUpperCase(),
    x: rows.map((r) => r[k]),
    y: rows.map((r) => (typeof r[c] === 'number' ? r[c] : null)),
    line: { color: colour(i) },
  }));
  return {
    data,
    layout: baseLayout(o.title ?? 'Information criteria by number of classes', {
      xaxis: { title: { text: 'Number of classes (K)' }, dtick: 1 },
      yaxis: { title: { text: 'Criterion (lower is better)' } },
      meta: sdcMeta(null, []),
    }),
  };
}

/** Heatmap of item-response probabilities: rows = factors (readable labels), columns = classes. */
export function itemProbHeatmap(
  itemProbs: ReadonlyArray<ReadonlyArray<number>>,
  o: { classLabels: string[]; itemLabels: string[]; shares?: ArrayLike<number>; title?: string },
): PlotlyFigure {
  const K = itemProbs.length;
  if (o.classLabels.length !== K) throw new Error(`itemProbHeatmap: ${o.classLabels.length} class labels for ${K} classes`);
  const J = o.itemLabels.length;
  for (let k = 0; k < K; k++) {
    if (itemProbs[k].length !== J) throw new Error(`itemProbHeatmap: class ${k + 1} has ${itemProbs[k].length} items, expected ${J}`);
  }
  const xLabels = o.classLabels.map((l, k) => (o.shares ? `${l} (${formatEstimate(o.shares[k] * 100, 1)}%)` : l));
  const z: number[][] = [];
  const text: string[][] = [];
  for (let j = 0; j < J; j++) {
    z.push(itemProbs.map((p) => p[j]));
    text.push(itemProbs.map((p) => formatEstimate(p[j], 2)));
  }
  return {
    data: [
      {
        type: 'heatmap',
        z,
        x: xLabels,
        y: o.itemLabels,
        text,
        texttemplate: '%{text}',
        textfont: { size: 9 },
        colorscale: [[0, '#f7fbff'], [0.25, '#c6dbef'], [0.5, '#6baed6'], [0.75, '#2171b5'], [1, '#08306b']],
        zmin: 0,
        zmax: 1,
        colorbar: { title: { text: 'P(factor)' } },
        hovertemplate: '%{y}<br>%{x}<br>P = %{z:.3f}<extra></extra>',
      },
    ],
    layout: baseLayout(o.title ?? 'Item-response probabilities by class', {
      height: Math.max(400, 22 * J + 200),
      xaxis: { tickangle: -35, automargin: true, side: 'bottom' },
      yaxis: { automargin: true, autorange: 'reversed' },
      margin: { l: 220, r: 20, t: 50, b: 120 },
      meta: sdcMeta(null, []),
    }),
  };
}


export interface IntervalPlotOptions {
  label?: string;
  estimate?: string;
  lower?: string;
  upper?: string;
  /** Groups points (e.g. model stage); points are dodged vertically. */
  group?: string;
  /** Reference line (1 for hazard ratios, 0 for coefficients). */
  reference?: number;
  logScale?: boolean;
  title?: string;
  xTitle?: string;
  sort?: boolean;
}

/** Forest plot of estimates with CIs (hazard ratios on a log axis, or coefficients). */
export function forestPlot(input: RowsInput, o: IntervalPlotOptions = {}): PlotlyFigure {
  const rows = rowsOf(input);
  const label = o.label ?? 'term';
  const est = o.estimate ?? 'estimate';
  const lo = o.lower ?? 'conf.low';
  const hi = o.upper ?? 'conf.high';
  for (const c of [label, est, lo, hi]) requireColumn(rows, c, 'forestPlot');
  const labels: string[] = [];
  for (const r of rows) if (!labels.includes(String(r[label]))) labels.push(String(r[label]));
  const groups = [...groupRows(rows, o.group).entries()];
  const G = groups.length;
  const data = groups.map(([g, rs], gi) => {
    const offset = G > 1 ? (gi - (G - 1) / 2) * (0.6 / G) : 0;
    return {
      type: 'scatter',
      mode: 'markers',
      name: g || est,
      showlegend: G > 1,
      x: rs.map((r) => r[est]),
      y: rs.map((r) => labels.indexOf(String(r[label])) + offset),
      text: rs.map((r) => String(r[label])),
      marker: { color: colour(gi), size: 8, symbol: 'square' },
      error_x: {
        type: 'data',
        symmetric: false,
        array: rs.map((r) => Number(r[hi]) - Number(r[est])),
        arrayminus: rs.map((r) => Number(r[est]) - Number(r[lo])),
        color: colour(gi),
        thickness: 1.5,
        width: 3,
      },
      hovertemplate: '%{text}: %{x:.3f}<extra>' + (g || '') + '</extra>',
    };
  });
  const ref = o.reference ?? (o.logScale ? 1 : 0);
  return {
    data,
    layout: baseLayout(o.title, {
      height: Math.max(300, 28 * labels.length + 140),
      xaxis: { title: { text: o.xTitle ?? columnHeader(est) }, type: o.logScale ? 'log' : 'linear', zeroline: false },
      yaxis: { tickvals: labels.map((_, i) => i), ticktext: labels, autorange: 'reversed', automargin: true, zeroline: false },
      shapes: [{ type: 'line', x0: ref, x1: ref, y0: 0, y1: 1, yref: 'paper', line: { dash: 'dot', color: '#666' } }],
      legend: { orientation: 'h', y: -0.15 },
      meta: sdcMeta(null, []),
    }),
  };
}

/** Margins plot: predicted values (or gaps) with CIs by a category, optionally split by a subgroup. */
export function marginsPlot(input: RowsInput, o: IntervalPlotOptions & { yTitle?: string } = {}): PlotlyFigure {
  const rows = rowsOf(input);
  const label = o.label ?? 'level';
  const est = o.estimate ?? 'estimate';
  const lo = o.lower ?? 'conf.low';
  const hi = o.upper ?? 'conf.high';
  for (const c of [label, est, lo, hi]) requireColumn(rows, c, 'marginsPlot');
  const data = [...groupRows(rows, o.group).entries()].map(([g, rs], gi) => ({
    type: 'scatter',
    mode: 'markers',
    name: g || est,
    x: rs.map((r) => String(r[label])),
    y: rs.map((r) => r[est]),
    marker: { color: colour(gi), size: 9 },
    error_y: {
      type: 'data',
      symmetric: false,
      array: rs.map((r) => Number(r[hi]) - Number(r[est])),
      arrayminus: rs.map((r) => Number(r[est]) - Number(r[lo])),
      color: colour(gi),
    },
  }));
  return {
    data,
    layout: baseLayout(o.title, {
      scattermode: 'group',
      xaxis: { title: { text: o.xTitle ?? columnHeader(label) }, type: 'category', automargin: true },
      yaxis: { title: { text: o.yTitle ?? columnHeader(est) }, zeroline: o.reference !== undefined },
      shapes: o.reference !== undefined ? [{ type: 'line', y0: o.reference, y1: o.reference, x0: 0, x1: 1, xref: 'paper', line: { dash: 'dot', color: '#666' } }] : [],
      meta: sdcMeta(null, []),
    }),
  };
}

/** Caterpillar plot of group random effects (e.g. LA intercepts), sorted, with intervals. */
export function caterpillarPlot(input: RowsInput, o: IntervalPlotOptions & { yTitle?: string } = {}): PlotlyFigure {
  const rows = rowsOf(input).slice();
  const label = o.label ?? 'group';
  const est = o.estimate ?? 'estimate';
  const lo = o.lower ?? 'conf.low';
  const hi = o.upper ?? 'conf.high';
  for (const c of [label, est]) requireColumn(rows, c, 'caterpillarPlot');
  const hasCi = rows.length > 0 && lo in rows[0] && hi in rows[0];
  rows.sort((a, b) => Number(a[est]) - Number(b[est]));
  return {
    data: [
      {
        type: 'scatter',
        mode: 'markers',
        x: rows.map((_, i) => i + 1),
        y: rows.map((r) => r[est]),
        text: rows.map((r) => String(r[label])),
        marker: { color: colour(0), size: 5 },
        error_y: hasCi
          ? {
              type: 'data',
              symmetric: false,
              array: rows.map((r) => Number(r[hi]) - Number(r[est])),
              arrayminus: rows.map((r) => Number(r[est]) - Number(r[lo])),
              color: 'rgba(31,119,180,0.45)',
              thickness: 1,
              width: 0,
            }
          : undefined,
        hovertemplate: '%{text}: %{y:.2f}<extra></extra>',
      },
    ],
    layout: baseLayout(o.title, {
      xaxis: { title: { text: o.xTitle ?? `${columnHeader(label)} (ranked)` } },
      yaxis: { title: { text: o.yTitle ?? columnHeader(est) } },
      shapes: [{ type: 'line', y0: o.reference ?? 0, y1: o.reference ?? 0, x0: 0, x1: 1, xref: 'paper', line: { dash: 'dot', color: '#666' } }],
      meta: sdcMeta(null, []),
    }),
  };
}
