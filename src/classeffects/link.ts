// One call from the study data to a key stage's pupil table that carries both uses of the demand class:
// the LCA row of each pupil's latest referral (for the posterior, BCH) and the modal class label of that
// row (for the descriptive tables). Notebook 03 links KS2 and KS4 this way.
import type { ColumnTable } from 'arquero';
import { buildLcaMatrix, buildPupilLinked, type PupilLinked, type StudyData } from '../data/index';
import { itemCodes } from '../display/columns';
import type { LcaFit } from '../lca/index';
import { lcaRowClasses, withModalClass } from './table';
import { loadDemandClasses, typologyMatrixOptions, type DemandClasses, type DemandTypologySettings } from './typology';

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

/**
 * Notebook 03's linkage in one call: the LCA matrix of the study's assessments (typologyMatrixOptions of
 * the saved typology), the demand classes from notebook 01's model at `typologyFile` (loadDemandClasses:
 * refitted with `fallback` when absent or made from other data; `label(fit, itemLabels)` names refitted
 * classes), and the KS2 and KS4 pupil tables linked to them (linkPupilClasses). The LCA matrix and its
 * item codes are dropped on return: at national size they are about 1 GB, and only the fit's posterior
 * (for BCH) is needed later. Errors: those of buildLcaMatrix, loadDemandClasses and linkPupilClasses.
 */
export async function linkDemandClasses(data: StudyData, typologyFile: string, o: {
  fallback: DemandTypologySettings & { chosenK: number }; label: (fit: LcaFit, itemLabels: string[]) => string[];
}): Promise<{ demand: DemandClasses; ks2: PupilLinked; ks4: PupilLinked }> {
  const { demand, rows } = await demandClassRows(data, typologyFile, o);
  // The LCA matrix is out of scope here, so it can be collected while the pupils are linked.
  const ks2 = await linkPupilClasses(data, 2, rows, demand.fit, demand.classLabels);
  const ks4 = await linkPupilClasses(data, 4, rows, demand.fit, demand.classLabels);
  return { demand, ks2, ks4 };
}

/** The demand classes of the study's assessments and the assessment → LCA row table (the matrix itself is not returned). */
async function demandClassRows(data: StudyData, typologyFile: string, o: Parameters<typeof linkDemandClasses>[2]): Promise<{ demand: DemandClasses; rows: ColumnTable }> {
  const lca = await buildLcaMatrix(data, typologyMatrixOptions(typologyFile));
  const itemLabels = lca.items.map((i) => lca.labels[i] ?? i);
  const demand = loadDemandClasses(typologyFile, itemCodes(lca.table, lca.items), {
    items: lca.items, fallback: o.fallback, label: (f) => o.label(f, itemLabels),
  });
  return { demand, rows: lcaRowClasses(lca.table) };
}
