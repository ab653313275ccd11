/**
 * The one number style of everything the library shows: the definitions live in
 * core/numberStyle.ts (so that warnings written below the display layer use it too); this file
 * adds what needs the disclosure layer (formatCount of a protected count).
 */
import { SDC_SUPPRESSED } from './sdc';
import { typographicMinus } from '../core/numberStyle';

export {
  MINUS, typographicMinus, asciiMinus, formatEstimate, formatP, pInProse, isPValueColumn, formatNumber, formatFixed, formatWhole,
} from '../core/numberStyle';

/** A count that went through protectCount (null: suppressed), with thousands separators. */
export function formatCount(n: number | null): string {
  return n === null ? SDC_SUPPRESSED : typographicMinus(n.toLocaleString('en-GB', { maximumFractionDigits: 0 }));
}

