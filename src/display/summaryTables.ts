// Disclosure-controlled summary tables for notebooks: counts, prevalences, rates, hazards and
// group means from a table, each passed through the protection layer (./sdc) before it is shown.
import { protectTable, ProtectedTable, SdcRules, sdcRules, SDC_SUPPRESSED } from './sdc';
import { checkMagnitude } from './protect/magnitude';
import { type Input, columnOf, itemCodes, nRows, sortKeys } from './columns';

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
  // Groups with a label come in the labels' order (a factor's own order: none, CIN, CPP, CLA), the rest sorted after them.
  const labelled = Object.keys(o.groupLabels ?? {}).filter((k) => acc.has(k));
  const keys = [...labelled, ...sortKeys([...acc.keys()].filter((k) => !labelled.includes(k)))];
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

/**
 * The rows of the `k` items with the most cases summed over groups (ties: first seen first), in their
 * input order; for plotting the commonest factors of an itemPrevalence table.
 */
export function mostPrevalent<R extends { item: string; n: number }>(long: readonly R[], k: number): R[] {
  const overall = new Map<string, number>();
  long.forEach((r) => overall.set(r.item, (overall.get(r.item) ?? 0) + r.n));
  const top = new Set([...overall.entries()].sort((a, b) => b[1] - a[1]).slice(0, k).map(([item]) => item));
  return long.filter((r) => top.has(r.item));
}
