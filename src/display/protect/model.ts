// Disclosure checks for fitted models, as ACRO applies them to regression outputs: a model whose
// residual degrees of freedom fall below the threshold is close to reproducing its data, and so is
// a survival/logistic model with few events per estimated coefficient.
import { sdcRules, protectCount, type SdcRules } from '../sdc';
import { formatEstimate } from '../../core/numberStyle';

export interface ModelSize {
  /** Observations used in the fit. */
  n: number;
  /** Estimated coefficients (including the intercept where there is one). */
  nCoef: number;
  /** Events (survival / binary outcomes); omitted for linear models. */
  nEvent?: number;
}

export interface ModelDisclosure {
  /** N rounded and thresholded, as any count. */
  n: number | null;
  /** Residual degrees of freedom, n − nCoef (exact n: df is a model property ACRO reports as is). */
  dfResidual: number;
  eventsPerCoef: number | null;
  /** Rounded event count, null when small. */
  nEvent: number | null;
  status: 'pass' | 'fail';
  reasons: string[];
}

/** Rows for a model table footer: N, residual df and (for event models) events per coefficient,
 *  with the flags ACRO's residual-df rule and the events-per-coefficient rule raise. */
export function modelDisclosure(m: ModelSize, partial?: Partial<SdcRules>): ModelDisclosure {
  const rules = sdcRules(partial);
  const dfResidual = m.n - m.nCoef;
  const reasons: string[] = [];
  if (!(dfResidual >= rules.minCount)) reasons.push(`residual df ${dfResidual} below ${rules.minCount}`);
  let epc: number | null = null;
  if (m.nEvent !== undefined) {
    epc = m.nCoef > 0 ? m.nEvent / m.nCoef : null;
    if (epc !== null && epc < rules.minCount) reasons.push(`events per coefficient ${formatEstimate(epc, 1)} below ${rules.minCount}`);
  }
  return {
    n: protectCount(m.n, rules),
    dfResidual,
    eventsPerCoef: epc === null ? null : Math.floor(epc),
    nEvent: m.nEvent === undefined ? null : protectCount(m.nEvent, rules),
    status: reasons.length === 0 ? 'pass' : 'fail',
    reasons,
  };
}
