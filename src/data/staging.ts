// Contract between the XML / SSDA903 readers (src/data/xml/, src/data/ssda903/) and the DuckDB store
// (src/data/store/). Readers turn a return into plain staged records with their physical line numbers
// and findings; the store ingests them and applies the cross-file rules (duplicates across census years,
// conflicting child details, study window). Dates are ISO strings (YYYY-MM-DD) or '' when absent; codes
// are as written in the return (trimmed). Extend with care: both sides build against this file.

/** One thing a rule found about an input record; becomes a row of the exclusions or warnings table. */
export interface Finding {
  /** logical source: 'cin', 'cla', 'ks2', 'ks4', 'pupils', 'population', ... */
  source: string;
  file: string;
  /** 1-based physical line in the file, or null when the finding is about the file as a whole */
  line: number | null;
  /** column name (CSV) or element path (XML), e.g. 'CINdetails/Section47/S47ActualStartDate' */
  field: string;
  value: string;
  /** the named rule that fired, e.g. 'code_list_schema_year', 'date_order', 'field_count' */
  rule: string;
  /** excluded: the record is not analysed; value_dropped: analysed without that value; warning: analysed with a note; merged: a duplicate merged */
  action: 'excluded' | 'value_dropped' | 'warning' | 'merged';
  /** a sentence a researcher can act on */
  message: string;
  /** LAchildID / CHILD where known */
  childId?: string;
}

export interface StagedAssessment { line: number; start: string; authorised: string; factors: string[] }
export interface StagedCinPlan { line: number; start: string; end: string }
export interface StagedS47 { line: number; start: string; icpc: string; icpcRequired: string }
export interface StagedCpp { line: number; start: string; end: string; initialCategory: string; latestCategory: string; previousCpps: string }

/** One CINdetails block (a referral episode) of one child in one return. */
export interface StagedCinEpisode {
  line: number;
  childId: string;
  upn: string;
  /** sex code as returned: GenderCurrent before 2024/25, Sex from 2024/25 */
  sex: string;
  /** which element carried `sex` ('GenderCurrent': 0/1/2/9; 'Sex': F/M/U); set by the XML reader */
  sexElement?: 'GenderCurrent' | 'Sex';
  ethnicity: string;
  dob: string;
  disabilities: string[];
  referral: string;
  referralSource: string;
  primaryNeed: string;
  closure: string;
  closureReason: string;
  /** DateOfInitialCPC written directly under CINdetails (older layout), '' when absent */
  icpc?: string;
  referralNfa: string;
  assessments: StagedAssessment[];
  cinPlans: StagedCinPlan[];
  s47: StagedS47[];
  cpps: StagedCpp[];
}

/** One LA CIN census XML return, read and checked against the code lists of its own schema year. */
export interface StagedCinReturn {
  file: string;
  la: string;
  /** census year ending 31 March (2021 = 2020/21) */
  censusYear: number;
  /** the schema year whose code lists were applied */
  schemaYear: number;
  childrenRead: number;
  childrenWithoutDetails: number;
  /** episodes that passed the reader's record-level rules */
  episodes: StagedCinEpisode[];
  /** episodes read in all (analysed + excluded by the reader) */
  episodesRead: number;
  /** episodes the reader excluded (one episode may have several findings): episodesRead = episodes.length + episodesExcluded */
  episodesExcluded?: number;
  findings: Finding[];
}

/** One SSDA903 episode of care (the episodes file), in canonical names. */
export interface StagedCareEpisode {
  line: number;
  childId: string;
  start: string; // DECOM
  reasonNewEpisode: string; // RNE
  legalStatus: string; // LS
  cinCategory: string; // CIN
  placement: string; // PLACE
  end: string; // DEC
  reasonEpisodeCeased: string; // REC
}
export interface StagedCareChild { line: number; childId: string; sex: string; dob: string; ethnicity: string; upn: string }

/** An LA's own SSDA903 return: header (children) and episodes files. */
export interface StagedSsda903 {
  files: { header: string; episodes: string };
  children: StagedCareChild[];
  episodes: StagedCareEpisode[];
  /** physical data lines read per file (excluding the header line) */
  linesRead: { header: number; episodes: number };
  /** rows excluded / merged as duplicates per file: linesRead = kept + excluded + merged */
  excluded?: { header: number; episodes: number };
  merged?: { header: number; episodes: number };
  findings: Finding[];
}
