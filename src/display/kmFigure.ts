// Kaplan–Meier figures (survminer's ggsurvplot as the model): few groups overlaid with an at-risk
// table that fits (full labels, numbers spaced by the axis), many groups as small multiples — one
// panel per group, the other groups in grey behind it, the numbers at risk under each panel's
// time ticks. The y axis is fitted to the data, and a note says why curves stop (disclosure
// control). Counts pass through protectKmCurve / protectedAtRisk first.
import { SdcRules, sdcRules } from './sdc';
import { KmCurveInput, protectKmCurve, protectedAtRisk, type ProtectedKmCurve } from './km';
import { baseLayout, hexAlpha, sdcMeta, seriesStyle, type PlotlyFigure } from './style';

export interface KmPlotOptions {
  /** Times at which to show the number at risk (also the x ticks). */
  atRiskTimes: number[];
  title?: string;
  xTitle?: string;
  /** Show 1 − S(t) (cumulative incidence of the event) instead of S(t). */
  cumulative?: boolean;
  yTitle?: string;
  rules?: Partial<SdcRules>;
  showCi?: boolean;
  /** 'overlay' (one panel), 'facets' (small multiples) or 'auto' (facets above 6 groups). */
  layout?: 'auto' | 'overlay' | 'facets';
  /** Panels per row in facets (default 3). */
  columns?: number;
  /** Reporting unit of `time` (default 1/12: months when time is in years); steps sit on its grid. */
  timeUnit?: number;
  /** Decimals of drawn survival (default 3). */
  survDigits?: number;
}

/** Breaks a long label into lines of at most `width` characters at spaces. */
export function wrapLabel(label: string, width = 34): string {
  const words = label.split(' ');
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && (line + ' ' + w).length > width) { lines.push(line); line = w; } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines.join('<br>');
}

/** Upper end of the y axis: the data's maximum (CI included) with headroom, in steps of 0.05; at most 1. */
export function fittedYMax(values: Array<number | null>): number {
  const max = Math.max(0, ...values.filter((v): v is number => v !== null && Number.isFinite(v)));
  return Math.min(1, Math.max(0.05, Math.ceil((max * 1.08) / 0.05) / 20));
}

function stopNote(rules: SdcRules): string {
  return `Curves end where the next drop would pool fewer than ${rules.minCount} events or fewer than ${rules.minCount} remain at risk (disclosure control); ` +
    `numbers at risk rounded to ${rules.roundTo}, [c] = fewer than ${rules.minCount}.`;
}

interface Prepared { group: string; safe: ProtectedKmCurve; atRisk: Array<number | null> }

/** The KM protection actually applied (grid and digits), for the output checker. */
function kmMeta(prepared: Prepared[]): Record<string, unknown> {
  const p = prepared[0];
  return p ? { km: { survDigits: p.safe.survDigits, timeUnit: p.safe.timeUnit } } : {};
}

/**
 * Kaplan–Meier figure (Plotly) with an at-risk table, after disclosure control: each curve goes
 * through protectKmCurve and the at-risk counts through protectedAtRisk under `o.rules`.
 * Inputs: curves by group (times, survival, numbers at risk/events), KmPlotOptions (at-risk
 * times in the curves' time unit, titles). Output: a PlotlyFigure whose meta records the
 * protection applied, for the output checker. Model: survminer::ggsurvplot (overlaid curves for
 * few groups, small multiples for many).
 */
export function kmPlot(curves: Record<string, KmCurveInput>, o: KmPlotOptions): PlotlyFigure {
  const rules = sdcRules(o.rules);
  const groups = Object.keys(curves);
  const prepared: Prepared[] = groups.map((g) => {
    const safe = protectKmCurve(curves[g], rules, { timeUnit: o.timeUnit, survDigits: o.survDigits });
    return { group: g, safe, atRisk: protectedAtRisk(curves[g], o.atRiskTimes, rules, safe.truncatedAt) };
  });
  // 1 − S is rounded again: the complement of a rounded survival must not carry more digits than it.
  const d = 10 ** (o.survDigits ?? 3);
  const tf = (s: number | null) => (s === null ? null : o.cumulative ? Math.round((1 - s) * d) / d : s);
  const facets = o.layout === 'facets' || ((o.layout ?? 'auto') === 'auto' && groups.length > 6);
  const showCi = o.showCi ?? true;
  const ys = prepared.flatMap((p) => [...p.safe.surv.map(tf), ...(showCi ? [...p.safe.lower.map(tf), ...p.safe.upper.map(tf)] : [])]);
  // Survival starts at 1, so only the cumulative scale can be fitted from 0 upwards.
  const yRange = o.cumulative ? [0, fittedYMax(ys)] : [0, 1.02];
  const yTitle = o.yTitle ?? (o.cumulative ? 'Cumulative proportion' : 'Survival');
  return facets ? facetFigure(prepared, o, rules, tf, yRange, yTitle, showCi) : overlayFigure(prepared, o, rules, tf, yRange, yTitle, showCi);
}

