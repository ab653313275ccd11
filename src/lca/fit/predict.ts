/** Posterior class membership of new rows under a fitted latent class model. */
import type { MatrixInput } from '../../core/matrix';
import { posteriorAt } from '../em/em';
import { type LcaRowsInput, codeRows, prepareLcaData } from '../prepare';
import { buildCovariates } from './params';
import type { LcaFit, LcaPrediction } from './types';

/**
 * Posterior class membership of new rows under a fitted LCA: posterior (rows × K), modal class
 * (0-based) and log-likelihood, by Bayes' rule over the observed items (missing items drop out).
 * Items are coded with the fitted model's categories, so an item missing in every new row is
 * allowed and contributes nothing (as poLCA's posterior with NA responses).
 * Errors: a different number of items, a category the model does not have, covariates missing or
 * of the wrong width.
 */
export function predictWith(fit: LcaFit, newRows: LcaRowsInput, newCovariates?: MatrixInput): LcaPrediction {
  const prep = fit.internal.prepared;
  const coded = codeRows(newRows, fit.nCategories, 'newRows', { categories: 'the model', itemNames: fit.itemNames });
  let cov: { x: Float64Array; S: number } | null = null;
  if (prep.data.covariates) {
    if (!newCovariates) throw new Error('predict: the model has covariates; pass newCovariates');
    cov = buildCovariates(newCovariates, coded.nRows);
    if (cov.S !== prep.data.nCov) throw new Error(`newCovariates: ${cov.S - 1} columns, the model has ${prep.data.nCov - 1}`);
  }
  const p2 = prepareLcaData(coded, { covariates: cov ? cov.x : null, nCov: cov ? cov.S : 0, compress: false, eStep: 'dense' });
  const K = fit.nClasses;
  const out = new Float64Array(coded.nRows * K);
  const logLik = posteriorAt(p2.data, fit.internal.params, false, out);
  const modal = new Int32Array(coded.nRows);
  for (let i = 0; i < coded.nRows; i++) {
    let a = 0;
    for (let k = 1; k < K; k++) if (out[i * K + k] > out[i * K + a]) a = k;
    modal[i] = a;
  }
  return { posterior: Object.freeze({ nrow: coded.nRows, ncol: K, data: out }), modal, logLik };
}

/** Posterior and modal class for new rows under a fitted model. */
export function predictLca(fit: LcaFit, newRows: LcaRowsInput, newCovariates?: MatrixInput): LcaPrediction {
  return predictWith(fit, newRows, newCovariates);
}
