// Small aggregation glue for notebooks: counts feeding disclosure-controlled tables and figures.
// Accepts arquero tables (duck-typed: columnNames()/array()/numRows()) or arrays of row objects,
// and loops over column arrays so it stays fast on a few hundred thousand rows.
import { protectTable, ProtectedTable, SdcRules, sdcRules, SDC_SUPPRESSED } from './sdc';
import { checkMagnitude } from './protect/magnitude';

export interface ColumnSource {
  columnNames(): string[];
  array(name: string): ArrayLike<unknown>;
  numRows(): number;
}

type Input = ColumnSource | ReadonlyArray<object>;

function isColumnSource(x: unknown): x is ColumnSource {
  return typeof x === 'object' && x !== null && typeof (x as ColumnSource).array === 'function' && typeof (x as ColumnSource).numRows === 'function';
}

/** Column values of `name`, with a clear error naming the missing column. */
export function columnOf(input: Input, name: string, fn = 'display'): ArrayLike<unknown> {
  if (isColumnSource(input)) {
    if (!input.columnNames().includes(name)) throw new Error(`${fn}: column "${name}" not found (columns: ${input.columnNames().join(', ')})`);
    return input.array(name);
  }
  const rows = input as ReadonlyArray<Record<string, unknown>>;
  if (rows.length > 0 && !(name in rows[0])) throw new Error(`${fn}: column "${name}" not found (columns: ${Object.keys(rows[0]).join(', ')})`);
  return rows.map((r) => r[name]);
}

function nRows(input: Input): number {
  return isColumnSource(input) ? input.numRows() : (input as ReadonlyArray<unknown>).length;
}

function sortKeys(keys: string[]): string[] {
  const numeric = keys.every((k) => k !== '' && Number.isFinite(Number(k)));
  return numeric ? keys.sort((a, b) => Number(a) - Number(b)) : keys.sort();
}

/**
 * Prevalence of binary items within groups (e.g. factor by census year), long format:
 * one row per group × item with `n` (rows with the item = 1) and `total` (rows in the group).
 * Items that are null/missing count in neither.
 */
export function itemPrevalence(
  input: Input,
  o: { group: string; items: string[]; labels?: Record<string, string> },
): Array<{ group: string; item: string; label: string; n: number; total: number }> {
  const g = columnOf(input, o.group, 'itemPrevalence');
  const n = nRows(input);
  const groupIndex = new Map<string, number>();
  const groupOfRow = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const key = String(g[i]);
    let k = groupIndex.get(key);
    if (k === undefined) {
      k = groupIndex.size;
      groupIndex.set(key, k);
    }
    groupOfRow[i] = k;
  }
  const G = groupIndex.size;
  const totals = new Float64Array(G);
  for (let i = 0; i < n; i++) totals[groupOfRow[i]]++;
  const out: Array<{ group: string; item: string; label: string; n: number; total: number }> = [];
  const groups = sortKeys([...groupIndex.keys()]);
  const perItem = o.items.map((item) => {
    const col = columnOf(input, item, 'itemPrevalence');
    const hits = new Float64Array(G);
    for (let i = 0; i < n; i++) {
      const v = col[i];
      if (v === 1 || v === true) hits[groupOfRow[i]]++;
    }
    return hits;
  });
  for (const key of groups) {
    const k = groupIndex.get(key)!;
    o.items.forEach((item, j) => out.push({ group: key, item, label: o.labels?.[item] ?? item, n: perItem[j][k], total: totals[k] }));
  }
  return out;
}

/**
 * Cross-tabulation of two columns as a wide table of counts (rows = levels of `row`, one count
 * column per level of `col`), protected by the SDC rules with both margins treated as published.
 */