/** Rounds for the figure JSON: 4 decimals are far below a pixel, and the JSON is saved twice per figure. */
const r4 = (v: number | null) => (v === null ? null : Math.round(v * 1e4) / 1e4);

/**
 * A grey context curve thinned to about `n` of its own steps (evenly spaced in step index), so that
 * G panels × (G − 1) context curves stay small in the saved notebook. Its own step times keep the
 * curve on the protected reporting grid.
 */
function thinned(p: Prepared, tf: (s: number | null) => number | null, n: number): { x: number[]; y: Array<number | null> } {
  const t = p.safe.time;
  const keep = t.length <= n ? t.map((_, i) => i) : Array.from(new Set(Array.from({ length: n + 1 }, (_, k) => Math.round((k * (t.length - 1)) / n))));
  return { x: keep.map((i) => r4(t[i])!), y: keep.map((i) => r4(tf(p.safe.surv[i]))) };
}

function ciTraces(p: Prepared, tf: (s: number | null) => number | null, colour: string, axes: { xaxis: string; yaxis: string }): Array<Record<string, unknown>> {
  return [
    { type: 'scatter', mode: 'lines', x: p.safe.time.map(r4), y: p.safe.upper.map((v) => r4(tf(v))), line: { shape: 'hv', width: 0 }, showlegend: false, hoverinfo: 'skip', ...axes },
    { type: 'scatter', mode: 'lines', x: p.safe.time.map(r4), y: p.safe.lower.map((v) => r4(tf(v))), line: { shape: 'hv', width: 0 }, fill: 'tonexty', fillcolor: hexAlpha(colour, 0.15), showlegend: false, hoverinfo: 'skip', ...axes },
  ];
}

function atRiskText(v: number | null): string {
  return v === null ? '[c]' : v.toLocaleString('en-GB');
}

function overlayFigure(prepared: Prepared[], o: KmPlotOptions, rules: SdcRules, tf: (s: number | null) => number | null, yRange: number[], yTitle: string, showCi: boolean): PlotlyFigure {
  const data: Array<Record<string, unknown>> = [];
  prepared.forEach((p, i) => {
    const st = seriesStyle(i);
    if (showCi) data.push(...ciTraces(p, tf, st.color, { xaxis: 'x', yaxis: 'y' }));
    data.push({ type: 'scatter', mode: 'lines', name: p.group, x: p.safe.time.map(r4), y: p.safe.surv.map((v) => r4(tf(v))), line: { shape: 'hv', color: st.color, dash: st.dash, width: 2 }, xaxis: 'x', yaxis: 'y' });
  });
  // At-risk table: a lower panel sharing the time axis; full group names in the left margin.
  const riskTraceStart = data.length;
  prepared.forEach((p, i) => {
    data.push({
      type: 'scatter', mode: 'text', x: o.atRiskTimes, y: o.atRiskTimes.map(() => p.group),
      text: p.atRisk.map(atRiskText), customdata: p.atRisk,
      textfont: { color: seriesStyle(i).color, size: 11 }, showlegend: false, hoverinfo: 'skip', xaxis: 'x2', yaxis: 'y2',
    });
  });
  const G = prepared.length;
  const curvePx = 380;
  const riskPx = 22 * G + 30;
  const height = curvePx + riskPx + 120;
  const riskTop = riskPx / height;
  const longest = Math.max(...prepared.map((p) => p.group.length));
  const left = Math.min(320, Math.max(70, 7 * longest));
  return {
    data,
    layout: baseLayout(o.title, {
      height,
      // Room left of 0 (as ggplot's 5% expansion) so the first at-risk number clears the group names.
      xaxis: { title: { text: o.xTitle ?? 'Time' }, tickvals: o.atRiskTimes, anchor: 'y', zeroline: false, range: [-Math.max(...o.atRiskTimes) * 0.06, Math.max(...o.atRiskTimes) * 1.04] },
      xaxis2: { matches: 'x', anchor: 'y2', showticklabels: false, showgrid: false, zeroline: false },
      yaxis: { title: { text: yTitle }, domain: [riskTop + 110 / height, 1], range: yRange },
      yaxis2: { domain: [0, riskTop - 30 / height], showgrid: false, zeroline: false, type: 'category', automargin: true, range: [G - 0.5, -0.5], autorange: false, tickfont: { size: 11 } },
      annotations: [
        { text: '<b>Number at risk</b>', xref: 'paper', yref: 'paper', x: 0, y: riskTop - 20 / height, yanchor: 'bottom', xanchor: 'left', showarrow: false, font: { size: 11 } },
        { text: wrapLabel(stopNote(rules), 120), xref: 'paper', yref: 'paper', x: 0, y: 1, yanchor: 'bottom', xanchor: 'left', showarrow: false, font: { size: 10, color: '#57606a' } },
      ],
      // Under the axis title (ticks ~20 px, title to ~50 px), above "Number at risk": never over the tick labels.
      legend: { orientation: 'h', x: 0, y: riskTop + (110 - 58) / height, yanchor: 'top', font: { size: 11 }, traceorder: 'normal' },
      margin: { l: left, r: 30, t: o.title ? 80 : 50, b: 20 },
      meta: sdcMeta(rules, prepared.map((_, k) => riskTraceStart + k), kmMeta(prepared)),
    }),
  };
}

