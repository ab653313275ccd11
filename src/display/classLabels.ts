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

/**
 * Each LCA row's modal class as a label `"01. label"` (zero-padded so labels sort in class order), keyed by
 * assessment_id: the `classes` table the unit builders (buildSurvivalEpisodes, buildPupilLinked) take.
 */
export function modalClassTable(assessmentIds: ArrayLike<unknown>, modal: ArrayLike<number>, classNames: readonly string[]): aq.ColumnTable {
  return aq.table({
    assessment_id: assessmentIds,
    class: Array.from(modal, (k) => `${String(k + 1).padStart(2, '0')}. ${classNames[k]}`),
  });
}
