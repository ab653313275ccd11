import * as aq from 'arquero';

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

/** Class k's label as the unit tables carry it: `"01. label"`, zero-padded so labels sort in class order. */
export function numberedClassLabels(classNames: readonly string[]): string[] {
  return classNames.map((l, k) => `${String(k + 1).padStart(2, '0')}. ${l}`);
}

/**
 * Each LCA row's modal class as a label `"01. label"`, keyed by assessment_id: the `classes` table the unit
 * builders (buildSurvivalEpisodes, buildPupilLinked) take. The K labels are built once and shared by the
 * rows (millions at national scale), not formatted per row.
 */
export function modalClassTable(assessmentIds: ArrayLike<unknown>, modal: ArrayLike<number>, classNames: readonly string[]): aq.ColumnTable {
  const labels = numberedClassLabels(classNames);
  const cls = new Array<string>(modal.length);
  for (let i = 0; i < modal.length; i++) cls[i] = labels[modal[i]];
  return aq.table({ assessment_id: assessmentIds, class: cls });
}

/**
 * Units' modal class labels from their LCA-matrix rows: `lcaRow[i]` is unit i's row (null or NaN: no
 * class, kept null), `modal` each row's modal class (0-based). Gives the same column as joining
 * modalClassTable, from one join of the row numbers (lcaRowClasses), so a notebook that also needs
 * the rows for the class-error correction joins once. Throws on a row outside the matrix.
 */
export function modalClassLabels(lcaRow: ArrayLike<number | null | undefined>, modal: ArrayLike<number>, classNames: readonly string[]): (string | null)[] {
  const labels = numberedClassLabels(classNames);
  const out = new Array<string | null>(lcaRow.length);
  for (let i = 0; i < lcaRow.length; i++) {
    const r = lcaRow[i];
    if (r === null || r === undefined || Number.isNaN(r)) { out[i] = null; continue; }
    if (!(Number.isInteger(r) && r >= 0 && r < modal.length)) throw new Error(`modalClassLabels: row ${i} points at LCA row ${r}, outside 0..${modal.length - 1}`);
    out[i] = labels[modal[r]];
  }
  return out;
}
