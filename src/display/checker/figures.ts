// Output checking of plotly figure JSON: every numeric field and every string a reader can see.
import { numbersIn, soleNumber, countPhrases, isIdentifierValue, COUNT_LABEL } from './parse';
import { CheckContext, Report, checkCount, effectiveRules } from './report';

type Trace = Record<string, unknown>;

interface SdcFigureMeta {
  rules?: unknown;
  countTraces?: unknown;
  /** Set by kmPlot: decimals of drawn survival and the time grid of drawn steps. */
  km?: { survDigits?: number; timeUnit?: number };
}

const STRING_FIELDS = ['text', 'hovertext', 'customdata', 'texttemplate', 'hovertemplate', 'name', 'labels'] as const;

function flat(x: unknown): unknown[] {
  if (!Array.isArray(x)) return x === undefined || x === null ? [] : [x];
  return x.flatMap((v) => (Array.isArray(v) ? flat(v) : [v]));
}

function decimalsOf(v: number): number {
  const s = String(v);
  if (s.includes('e-')) return 20;
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

/** Counts shown by a trace: numeric values, strings that are a number (counts as strings), and
 *  whole numbers inside text labels. Category labels on the other axis are not read as counts. */
function countValues(trace: Trace): Array<{ value: number; raw: string; field: string }> {
  const valueAxis = trace.orientation === 'h' ? 'x' : 'y';
  const fields = String(trace.mode ?? '') === 'text' ? ['text', 'customdata'] : [valueAxis, 'text', 'customdata', 'z', 'values'];
  const out: Array<{ value: number; raw: string; field: string }> = [];
  for (const f of fields) {
    for (const v of flat(trace[f])) {
      if (typeof v === 'number') out.push({ value: v, raw: String(v), field: f });
      else if (typeof v === 'string') {
        const n = soleNumber(v);
        if (n !== null) out.push({ value: n, raw: v, field: f });
        else if (f === 'text') for (const p of numbersIn(v)) if (!p.percent && p.decimals === 0) out.push({ value: p.value, raw: p.raw, field: f });
      }
    }
  }
  return out;
}

/** Trace types whose JSON carries every individual value (plotly bins or summarises them in the
 *  browser): a histogram or box plot ships the raw data, and a box plot also draws min and max. */
const RAW_DATA_TYPES = /^(histogram|histogram2d|histogram2dcontour|box|violin|densitymapbox|splom)$/;

function axisTitle(layout: Record<string, unknown>, ref: unknown, letter: 'x' | 'y'): string {
  const key = typeof ref === 'string' && ref.length > 1 ? `${letter}axis${ref.slice(1)}` : `${letter}axis`;
  const axis = layout[key] as { title?: unknown } | undefined;
  const t = axis?.title;
  return typeof t === 'string' ? t : typeof (t as { text?: unknown })?.text === 'string' ? (t as { text: string }).text : '';
}

export function checkFigure(fig: unknown, ctx: CheckContext, report: Report): void {
  const f = fig as { data?: unknown; layout?: Record<string, unknown> };
  if (!f || !Array.isArray(f.data)) {
    report('metadata', 'figure output is not plotly JSON with a data array');
    return;
  }
  const data = f.data as Trace[];
  const layout = (f.layout ?? {}) as Record<string, unknown>;
  const title = String((layout.title as { text?: string })?.text ?? layout.title ?? '');
  const what = `figure${title ? ` "${title}"` : ''}`;
  const meta = ((layout.meta as { sdc?: SdcFigureMeta } | undefined)?.sdc ?? null) as SdcFigureMeta | null;
  if (!meta) report('metadata', `${what} carries no disclosure metadata (layout.meta.sdc); its numbers are not accounted for`);
  const rules = effectiveRules(meta?.rules, ctx.rules, report, what);
  const declared = new Set(Array.isArray(meta?.countTraces) ? (meta!.countTraces as unknown[]).filter((k): k is number => typeof k === 'number') : []);
  const hasCounts = declared.size > 0;

  data.forEach((trace, k) => {
    const name = `trace ${k + 1}${trace.name ? ` "${String(trace.name)}"` : ''}`;
    const mode = String(trace.mode ?? (trace.type === 'scatter' || trace.type === 'scattergl' ? 'markers' : ''));
    const textOnly = mode === 'text' && flat(trace.text).length > 0 && flat(trace.text).every((v) => v === null || (typeof v === 'string' && (soleNumber(v) !== null || v === '[c]')));
    const yTitle = axisTitle(layout, trace.orientation === 'h' ? trace.xaxis : trace.yaxis, trace.orientation === 'h' ? 'x' : 'y');
    const countAxis = COUNT_LABEL.test(yTitle) && !/%|proportion|rate|per /i.test(yTitle);
    // Declared count traces, text-only traces of numbers (an at-risk row) and traces on a count axis.
    if (declared.has(k) || textOnly || countAxis) {
      for (const c of countValues(trace)) if (c !== null) checkCount(c.value, rules, report, `in ${what}, ${name}, ${c.field}`, c.raw);
    }
    // Counts stated in any visible string: hover text, labels, templates.
    for (const field of STRING_FIELDS) {
      const strings = flat(trace[field]).filter((v): v is string => typeof v === 'string');
      const uniq = new Set(strings);
      for (const s of uniq) for (const p of countPhrases(s)) checkCount(p.value, rules, report, `in ${what}, ${name}, ${field} "${s.slice(0, 60)}"`, String(p.value));
      const ids = Array.from(uniq).filter(isIdentifierValue);
      if (ids.length >= 2) report('identifier', `${what}, ${name} labels points with identifier-like values (e.g. ${ids[0]})`, ids[0]);
    }
    if (RAW_DATA_TYPES.test(String(trace.type ?? ''))) {
      const nRaw = Math.max(flat(trace.x).length, flat(trace.y).length);
      report('record-level', `${what}, ${name} is a ${String(trace.type)} trace carrying ${nRaw} individual values (binned/summarised in the browser); plot protected bin counts instead`, String(nRaw));
    }
    // A scatter of individuals: many separate markers.
    const nPoints = Math.max(flat(trace.x).length, flat(trace.y).length);
    if (/markers/.test(mode) && nPoints > ctx.maxPoints) {
      report('record-level', `${what}, ${name} plots ${nPoints} separate points (more than ${ctx.maxPoints}); looks like a scatter of individuals`, String(nPoints));
    }
    checkStepCurve(trace, meta, hasCounts, what, name, report);
  });

  for (const s of layoutStrings(layout)) for (const p of countPhrases(s)) checkCount(p.value, rules, report, `in ${what}, layout text "${s.slice(0, 60)}"`, String(p.value));
}

/** Survival / proportion curves beside counts: full-precision steps let risk sets be rebuilt, and
 *  exact event times on the x axis identify single events. */
function checkStepCurve(trace: Trace, meta: SdcFigureMeta | null, hasCounts: boolean, what: string, name: string, report: Report): void {
  const step = (trace.line as { shape?: string } | undefined)?.shape === 'hv' || (trace.line as { shape?: string } | undefined)?.shape === 'vh';
  const ys = flat(trace.y).filter((v): v is number => typeof v === 'number');
  const proportions = ys.length > 0 && ys.every((v) => v >= 0 && v <= 1);
  if (!(step || (hasCounts && proportions && /lines/.test(String(trace.mode ?? ''))))) return;
  const digits = meta?.km?.survDigits;
  const maxDigits = typeof digits === 'number' ? Math.min(digits, 4) : 3;
  const fine = ys.find((v) => decimalsOf(v) > maxDigits);
  if (fine !== undefined) {
    report('km-curve', `${what}, ${name}: curve drawn at full precision (${fine}); with the at-risk numbers this rebuilds exact risk sets`, String(fine));
  }
  const unit = meta?.km?.timeUnit;
  const xs = flat(trace.x).filter((v): v is number => typeof v === 'number');
  if (typeof unit !== 'number' || !(unit > 0)) {
    if (xs.some((x) => decimalsOf(x) > 3)) report('km-curve', `${what}, ${name}: exact event times on the x axis (no reporting time unit declared)`, String(xs.find((x) => decimalsOf(x) > 3)));
    return;
  }
  // A grid time printed to d decimals is still a grid time: allow half a unit of its last decimal.
  const off = xs.find((x) => Math.abs(x - Math.round(x / unit) * unit) > 0.5 * 10 ** -decimalsOf(x) + 1e-9);
  if (off !== undefined) report('km-curve', `${what}, ${name}: time ${off} is not on the declared ${unit} reporting grid`, String(off));
}

function layoutStrings(layout: Record<string, unknown>): string[] {
  const out: string[] = [];
  const title = layout.title as { text?: unknown } | string | undefined;
  if (typeof title === 'string') out.push(title);
  else if (typeof title?.text === 'string') out.push(title.text);
  for (const a of flat(layout.annotations)) if (a && typeof (a as { text?: unknown }).text === 'string') out.push((a as { text: string }).text);
  for (const [key, axis] of Object.entries(layout)) {
    if (!/^[xy]axis\d*$/.test(key) || !axis || typeof axis !== 'object') continue;
    for (const t of flat((axis as { ticktext?: unknown }).ticktext)) if (typeof t === 'string') out.push(t);
  }
  return out;
}
