// Counterfactual designs: the same rows and columns with some variables overridden (margins).
import type { DenseMatrix } from '../core/matrix';
import { buildDesign, type Design, type TableLike } from './design';

/** Re-evaluates a design on the same rows with some columns overridden (counterfactuals). */
export function rebuildDesign(design: Design, table: TableLike, overrides: Readonly<Record<string, unknown>>): DenseMatrix {
  const d = buildDesign(table, design.spec, {
    intercept: design.intercept,
    checkCollinear: false,
    response: false,
    overrides,
    factorsFrom: design.factors,
    rows: design.rowIndex,
  });
  const idx = design.names.map((nm) => d.allNames.indexOf(nm));
  if (idx.some((j) => j < 0)) throw new Error('rebuildDesign: columns changed under overrides');
  const p = idx.length;
  const nRows = d.n;
  const pa = d.x.ncol;
  const out = new Float64Array(nRows * p);
  for (let k = 0; k < nRows; k++) for (let j = 0; j < p; j++) out[k * p + j] = d.x.data[k * pa + idx[j]];
  return { nrow: nRows, ncol: p, data: out };
}
