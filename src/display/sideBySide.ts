import { formatEstimate } from '../core/numberStyle';

/**
 * Estimates from several models side by side (as modelsummary does): one row per term, one
 * column per model holding "estimate (low to high)" in the one number style (core/numberStyle). `rows` are broom-style tidy rows per model.
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
      row[m.name] = r ? `${formatEstimate(Number(r[est]), d)} (${formatEstimate(Number(r[lo]), d)} to ${formatEstimate(Number(r[hi]), d)})` : '';
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
