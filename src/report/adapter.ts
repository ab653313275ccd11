/**
 * The one adapter between fitted models and publication tables: every fit kind the library
 * returns is read into a ModelResult here, and nowhere else. Today it reads `summary()` (broom's
 * tidy columns: term, estimate, std.error, p.value, conf.low, conf.high) plus the fit's row
 * bookkeeping; when fits gain tidy()/glance(), only this file changes.
 */
import { getFitContext } from '../regression/index';

export interface TermRow {
  readonly term: string;
  readonly estimate: number | null;
  readonly stdError: number | null;
  readonly confLow: number | null;
  readonly confHigh: number | null;
  readonly pValue: number | null;
}

export interface FactorLevels {
  readonly levels: readonly string[];
  readonly reference: string;
}

export interface ModelResult {
  readonly kind: string;
  readonly terms: readonly TermRow[];
  /** Rows used in the fit. */
  readonly n: number | null;
  /** Events (Cox) or null where the model has none. */
  readonly events: number | null;
  /** Residual df from glance()'s df.residual (R's df.residual(fit)); null for Cox, which has none. */
  readonly dfResidual: number | null;
  /** Coefficients estimated (aliased / not-estimable terms left out). */
  readonly nCoef: number;
  /** Input rows dropped, by reason (e.g. "missing: class"); empty when none were. */
  readonly dropped: Readonly<Record<string, number>>;
  /** Factor columns with their levels (levels[0] / reference first), for reference rows. */
  readonly factors: Readonly<Record<string, FactorLevels>>;
}

type Rec = Record<string, unknown>;

const num = (v: unknown): number | null => (typeof v === 'number' && !Number.isNaN(v) ? v : null);

function tidyOf(fit: Rec): Rec[] {
  if (typeof fit.tidy === 'function') return (fit.tidy as () => Rec[])();
  if (typeof fit.summary === 'function') return (fit.summary as () => Rec[])();
  throw new Error('modelResult: expected a fit with tidy() or summary() (a cox(), ols(), logit() or lmm() result)');
}

function droppedReasons(d: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (!d || typeof d !== 'object') return out;
  const { missing, nonFinite } = d as { missing?: Record<string, number>; nonFinite?: Record<string, number> };
  for (const [col, k] of Object.entries(missing ?? {})) if (k > 0) out[`missing ${col}`] = k;
  for (const [expr, k] of Object.entries(nonFinite ?? {})) if (k > 0) out[`non-finite ${expr}`] = k;
  return out;
}

function factorsOf(design: unknown): Record<string, FactorLevels> {
  const f = (design as { factors?: Record<string, { column?: string; levels: string[]; reference: string }> } | undefined)?.factors;
  const out: Record<string, FactorLevels> = {};
  for (const [name, info] of Object.entries(f ?? {})) out[name] = { levels: info.levels, reference: info.reference };
  return out;
}

/** Reads a cox() table fit ({fit, design}), a table-level ols/logit/lmm fit, or any tidy-able fit. */
export function modelResult(model: unknown): ModelResult {
  if (!model || typeof model !== 'object') throw new Error('modelResult: expected a fitted model');
  const m = model as Rec;
  // cox(table, ...) returns { fit, design, rowIndex }.
  const inner = (m.fit && typeof m.fit === 'object' ? m.fit : m) as Rec;
  const design = (m.design ?? getFitContext(m)?.design) as Rec | undefined;
  const rows = tidyOf(inner).map((r) => ({
    term: String(r.term),
    estimate: num(r.estimate),
    stdError: num(r['std.error']),
    confLow: num(r['conf.low']),
    confHigh: num(r['conf.high']),
    pValue: num(r['p.value']),
  }));
  const n = num(inner.n) ?? num(inner.nobs) ?? (num(m.nInput) !== null && m.dropped ? (m.nInput as number) - ((m.dropped as { total: number }).total) : null);
  const events = num(inner.nEvent);
  const glance = typeof inner.glance === 'function' ? (inner.glance as () => Rec)() : {};
  const dfResidual = num(glance['df.residual']);
  const nCoef = rows.filter((r) => r.estimate !== null).length;
  const dropped = droppedReasons(design?.dropped ?? m.dropped);
  const kind = typeof inner.kind === 'string' ? inner.kind : typeof (m.fitOptions as Rec | undefined)?.model === 'string' ? String((m.fitOptions as Rec).model) : 'model';
  const factors = Object.freeze(factorsOf(design));
  return { kind, terms: rows, n, events, dfResidual, nCoef, dropped, factors };
}
