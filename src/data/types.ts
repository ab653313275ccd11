import type { ColumnTable } from 'arquero';

/** Synthetic data sizes: `tiny` (tests, ~5k children), `small` (notebook default, ~50k CIN children), `national` (~4.2M assessments). */
export type SyntheticScale = 'tiny' | 'small' | 'regional' | 'national';

export interface SyntheticOptions {
  scale: SyntheticScale;
  seed: number;
  /** output folder; default `<repo root>/data/synthetic/<scale>-seed<seed>/` */
  dir?: string;
}

/** Where loadStudyData reads from. */
export type StudySource =
  | { kind: 'synthetic'; scale?: SyntheticScale; seed?: number; dir?: string }
  | {
      kind: 'extracts';
      /** paths to NPD-style CSV extracts; only `cin` is required */
      files: { cin: string | string[]; cla?: string; ks2?: string; ks4?: string; pupils?: string };
      /** overrides of the default NPD-style mapping (see NPD_MAPPING) */
      mapping?: PartialExtractMapping;
      /** last day of the data (ISO date); default 31 March of the last declared census year, else of the latest plausible census year (with a warning) */
      endOfData?: string;
      /** study window: census years (year ending 31 March) from, to; rows outside are excluded */
      censusYears?: [number, number];
      /** the one date format of the extracts; other formats are refused, never guessed. Default YYYY-MM-DD */
      dateFormat?: 'YYYY-MM-DD' | 'DD/MM/YYYY' | 'MM/DD/YYYY';
      /** CSV dialect, declared (never sniffed); default delimiter ',', quote '"' */
      dialect?: { delimiter?: string; quote?: string };
    }
  | {
      kind: 'cin-xml';
      /** LA CIN census XML returns, any schema year (2024/25 on: <Sex> in place of <GenderCurrent>) */
      files: string[];
      /** the LA's own SSDA903 return (DfE header and episodes CSVs, d/m/y dates) */
      ssda903?: { header: string; episodes: string };
      endOfData?: string;
      censusYears?: [number, number];
    }
  | { kind: 'ssda903'; files: { header: string; episodes: string }; /** the LA's code (the return carries none) */ la?: string; endOfData?: string; censusYears?: [number, number] };

/** How the factors are laid out in a CIN extract. */
export type FactorLayout =
  | { style: 'list'; column: string; delimiter: string }
  | { style: 'flags'; /** flag column per raw factor code, e.g. { '3B': 'CIN_Factor_3B' }; or a prefix: column = prefix + code */ columns?: Record<string, string>; prefix?: string };

/** How the date of birth is laid out. */
export type BirthLayout = { style: 'date'; column: string } | { style: 'month-year'; month: string; year: string };

/**
 * Column mapping from canonical field -> extract column name, per source. A canonical field missing
 * from the mapping, or mapped to a column missing from the file, is an error only if it is required.
 */
export interface CinMapping {
  [field: string]: string | FactorLayout | BirthLayout;
  factors: FactorLayout;
  birth: BirthLayout;
}
export interface PupilsMapping {
  [field: string]: string | BirthLayout;
  birth: BirthLayout;
}
export interface ExtractMapping {
  cin: CinMapping;
  cla: Record<string, string>;
  ks2: Record<string, string>;
  ks4: Record<string, string>;
  pupils: PupilsMapping;
}
export type PartialExtractMapping = { [K in keyof ExtractMapping]?: Partial<ExtractMapping[K]> };

/** One line of the data-flow summary: rows_read = rows_analysed + rows_excluded + duplicates_merged. */
export interface DataFlowRow {
  [key: string]: string | number | null;
  source: string;
  file: string;
  rows_read: number;
  duplicates_merged: number;
  rows_excluded: number;
  rows_analysed: number;
}

/** Tables of the study store that `data.table(name)` hands over. */
export type StudyTableName = 'cin' | 'assessments' | 'cpp' | 'cla' | 'ks2' | 'ks4' | 'pupils' | 's47' | 'cin_plans';

export interface StudyData {
  /**
   * A store table as an arquero table, read when asked (reopening a store reads none of them): cin
   * (one row per deduplicated referral episode, see FACTORS.md), assessments (raw factor codes,
   * ';'-joined), cpp, cla (SSDA903 episodes), ks2, ks4, pupils, s47 (every Section 47 enquiry:
   * episode_id, s47_date, icpc_date), cin_plans (every CIN plan period: episode_id, plan_start,
   * plan_end). `columns` picks columns (default all). Numbers arrive as typed arrays (NaN for
   * missing), text as strings. Throws DataError for an unknown table or column.
   */
  table(name: StudyTableName, columns?: string[]): Promise<ColumnTable>;
  /** every excluded row or dropped value: source, file, row (physical line), field, value, reason (the rule's description), action (excluded / value_dropped), rule, message, child_id */
  exclusions: ColumnTable;
  /** rows analysed with a note (conflicting copies, overlaps, assumptions): same columns as exclusions, action 'warning' */
  warnings: ColumnTable;
  dataFlow: DataFlowRow[];
  /** last day of observation (ISO date) */
  endOfData: string;
  /** ground truth, synthetic data only */
  truth?: SyntheticTruth;
}

export interface LcaMatrixOptions {
  grouping?: 'harmonised' | 'grouped';
  /** census years to keep (year ending 31 March, e.g. 2021 = 2020/21); default all */
  years?: number[];
  /** keep assessments with no harmonised factor (all-zero rows); default false */
  keepEmpty?: boolean;
}
export interface LcaMatrix {
  /** assessment_id, episode_id, child_id, la, census_year, true_class, then one 0/1 column (Uint8Array) per item */
  table: ColumnTable;
  items: string[];
  labels: Record<string, string>;
  /** assessments read, dropped as empty, dropped by year, kept */
  flow: Record<string, number>;
}

export interface SurvivalOptions {
  /** demand class per assessment from an LCA fit: table with columns assessment_id, class */
  classes?: ColumnTable;
  /** last day of observation; default data.endOfData */
  endOfData?: string;
}
export interface SurvivalTables {
  /** re-referral after closure, one row per closed episode (see FACTORS.md for columns) */
  episodes: ColumnTable;
  /** time from CPP end to the next CPP start */
  repeatCpp: ColumnTable;
  /** time from leaving care to the next entry to care */
  careReentry: ColumnTable;
  flow: Record<string, number>;
}

export interface PupilLinkedOptions {
  keyStage: 2 | 4;
  classes?: ColumnTable;
}
/** One line of the linkage report: a count of children or records and its share of the line's base (0–1). */
export interface LinkageMeasure {
  measure: string;
  n: number;
  rate: number;
}
export interface PupilLinked {
  table: ColumnTable;
  /** match-rate report: CIN children with a PMR found in pupils / key-stage table */
  matchReport: LinkageMeasure[];
}

/** Everything the generator knows; written to truth.json. Coding matches the analysis tables. */
export interface SyntheticTruth {
  [key: string]: unknown;
  scale: SyntheticScale;
  seed: number;
  endOfData: string;
  counts: Record<string, number>;
}
