/** Draws and field formats of the synthetic generator (./generate): code distributions, categorical and exponential draws, fixed-width and rounded numbers. */
import type { Rng } from '../../core/random';
import { CIN_CODE_LISTS, cinSchemaYearFor, FACTOR_HARMONISATION, type CinCodeLists } from '../codes';

export const ETHNICITY_DIST: Array<[string, number]> = [
  ['WBRI', 0.7], ['WIRI', 0.003], ['WIRT', 0.002], ['WOTH', 0.06], ['WROM', 0.004], ['MWBC', 0.015], ['MWBA', 0.007],
  ['MWAS', 0.01], ['MOTH', 0.015], ['AIND', 0.03], ['APKN', 0.04], ['ABAN', 0.015], ['AOTH', 0.015], ['BCRB', 0.01],
  ['BAFR', 0.035], ['BOTH', 0.007], ['CHNE', 0.004], ['OOTH', 0.015], ['REFU', 0.003], ['NOBT', 0.0],
];
export const REFERRAL_SOURCE_DIST: Array<[string, number]> = [
  ['1A', 0.04], ['1B', 0.01], ['1C', 0.01], ['1D', 0.01], ['2A', 0.18], ['2B', 0.02], ['3A', 0.03], ['3B', 0.02],
  ['3C', 0.01], ['3D', 0.03], ['3E', 0.03], ['3F', 0.02], ['4', 0.02], ['5A', 0.04], ['5B', 0.03], ['5C', 0.03],
  ['5D', 0.01], ['6', 0.29], ['7', 0.02], ['8', 0.05], ['9', 0.02], ['10', 0.06],
];
export const PRIMARY_NEED_BY_CLASS: string[][] = [
  ['N9', 'N4', 'N5'], ['N1', 'N5'], ['N3', 'N5', 'N1'], ['N2'], ['N6', 'N4'], ['N6', 'N1'], ['N1', 'N5'], ['N1', 'N5'],
  ['N5', 'N4'], ['N1'], ['N1'], ['N1'], ['N1', 'N5'],
];

/** A value drawn with probability weight / total from [value, weight] pairs (one uniform draw). */
export function pick<T>(rng: Rng, dist: ReadonlyArray<[T, number]>, total: number): T {
  let u = rng.nextFloat() * total;
  for (const [v, w] of dist) {
    u -= w;
    if (u < 0) return v;
  }
  return dist[dist.length - 1][0];
}
/** An index drawn with the given probabilities (one uniform draw; the last index absorbs rounding). */
export function pickIndex(rng: Rng, probs: ReadonlyArray<number>): number {
  let u = rng.nextFloat();
  for (let i = 0; i < probs.length; i++) {
    u -= probs[i];
    if (u < 0) return i;
  }
  return probs.length - 1;
}
/** A standard exponential draw (mean 1), by inversion. */
export function expo(rng: Rng): number {
  let u = rng.nextFloat();
  while (u === 0) u = rng.nextFloat();
  return -Math.log(u);
}
/** n as text, zero-padded to width w. */
export function pad(n: number, w: number): string {
  let s = String(n);
  while (s.length < w) s = '0' + s;
  return s;
}
/** x rounded to 1 decimal, as text (Attainment 8). */
export function fmt1(x: number): string {
  return (Math.round(x * 10) / 10).toFixed(1);
}
/** x rounded to 2 decimals, as text (Progress 8). */
export function fmt2(x: number): string {
  return (Math.round(x * 100) / 100).toFixed(2);
}


/** x rounded to an integer and clamped to [lo, hi] (KS2 scaled scores 80–120). */
export function clampRound(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, Math.round(x)));
}

/** the CIN code lists census year `cy` is returned under (codes.ts: the one source the loaders check against) */
export function codeListsOf(cy: number): CinCodeLists {
  return CIN_CODE_LISTS[cinSchemaYearFor(cy).schemaYear];
}

/** the codes a harmonised item may be recorded as, preferred first (split codes: the adult-on-child variant, else the code it replaced) */
const RAW_CODES: Readonly<Record<string, ReadonlyArray<string>>> = { '8': ['8F'], '13': ['13A'], '18': ['18C', '18A'], '19': ['19C', '19A'], '21': ['21'] };

/** The raw code a harmonised item is recorded as in census year `cy`: the first of its codes that year's list holds. */
export function rawCodeFor(item: string, cy: number): string {
  const list = codeListsOf(cy).factors;
  const code = (RAW_CODES[item] ?? [item]).find((c) => list.includes(c));
  if (code === undefined) throw new Error(`rawCodeFor: no code of factor item ${item} is in the census ${cy} list`);
  return code;
}

/**
 * An assessment's raw factor codes (';'-separated) as the census of year `cy` records them: a census
 * row repeats the assessment every year the episode is open, each under its own year's list (an
 * assessment of 2019/20 with 18A shows 18C in the 2020/21 row, where 18A is no longer listed).
 */
export function factorsForCensusYear(raw: string, cy: number): string {
  if (raw === '') return '';
  return raw.split(';').map((c) => {
    const item = FACTOR_HARMONISATION[c];
    if (item === undefined) throw new Error(`factorsForCensusYear: '${c}' is not a CIN factor code`);
    return rawCodeFor(item ?? '21', cy); // null: '21', no factors identified
  }).join(';');
}

/** [code, weight] pairs of a distribution restricted to the codes a list holds (the weights of the rest are shared out by pick) */
export function validOnly<T extends string>(dist: ReadonlyArray<[T, number]>, list: ReadonlyArray<string>): { dist: Array<[T, number]>; total: number } {
  const d = dist.filter(([c]) => list.includes(c));
  return { dist: d, total: d.reduce((a, b) => a + b[1], 0) };
}
