// One call from the study data to a key stage's pupil table that carries both uses of the demand class:
// the LCA row of each pupil's latest referral (for the posterior, BCH) and the modal class label of that
// row (for the descriptive tables). Notebook 03 links KS2 and KS4 this way.
import type { ColumnTable } from 'arquero';
import { buildPupilLinked, type PupilLinked, type StudyData } from '../data/index';
import { withModalClass } from './table';

/**
 * buildPupilLinked(data, { keyStage, classes: lcaRows }) followed by withModalClass(table, fit, classNames):
 * the linked KS table gains `lca_row` (the LCA matrix row, or null for pupils without CIN contact) and
 * `demand_class` (that row's modal class, '01. …'), and the match report is kept.
 * `lcaRows` is lcaRowClasses(lcaMatrix.table). Errors: those of buildPupilLinked (no KS records, bad
 * key stage) and withModalClass (a row number outside the LCA fit).
 */
export async function linkPupilClasses(data: StudyData, keyStage: 2 | 4, lcaRows: ColumnTable,
  fit: { modal: ArrayLike<number> }, classNames: readonly string[]): Promise<PupilLinked> {
  const linked = await buildPupilLinked(data, { keyStage, classes: lcaRows });
  return Object.freeze({ ...linked, table: withModalClass(linked.table, fit, classNames) });
}