function facetFigure(prepared: Prepared[], o: KmPlotOptions, rules: SdcRules, tf: (s: number | null) => number | null, yRange: number[], yTitle: string, showCi: boolean): PlotlyFigure {
  const G = prepared.length;
  const cols = Math.max(1, Math.min(o.columns ?? 3, G));
  const rows = Math.ceil(G / cols);
  const panelPx = 250;
  const headPx = o.title ? 90 : 60;
  const height = headPx + rows * panelPx + 40;
  const data: Array<Record<string, unknown>> = [];
  const layout: Record<string, unknown> = {};
  const annotations: Array<Record<string, unknown>> = [
    { text: wrapLabel(stopNote(rules), 130), xref: 'paper', yref: 'paper', x: 0, y: 1 + 8 / height, yanchor: 'bottom', xanchor: 'left', showarrow: false, font: { size: 10, color: '#57606a' } },
  ];
  const countTraces: number[] = [];
  const xMax = Math.max(...o.atRiskTimes) * 1.04;
  const plotTop = 1 - (headPx - 30) / height;
  const rowH = plotTop / rows;
  prepared.forEach((p, i) => {
    const r = Math.floor(i / cols);
    const c = i % cols;
    const k = i + 1;
    const xa = k === 1 ? 'x' : `x${k}`;
    const ya = k === 1 ? 'y' : `y${k}`;
    const x0 = c / cols + 0.06 / cols;
    const x1 = (c + 1) / cols - 0.02 / cols;
    const yTop = plotTop - r * rowH - 0.16 * rowH; // room for the panel title
    const yBottom = plotTop - (r + 1) * rowH + 0.3 * rowH; // room for ticks with numbers at risk
    // The other groups in grey, for comparison, then this group in colour.
    prepared.forEach((q, j) => {
      if (j === i) return;
      const c = thinned(q, tf, 60);
      data.push({ type: 'scatter', mode: 'lines', x: c.x, y: c.y, line: { shape: 'hv', color: '#d0d7de', width: 1 }, showlegend: false, hoverinfo: 'skip', xaxis: xa, yaxis: ya });
    });
    const st = seriesStyle(i);
    if (showCi) data.push(...ciTraces(p, tf, st.color, { xaxis: xa, yaxis: ya }));
    data.push({ type: 'scatter', mode: 'lines', name: p.group, x: p.safe.time.map(r4), y: p.safe.surv.map((v) => r4(tf(v))), line: { shape: 'hv', color: st.color, width: 2.2 }, showlegend: false, xaxis: xa, yaxis: ya });
    // Numbers at risk under each time tick; the trace keeps them for the output checker.
    countTraces.push(data.length);
    data.push({ type: 'scatter', mode: 'markers', x: o.atRiskTimes, y: o.atRiskTimes.map(() => null), customdata: p.atRisk, name: `at risk: ${p.group}`, showlegend: false, hoverinfo: 'skip', xaxis: xa, yaxis: ya });
    layout[k === 1 ? 'xaxis' : `xaxis${k}`] = {
      domain: [x0, x1], anchor: ya, range: [0, xMax], zeroline: false, tickfont: { size: 10 },
      tickvals: o.atRiskTimes, ticktext: o.atRiskTimes.map((t, m) => `${t}<br><span style="color:${st.color}">${atRiskText(p.atRisk[m])}</span>`),
      title: r === rows - 1 || i + cols >= G ? { text: o.xTitle ?? 'Time', font: { size: 11 }, standoff: 4 } : undefined,
    };
    layout[k === 1 ? 'yaxis' : `yaxis${k}`] = {
      domain: [yBottom, yTop], anchor: xa, range: yRange, tickfont: { size: 10 },
    };
    annotations.push({ text: `<b>${wrapLabel(p.group, 40)}</b>`, xref: 'paper', yref: 'paper', x: x0, y: yTop + 0.02 * rowH, xanchor: 'left', yanchor: 'bottom', showarrow: false, font: { size: 11, color: st.color }, align: 'left' });
  });
  // One y title for the whole grid: a title per row of panels is longer than a panel is tall and gets cut.
  annotations.push({ text: yTitle, xref: 'paper', yref: 'paper', x: 0, xanchor: 'right', xshift: -30, y: plotTop / 2, yanchor: 'middle', textangle: -90, showarrow: false, font: { size: 12 } });
  annotations.push({ text: 'Numbers at risk under the time axis of each panel', xref: 'paper', yref: 'paper', x: 1, y: 1 + 8 / height, xanchor: 'right', yanchor: 'bottom', showarrow: false, font: { size: 10, color: '#57606a' } });
  return {
    data,
    layout: baseLayout(o.title, {
      ...layout, height, width: 300 * cols + 60, showlegend: false, annotations,
      margin: { l: 70, r: 20, t: headPx, b: 30 },
      meta: sdcMeta(rules, countTraces, kmMeta(prepared)),
    }),
  };
}