export function crossTab(
  input: Input,
  o: { row: string; col: string; rowLabels?: Record<string, string>; colLabels?: Record<string, string>; rules?: Partial<SdcRules>; total?: boolean },
): ProtectedTable {
  const a = columnOf(input, o.row, 'crossTab');
  const b = columnOf(input, o.col, 'crossTab');
  const n = nRows(input);
  const counts = new Map<string, Map<string, number>>();
  const colKeys = new Set<string>();
  for (let i = 0; i < n; i++) {
    if (a[i] === null || a[i] === undefined || b[i] === null || b[i] === undefined) continue;
    const r = String(a[i]);
    const c = String(b[i]);
    colKeys.add(c);
    let m = counts.get(r);
    if (!m) counts.set(r, (m = new Map()));
    m.set(c, (m.get(c) ?? 0) + 1);
  }
  const cols = sortKeys([...colKeys]);
  const colNames = cols.map((c) => o.colLabels?.[c] ?? c);
  const rows = sortKeys([...counts.keys()]).map((r) => {
    const row: Record<string, unknown> = { [o.row]: o.rowLabels?.[r] ?? r };
    cols.forEach((c, j) => (row[colNames[j]] = counts.get(r)!.get(c) ?? 0));
    return row;
  });
  return protectTable(rows, { countColumns: colNames, rules: o.rules, totalRow: o.total === false ? undefined : 'Total', labelColumn: o.row });
}

/** Counts and a binary outcome's rate by group (e.g. re-referred within 12 months by pathway). */
export function rateByGroup(
  input: Input,
  o: { group: string; outcome: string; rules?: Partial<SdcRules>; label?: string },
): ProtectedTable {
  const g = columnOf(input, o.group, 'rateByGroup');
  const y = columnOf(input, o.outcome, 'rateByGroup');
  const n = nRows(input);
  const acc = new Map<string, { n: number; events: number }>();
  for (let i = 0; i < n; i++) {
    if (y[i] === null || y[i] === undefined) continue;
    const key = String(g[i]);
    let s = acc.get(key);
    if (!s) acc.set(key, (s = { n: 0, events: 0 }));
    s.n++;
    if (y[i] === 1 || y[i] === true) s.events++;
  }
  const rows = sortKeys([...acc.keys()]).map((k) => ({ [o.group]: k, children: acc.get(k)!.n, events: acc.get(k)!.events }));
  return protectTable(rows, {
    countColumns: ['children', 'events'],
    margins: 'columns',
    rates: [{ column: o.label ?? 'percent', numerator: 'events', denominator: 'children' }],
    rules: o.rules,
    totalRow: 'All',
    labelColumn: o.group,
  });
}

/**
 * Readable class labels from item-response profiles: each class is named by the items most
 * over-represented relative to the overall prevalence (ratio P(item | class) / P(item)), among
 * items with P(item | class) ≥ minProb. Returns e.g. "Domestic violence + Mental health".
 */
export function classProfileLabels(
  itemProbs: ReadonlyArray<ReadonlyArray<number>>,
  shares: ArrayLike<number>,
  itemLabels: string[],
  o: { maxItems?: number; minProb?: number } = {},
): string[] {
  const K = itemProbs.length;
  const J = itemLabels.length;
  const maxItems = o.maxItems ?? 2;
  const minProb = o.minProb ?? 0.4;
  const overall = new Array<number>(J).fill(0);
  for (let k = 0; k < K; k++) for (let j = 0; j < J; j++) overall[j] += shares[k] * itemProbs[k][j];
  const labels = itemProbs.map((p) => {
    const ranked = p
      .map((v, j) => ({ j, v, lift: v / Math.max(overall[j], 1e-12) }))
      .filter((e) => e.v >= minProb)
      .sort((a, b) => b.lift * Math.sqrt(b.v) - a.lift * Math.sqrt(a.v));
    if (ranked.length === 0) {
      const top = p.map((v, j) => ({ j, v })).sort((a, b) => b.v - a.v)[0];
      return `Low-factor (${itemLabels[top.j]})`;
    }
    return ranked
      .slice(0, maxItems)
      .map((e) => itemLabels[e.j])
      .join(' + ');
  });
  // Disambiguate duplicates by appending the class number.
  const seen = new Map<string, number>();
  labels.forEach((l) => seen.set(l, (seen.get(l) ?? 0) + 1));
  return labels.map((l, k) => (seen.get(l)! > 1 ? `${l} (${k + 1})` : l));
}

