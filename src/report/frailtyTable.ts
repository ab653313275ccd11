/**
 * A shared-frailty Cox fit's variance component as a publication table: the frailty variance θ,
 * the SD of the relative hazard (√θ), the frailty term's effective df and its test, and under it,
 * as under every model table, N, events, events per coefficient and the rows dropped (with why),
 * through the disclosure layer (modelStats). Follows R's print.coxph.penal, which reports the
 * frailty's variance, df and p beside the fixed effects.
 */
import { SDC_SUPPRESSED, sdcRules, type SdcRules } from '../display/index';
import { formatEstimate, formatP } from '../display/numbers';
import { modelResult } from './adapter';
import type { DataDictionary } from './dictionary';
import { modelStatRows, type TableRow } from './modelStats';
import type { PublicationTable } from './modelTable';

/** What frailtyTable reads of a cox(…, 'frailty(g)') fit (a CoxFrailtyTableFit). */
export interface FrailtyFitLike {
  readonly theta: number;
  readonly frailtyTest: { readonly statistic: number; readonly df: number; readonly p: number };
}

export interface FrailtyTableOptions {
  readonly caption?: string;
  /** Model column header (default "Shared gamma frailty"). */
  readonly name?: string;
  /** What the frailty groups are, for the row labels (default "group"; e.g. "LA"). */
  readonly group?: string;
  readonly dictionary?: DataDictionary;
  readonly rules?: Partial<SdcRules>;
  /** Decimal places of θ and its SD (default 3). */
  readonly digits?: number;
  readonly notes?: readonly string[];
}

/**
 * The variance-component table of a shared gamma frailty fit. Throws if `fit` has no θ (not a
 * frailty fit). θ and √θ to `digits` decimals, the frailty df to 1, p as formatP.
 */
export function frailtyTable(fit: FrailtyFitLike, options: FrailtyTableOptions = {}): PublicationTable {
  if (typeof fit?.theta !== 'number' || !fit.frailtyTest) throw new Error('frailtyTable: expected a shared-frailty Cox fit (cox(…, "… + frailty(g)")) with theta and frailtyTest');
  const rules = sdcRules(options.rules);
  const dg = options.digits ?? 3;
  const g = options.group ?? 'group';
  const term = (label: string, value: string): TableRow => ({ kind: 'term', label, indent: false, cells: [value] });
  const rows: TableRow[] = [
    term(`${g} frailty variance θ`, formatEstimate(fit.theta, dg)),
    term('SD of the relative hazard (√θ)', formatEstimate(Math.sqrt(fit.theta), dg)),
    term('Frailty term: effective df', formatEstimate(fit.frailtyTest.df, 1)),
    term('Frailty term: p', formatP(fit.frailtyTest.p)),
  ];
  const stats = modelStatRows([modelResult(fit)], { rules, dictionary: options.dictionary });
  rows.push(...stats.rows);
  const notes = [
    `θ: variance of the ${g} relative hazard (mean 1), chosen by the integrated likelihood; the frailty test is R's Wald test of the penalised term.`,
    `Counts: fewer than ${rules.minCount} shown as ${SDC_SUPPRESSED}, others rounded to the nearest ${rules.roundTo}.`,
    ...(stats.flagged ? [stats.note] : []),
    ...(options.notes ?? []),
  ];
  return { caption: options.caption ?? null, columns: ['Estimate'], spanners: [{ label: options.name ?? 'Shared gamma frailty', span: 1 }], rows, notes, rules };
}