/** Binary item columns of a table as LCA codes (0/1, missing → −1 as the LCA engine's coded
 *  input expects for NA). Throws naming the first item column and row holding another value. */
export function itemCodes(input: Input, items: string[]): { codes: Int16Array; nRows: number; nItems: number } {
  const n = nRows(input);
  const J = items.length;
  const codes = new Int16Array(n * J);
  items.forEach((item, j) => {
    const col = columnOf(input, item, 'itemCodes');
    for (let i = 0; i < n; i++) {
      const v = col[i];
      if (v === 1 || v === true) codes[i * J + j] = 1;
      else if (v === 0 || v === false) codes[i * J + j] = 0;
      else if (v === null || v === undefined) codes[i * J + j] = -1;
      else throw new Error(`itemCodes: item "${item}" row ${i + 1} holds ${JSON.stringify(v)}, expected 0/1`);
    }
  });
  return { codes, nRows: n, nItems: J };
}

/** Long prevalence rows (from itemPrevalence) as a wide table: one row per item, one percentage
 *  column per group, each suppressed when its numerator, complement or denominator is small. */
export function prevalenceTable(
  long: ReadonlyArray<{ group: string; item: string; label: string; n: number; total: number }>,
  o: { rules?: Partial<SdcRules>; digits?: number; itemHeader?: string } = {},
): ProtectedTable {
  const groups: string[] = [];
  const byItem = new Map<string, Record<string, unknown>>();
  const header = o.itemHeader ?? 'factor';
  for (const r of long) {
    if (!groups.includes(r.group)) groups.push(r.group);
    let row = byItem.get(r.item);
    if (!row) byItem.set(r.item, (row = { [header]: r.label }));
    row[`n_${r.group}`] = r.n;
    row[`d_${r.group}`] = r.total;
  }
  const t = protectTable([...byItem.values()], {
    countColumns: [],
    margins: 'none',
    rules: o.rules,
    rates: groups.map((g) => ({ column: `${g} %`, numerator: `n_${g}`, denominator: `d_${g}`, digits: o.digits ?? 1 })),
  });
  const keep = [header, ...groups.map((g) => `${g} %`)];
  const rows = t.rows.map((r) => {
    const o2: Record<string, unknown> = {};
    for (const k of keep) o2[k] = r[k];
    return o2;
  });
  return Object.freeze({ ...t, rows: Object.freeze(rows.map((r) => Object.freeze(r))) as ProtectedTable['rows'], columns: Object.freeze(keep) });
}

/**
 * Hazard per unit time in intervals [breaks[i], breaks[i+1]), from a Kaplan–Meier curve's risk
 * sets: events in the interval over person-time at risk (∫ nRisk(t) dt, exact because nRisk is a
 * step function over the curve's distinct times). Shows when the hazard peaks. Events below the
 * SDC threshold suppress the interval's hazard (null) and count.
 */
export function hazardByInterval(
  curve: { time: ArrayLike<number>; nRisk: ArrayLike<number>; nEvent: ArrayLike<number> },
  breaks: number[],
  rules?: Partial<SdcRules>,
): ProtectedTable {
  const rows: Array<Record<string, unknown>> = [];
  const n = curve.time.length;
  for (let b = 0; b + 1 < breaks.length; b++) {
    const lo = breaks[b];
    const hi = breaks[b + 1];
    let events = 0;
    let personTime = 0;
    let prev = 0;
    for (let k = 0; k < n; k++) {
      const t = curve.time[k];
      // nRisk[k] are at risk on (prev, t]
      const a = Math.max(prev, lo);
      const z = Math.min(t, hi);
      if (z > a) personTime += curve.nRisk[k] * (z - a);
      if (t >= lo && t < hi) events += curve.nEvent[k];
      prev = t;
      if (prev >= hi) break;
    }
    rows.push({ from: lo, to: hi, events, 'person-time': personTime });
  }
  // Person-time is a magnitude that, with the hazard, gives back the events: it is rounded like a
  // count, and the hazard is computed from the shown (protected) events and person-time, so
  // hazard × person-time returns only the rounded count already in the table.
  const r = sdcRules(rules);
  const t = protectTable(rows.map((x) => ({ ...x, 'person-time': Math.round(x['person-time'] as number) })), { countColumns: ['events', 'person-time'], margins: 'none', rules: r });
  const out = t.rows.map((row) => {
    const e = row.events;
    const pt = row['person-time'];
    const ok = typeof e === 'number' && typeof pt === 'number' && pt > 0;
    return { ...row, hazard: ok ? Number(((e as number) / (pt as number)).toPrecision(3)) : SDC_SUPPRESSED };
  });
  return Object.freeze({ ...t, rows: Object.freeze(out) as ProtectedTable['rows'], columns: Object.freeze([...t.columns.filter((c) => c !== 'hazard'), 'hazard']) });
}

/**
 * Estimates from several models side by side (as modelsummary does): one row per term, one
 * column per model holding "estimate (low–high)". `rows` are broom-style tidy rows per model.
 */
export function sideBySide(
  models: Array<{ name: string; rows: ReadonlyArray<Record<string, unknown>> }>,
  o: { estimate?: string; low?: string; high?: string; digits?: number; termLabel?: (term: string) => string; footer?: Array<Record<string, string | number>> } = {},
): Array<Record<string, string>> {
  const est = o.estimate ?? 'estimate';
  const lo = o.low ?? 'conf.low';
  const hi = o.high ?? 'conf.high';
  const d = o.digits ?? 2;
  const terms: string[] = [];
  for (const m of models) for (const r of m.rows) if (!terms.includes(String(r.term))) terms.push(String(r.term));
  const out = terms.map((term) => {
    const row: Record<string, string> = { term: o.termLabel ? o.termLabel(term) : term };
    for (const m of models) {
      const r = m.rows.find((x) => String(x.term) === term);
      row[m.name] = r ? `${Number(r[est]).toFixed(d)} (${Number(r[lo]).toFixed(d)}–${Number(r[hi]).toFixed(d)})` : '';
    }
    return row;
  });
  for (const f of o.footer ?? []) {
    const row: Record<string, string> = { term: String(f.term) };
    for (const m of models) row[m.name] = f[m.name] === undefined ? '' : String(f[m.name]);
    out.push(row);
  }
  return out;
}

/**
 * Group sizes, means of continuous outcomes and percentages of binary outcomes by group, with
 * disclosure control: the group size is a count (suppressed/rounded), a mean is suppressed when
 * fewer than minCount values enter it, a percentage as `protectRate` says. Missing outcome values
 * are left out of that outcome's mean. Adds an "All" row.
 */
export function groupSummary(
  input: Input,
  o: { group: string; means?: string[]; percents?: string[]; rules?: Partial<SdcRules>; groupLabels?: Record<string, string>; digits?: number },
): ProtectedTable {
  const g = columnOf(input, o.group, 'groupSummary');
  const n = nRows(input);
  const means = o.means ?? [];
  const percents = o.percents ?? [];
  const meanCols = means.map((c) => columnOf(input, c, 'groupSummary'));
  const pctCols = percents.map((c) => columnOf(input, c, 'groupSummary'));
  type Acc = { n: number; sum: number[]; cnt: number[]; vals: number[][]; hits: number[]; den: number[] };
  const mk = (): Acc => ({ n: 0, sum: means.map(() => 0), cnt: means.map(() => 0), vals: means.map(() => []), hits: percents.map(() => 0), den: percents.map(() => 0) });
  const acc = new Map<string, Acc>();
  const all = mk();
  for (let i = 0; i < n; i++) {
    const key = g[i] === null || g[i] === undefined ? '(missing)' : String(g[i]);
    let a = acc.get(key);
    if (!a) acc.set(key, (a = mk()));
    for (const t of [a, all]) {
      t.n++;
      meanCols.forEach((col, j) => {
        const v = col[i];
        if (typeof v === 'number' && Number.isFinite(v)) {
          t.sum[j] += v;
          t.cnt[j]++;
          if (t !== all) t.vals[j].push(v);
        }
      });
      pctCols.forEach((col, j) => {
        const v = col[i];
        if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) return;
        t.den[j]++;
        if (v === 1 || v === true) t.hits[j]++;
      });
    }
  }
  const rules = o.rules;
  // A mean is shown when its contributors pass the threshold and the dominance rules (N-K, p%).
  // The All row's mean is judged on its size only (its values are the groups' values pooled).
  const meanOk = (a: Acc, j: number) => (a === all ? a.cnt[j] >= sdcRules(rules).minCount : checkMagnitude(a.vals[j], rules).ok);
  const toRow = (label: string, a: Acc) => {
    const row: Record<string, unknown> = { [o.group]: o.groupLabels?.[label] ?? label, pupils: a.n };
    means.forEach((c, j) => (row[`mean ${c}`] = a.cnt[j] === 0 ? null : meanOk(a, j) ? a.sum[j] / a.cnt[j] : SDC_SUPPRESSED));
    percents.forEach((c, j) => {
      row[`n_${c}`] = a.hits[j];
      row[`d_${c}`] = a.den[j];
    });
    return row;
  };
  const keys = sortKeys([...acc.keys()]);
  const rows = keys.map((k) => toRow(k, acc.get(k)!));
  // Secondary suppression of means: with the All row's mean and every group's size shown, a single
  // hidden group mean is (All × N − Σ shown)/n. Hide the next smallest group's mean too.
  means.forEach((c, j) => {
    const col = `mean ${c}`;
    const hidden = rows.filter((r) => r[col] === SDC_SUPPRESSED);
    if (hidden.length !== 1) return;
    let best = -1;
    keys.forEach((k, i) => {
      if (typeof rows[i][col] === 'number' && (best < 0 || acc.get(k)!.cnt[j] < acc.get(keys[best])!.cnt[j])) best = i;
    });
    if (best >= 0) rows[best][col] = SDC_SUPPRESSED;
  });
  rows.push(toRow('All', all));
  const t = protectTable(rows, {
    countColumns: ['pupils'],
    margins: 'columns',
    rules,
    rates: percents.map((c) => ({ column: `% ${c}`, numerator: `n_${c}`, denominator: `d_${c}`, digits: o.digits ?? 1 })),
  });
  const keep = [o.group, 'pupils', ...means.map((c) => `mean ${c}`), ...percents.map((c) => `% ${c}`)];
  const out = t.rows.map((r) => {
    const x: Record<string, unknown> = {};
    for (const k of keep) x[k] = r[k];
    // a suppressed group size hides its means too
    if (r.pupils === '[c]') for (const k of keep.slice(2)) x[k] = '[c]';
    return Object.freeze(x);
  });
  return Object.freeze({ ...t, rows: Object.freeze(out) as ProtectedTable['rows'], columns: Object.freeze(keep) });
}

/** Columns of row objects that hold only non-negative integers (i.e. counts), excluding names
 *  that look like years, identifiers of levels or percentages. For tables of mixed content. */
export function countLikeColumns(rows: ReadonlyArray<object>, exclude: RegExp = /year|decile|pct|percent|rate|%|stage|^k$/i): string[] {
  if (rows.length === 0) return [];
  const cols = Object.keys(rows[0]);
  return cols.filter(
    (c) =>
      !exclude.test(c) &&
      rows.every((r) => {
        const v = (r as Record<string, unknown>)[c];
        return v === null || v === undefined || (typeof v === 'number' && Number.isInteger(v) && v >= 0);
      }) &&
      rows.some((r) => typeof (r as Record<string, unknown>)[c] === 'number'),
  );
}
