/**
 * Code lists from the DfE CIN census schemas (2017, 2021, 2022, 2024; see
 * ../shared/specs/cin-census/) and the harmonised assessment-factor set used for analysis.
 * The harmonisation is documented in FACTORS.md; keep the two in step.
 */

/** Every assessment-factor code that appears in any schema version, with the DfE wording (shortened). */
export const CIN_FACTOR_CODES: Readonly<Record<string, string>> = Object.freeze({
  '1A': 'Alcohol misuse: child', '1B': 'Alcohol misuse: parent/carer', '1C': 'Alcohol misuse: other person in household',
  '2A': 'Drug misuse: child', '2B': 'Drug misuse: parent/carer', '2C': 'Drug misuse: other person in household',
  '3A': 'Domestic violence: child subject', '3B': 'Domestic violence: parent/carer subject', '3C': 'Domestic violence: other person in household subject',
  '4A': 'Mental health: child', '4B': 'Mental health: parent/carer', '4C': 'Mental health: other person in household',
  '5A': 'Learning disability: child', '5B': 'Learning disability: parent/carer', '5C': 'Learning disability: other person in household',
  '6A': 'Physical disability or illness: child', '6B': 'Physical disability or illness: parent/carer', '6C': 'Physical disability or illness: other person in household',
  '7A': 'Young carer',
  '8A': 'Privately fostered (pre-2017 single code)',
  '8B': 'Privately fostered: overseas, intend to return', '8C': 'Privately fostered: overseas, intend to stay',
  '8D': 'Privately fostered: UK, educational placement', '8E': 'Privately fostered: UK, alternative family arrangement', '8F': 'Privately fostered: other',
  '9A': 'Unaccompanied asylum-seeking child', '10A': 'Going/being missing', '11A': 'Child sexual exploitation', '12A': 'Trafficking',
  '13A': 'Gangs', '14A': 'Socially unacceptable behaviour', '15A': 'Self-harm',
  '16A': 'Neglect', '17A': 'Emotional abuse',
  '18A': 'Physical abuse (to 2021)', '18B': 'Physical abuse: child on child', '18C': 'Physical abuse: adult on child',
  '19A': 'Sexual abuse (to 2021)', '19B': 'Sexual abuse: child on child', '19C': 'Sexual abuse: adult on child',
  '20': 'Other', '21': 'No factors identified', '22A': 'Female genital mutilation', '23A': 'Abuse linked to faith or belief',
  '24A': 'Child criminal exploitation (from 2022)',
});

/**
 * Raw factor code -> harmonised code. Split codes are merged back to the code they replaced
 * (8A/8B-8F -> '8', 18A/18B/18C -> '18', 19A/19B/19C -> '19'); 24A (child criminal exploitation,
 * from 2022) is merged with 13A (gangs) as '13', because before 2022 such cases were recorded
 * mostly under gangs. '21' (no factors) is not an item: it maps to null.
 */
export const FACTOR_HARMONISATION: Readonly<Record<string, string | null>> = Object.freeze({
  '1A': '1A', '1B': '1B', '1C': '1C', '2A': '2A', '2B': '2B', '2C': '2C',
  '3A': '3A', '3B': '3B', '3C': '3C', '4A': '4A', '4B': '4B', '4C': '4C',
  '5A': '5A', '5B': '5B', '5C': '5C', '6A': '6A', '6B': '6B', '6C': '6C',
  '7A': '7A', '8A': '8', '8B': '8', '8C': '8', '8D': '8', '8E': '8', '8F': '8',
  '9A': '9A', '10A': '10A', '11A': '11A', '12A': '12A', '13A': '13', '24A': '13',
  '14A': '14A', '15A': '15A', '16A': '16A', '17A': '17A',
  '18A': '18', '18B': '18', '18C': '18', '19A': '19', '19B': '19', '19C': '19',
  '20': '20', '21': null, '22A': '22A', '23A': '23A',
});

/** Harmonised items in analysis order, with readable labels. */
export const HARMONISED_FACTORS: ReadonlyArray<string> = Object.freeze([
  '1A', '1B', '1C', '2A', '2B', '2C', '3A', '3B', '3C', '4A', '4B', '4C', '5A', '5B', '5C', '6A', '6B', '6C',
  '7A', '8', '9A', '10A', '11A', '12A', '13', '14A', '15A', '16A', '17A', '18', '19', '20', '22A', '23A',
]);

/** Grouped item for each harmonised item: child/parent/other variants collapse to the theme. */
export const FACTOR_GROUPING: Readonly<Record<string, string>> = Object.freeze({
  '1A': 'alcohol', '1B': 'alcohol', '1C': 'alcohol', '2A': 'drugs', '2B': 'drugs', '2C': 'drugs',
  '3A': 'domestic_violence', '3B': 'domestic_violence', '3C': 'domestic_violence',
  '4A': 'mental_health', '4B': 'mental_health', '4C': 'mental_health',
  '5A': 'learning_disability', '5B': 'learning_disability', '5C': 'learning_disability',
  '6A': 'physical_disability', '6B': 'physical_disability', '6C': 'physical_disability',
  '7A': 'young_carer', '8': 'privately_fostered', '9A': 'uasc', '10A': 'missing', '11A': 'cse', '12A': 'trafficking',
  '13': 'gangs_cce', '14A': 'socially_unacceptable_behaviour', '15A': 'self_harm', '16A': 'neglect',
  '17A': 'emotional_abuse', '18': 'physical_abuse', '19': 'sexual_abuse', '20': 'other', '22A': 'fgm', '23A': 'faith_belief',
});

export const GROUPED_FACTORS: ReadonlyArray<string> = Object.freeze(
  HARMONISED_FACTORS.map((f) => FACTOR_GROUPING[f]).filter((g, i, a) => a.indexOf(g) === i),
);

/** Readable labels for harmonised and grouped codes (one lookup for both). */
export const factorLabels: Readonly<Record<string, string>> = Object.freeze({
  '1A': 'Alcohol misuse (child)', '1B': 'Alcohol misuse (parent)', '1C': 'Alcohol misuse (other adult)',
  '2A': 'Drug misuse (child)', '2B': 'Drug misuse (parent)', '2C': 'Drug misuse (other adult)',
  '3A': 'Domestic violence (child)', '3B': 'Domestic violence (parent)', '3C': 'Domestic violence (other adult)',
  '4A': 'Mental health (child)', '4B': 'Mental health (parent)', '4C': 'Mental health (other adult)',
  '5A': 'Learning disability (child)', '5B': 'Learning disability (parent)', '5C': 'Learning disability (other adult)',
  '6A': 'Physical disability/illness (child)', '6B': 'Physical disability/illness (parent)', '6C': 'Physical disability/illness (other adult)',
  '7A': 'Young carer', '8': 'Privately fostered', '9A': 'Unaccompanied asylum seeker', '10A': 'Missing',
  '11A': 'Child sexual exploitation', '12A': 'Trafficking', '13': 'Gangs / child criminal exploitation',
  '14A': 'Socially unacceptable behaviour', '15A': 'Self-harm', '16A': 'Neglect', '17A': 'Emotional abuse',
  '18': 'Physical abuse', '19': 'Sexual abuse', '20': 'Other', '22A': 'Female genital mutilation', '23A': 'Abuse linked to faith or belief',
  alcohol: 'Alcohol misuse', drugs: 'Drug misuse', domestic_violence: 'Domestic violence', mental_health: 'Mental health',
  learning_disability: 'Learning disability', physical_disability: 'Physical disability or illness', young_carer: 'Young carer',
  privately_fostered: 'Privately fostered', uasc: 'Unaccompanied asylum seeker', missing: 'Missing', cse: 'Child sexual exploitation',
  trafficking: 'Trafficking', gangs_cce: 'Gangs / child criminal exploitation', socially_unacceptable_behaviour: 'Socially unacceptable behaviour',
  self_harm: 'Self-harm', neglect: 'Neglect', emotional_abuse: 'Emotional abuse', physical_abuse: 'Physical abuse',
  sexual_abuse: 'Sexual abuse', other: 'Other', fgm: 'Female genital mutilation', faith_belief: 'Abuse linked to faith or belief',
});

/**
 * Factor codes valid in each schema version (by the census year the schema first applies to).
 * 2025 (the 2024/25 census on) keeps the 2024 factor list: DfE's 2024-25 and 2025-26
 * specifications change the child's sex item only (see CIN_CODE_LISTS and FACTORS.md).
 */
export const FACTOR_CODES_BY_SCHEMA: Readonly<Record<string, ReadonlyArray<string>>> = Object.freeze({
  '2017': Object.keys(CIN_FACTOR_CODES).filter((c) => !['8A', '18B', '18C', '19B', '19C', '24A'].includes(c)),
  '2021': Object.keys(CIN_FACTOR_CODES).filter((c) => !['8A', '18A', '19A', '24A'].includes(c)),
  '2022': Object.keys(CIN_FACTOR_CODES).filter((c) => !['8A', '18A', '19A'].includes(c)),
  '2024': Object.keys(CIN_FACTOR_CODES).filter((c) => !['8A', '18A', '19A'].includes(c)),
  '2025': Object.keys(CIN_FACTOR_CODES).filter((c) => !['8A', '18A', '19A'].includes(c)),
});

export const REFERRAL_SOURCE_CODES: ReadonlyArray<string> = Object.freeze([
  '1A', '1B', '1C', '1D', '2A', '2B', '3A', '3B', '3C', '3D', '3E', '3F', '4', '5A', '5B', '5C', '5D', '6', '7', '8', '9', '10',
]);
export const PRIMARY_NEED_CODES: Readonly<Record<string, string>> = Object.freeze({
  N0: 'Not stated', N1: 'Abuse or neglect', N2: "Child's disability", N3: 'Parental disability or illness',
  N4: 'Family in acute stress', N5: 'Family dysfunction', N6: 'Socially unacceptable behaviour', N7: 'Low income',
  N8: 'Absent parenting', N9: 'Cases other than children in need',
});
export const CLOSURE_REASON_CODES: Readonly<Record<string, string>> = Object.freeze({
  RC1: 'Adopted', RC2: 'Died', RC3: 'Child arrangements order', RC4: 'Special guardianship order',
  RC5: 'Transferred to another LA', RC6: 'Transferred to adult social care', RC7: 'Services ceased (other reason)',
  RC8: 'Closed after assessment, no further action', RC9: 'Closed after assessment, referred to early help',
});
export const CPP_CATEGORY_CODES: Readonly<Record<string, string>> = Object.freeze({
  NEG: 'Neglect', EMO: 'Emotional abuse', PHY: 'Physical abuse', SAB: 'Sexual abuse', MUL: 'Multiple',
});
export const ETHNICITY_CODES: Readonly<Record<string, string>> = Object.freeze({
  WBRI: 'White British', WIRI: 'White Irish', WIRT: 'Traveller of Irish heritage', WOTH: 'Any other White background',
  WROM: 'Gypsy/Roma', MWBC: 'White and Black Caribbean', MWBA: 'White and Black African', MWAS: 'White and Asian',
  MOTH: 'Any other mixed background', AIND: 'Indian', APKN: 'Pakistani', ABAN: 'Bangladeshi', AOTH: 'Any other Asian background',
  BCRB: 'Caribbean', BAFR: 'African', BOTH: 'Any other Black background', CHNE: 'Chinese', OOTH: 'Any other ethnic group',
  REFU: 'Refused', NOBT: 'Information not yet obtained',
});
/** Ethnicity code -> the five-group coding the analysis tables expose as `ethnic_group`. */
export function ethnicGroup(code: string): string {
  const c = code.toUpperCase();
  if (c === 'CHNE' || c === 'OOTH') return 'Other';
  if (c === 'REFU' || c === 'NOBT' || c === '') return 'Unknown';
  switch (c[0]) {
    case 'W': return 'White';
    case 'M': return 'Mixed';
    case 'A': return 'Asian';
    case 'B': return 'Black';
    default: return 'Unknown';
  }
}
export const GENDER_CODES: Readonly<Record<string, string>> = Object.freeze({
  '0': 'Not recorded or unborn', '1': 'Male', '2': 'Female', '9': 'Indeterminate',
});
export const DISABILITY_CODES: ReadonlyArray<string> = Object.freeze([
  'NONE', 'MOB', 'HAND', 'PC', 'INC', 'COMM', 'LD', 'HEAR', 'VIS', 'BEH', 'CON', 'AUT', 'DDA',
]);
/** <Sex> (CBDS N00783), which replaces <GenderCurrent> (N00007) from the 2024/25 census (schema year 2025). */
export const SEX_CODES: Readonly<Record<string, string>> = Object.freeze({ F: 'Female', M: 'Male', U: 'Unknown or unborn' });
/** GenderCurrent / Sex code -> the M/F/U coding of the analysis tables. */
export const CIN_SEX_TO_MFU: Readonly<Record<string, string>> = Object.freeze({ '1': 'M', '2': 'F', '0': 'U', '9': 'U', M: 'M', F: 'F', U: 'U' });
export const UPN_UNKNOWN_CODES: ReadonlyArray<string> = Object.freeze(['UN1', 'UN2', 'UN3', 'UN4', 'UN5', 'UN6', 'UN7']);
export const YES_NO_CODES: ReadonlyArray<string> = Object.freeze(['true', 'false', 'TRUE', 'FALSE', '0', '1']);

/** CIN census schema years with their own code lists; a return uses the latest one at or before its census year. */
export const CIN_SCHEMA_YEARS: ReadonlyArray<number> = Object.freeze([2017, 2021, 2022, 2024, 2025]);

/** The code lists one CIN census schema year accepts, element by element. */
export interface CinCodeLists {
  schemaYear: number;
  /** the element that carries the child's sex in this schema year */
  sexElement: 'GenderCurrent' | 'Sex';
  sex: ReadonlyArray<string>;
  factors: ReadonlyArray<string>;
  referralSource: ReadonlyArray<string>;
  primaryNeed: ReadonlyArray<string>;
  closureReason: ReadonlyArray<string>;
  cppCategory: ReadonlyArray<string>;
  ethnicity: ReadonlyArray<string>;
  disability: ReadonlyArray<string>;
  upnUnknown: ReadonlyArray<string>;
  yesNo: ReadonlyArray<string>;
  /** CINdetails child elements this schema defines (CINPlanDates only from the 2022 schema) */
  cinDetailsElements: ReadonlyArray<string>;
}

const CIN_DETAILS_2017 = ['CINreferralDate', 'ReferralSource', 'PrimaryNeedCode', 'CINclosureDate', 'ReasonForClosure', 'DateOfInitialCPC', 'Assessments', 'Section47', 'ReferralNFA', 'ChildProtectionPlans'];
function cinCodeLists(schemaYear: number): CinCodeLists {
  const from2024 = schemaYear >= 2024; // 5D (early help) referral source and RC9 closure reason arrive in the 2024 schema
  return Object.freeze({
    schemaYear,
    sexElement: schemaYear >= 2025 ? 'Sex' : 'GenderCurrent',
    sex: Object.freeze(Object.keys(schemaYear >= 2025 ? SEX_CODES : GENDER_CODES)),
    factors: FACTOR_CODES_BY_SCHEMA[String(schemaYear)],
    referralSource: Object.freeze(REFERRAL_SOURCE_CODES.filter((c) => from2024 || c !== '5D')),
    primaryNeed: Object.freeze(Object.keys(PRIMARY_NEED_CODES)),
    closureReason: Object.freeze(Object.keys(CLOSURE_REASON_CODES).filter((c) => from2024 || c !== 'RC9')),
    cppCategory: Object.freeze(Object.keys(CPP_CATEGORY_CODES)),
    ethnicity: Object.freeze(Object.keys(ETHNICITY_CODES)),
    disability: DISABILITY_CODES,
    upnUnknown: UPN_UNKNOWN_CODES,
    yesNo: YES_NO_CODES,
    cinDetailsElements: Object.freeze(schemaYear >= 2022 ? [...CIN_DETAILS_2017.slice(0, 7), 'CINPlanDates', ...CIN_DETAILS_2017.slice(7)] : CIN_DETAILS_2017),
  });
}

/** Code lists by schema year (2017, 2021, 2022 and 2024 from the XSDs; 2025 = 2024 with <Sex> F/M/U). */
export const CIN_CODE_LISTS: Readonly<Record<number, CinCodeLists>> = Object.freeze(
  Object.fromEntries(CIN_SCHEMA_YEARS.map((y) => [y, cinCodeLists(y)])),
);

/**
 * The schema year whose code lists apply to a return of census year `censusYear` (year ending 31 March):
 * the latest schema year at or before it. Census years before the earliest schema get the earliest
 * (with `before: true`, so the reader can say so).
 */
export function cinSchemaYearFor(censusYear: number): { schemaYear: number; before: boolean } {
  let best = CIN_SCHEMA_YEARS[0];
  for (const y of CIN_SCHEMA_YEARS) if (y <= censusYear) best = y;
  return { schemaYear: best, before: censusYear < CIN_SCHEMA_YEARS[0] };
}

/** SSDA903 (children looked after) code lists used by the loaders' validation. */
/** SSDA903 header SEX: 1 male, 2 female (the DfE return has no other code). */
export const SSDA903_SEX_CODES: ReadonlyArray<string> = Object.freeze(['1', '2']);
export const SSDA903_RNE_CODES: ReadonlyArray<string> = Object.freeze(['S', 'L', 'P', 'T', 'B', 'U']);
export const SSDA903_LS_CODES: ReadonlyArray<string> = Object.freeze(['C1', 'C2', 'D1', 'E1', 'J1', 'J2', 'J3', 'L1', 'L2', 'L3', 'V2', 'V3', 'V4']);
export const SSDA903_CIN_CODES: ReadonlyArray<string> = Object.freeze(['N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'N7', 'N8']);
export const SSDA903_PLACE_CODES: ReadonlyArray<string> = Object.freeze([
  'A3', 'A4', 'A5', 'A6', 'H5', 'K1', 'K2', 'P1', 'P2', 'P3', 'R1', 'R2', 'R3', 'R5', 'S1', 'T0', 'T1', 'T2', 'T3', 'T4',
  'U1', 'U2', 'U3', 'U4', 'U5', 'U6', 'Z1',
]);
export const SSDA903_REC_CODES: ReadonlyArray<string> = Object.freeze([
  'E11', 'E12', 'E13', 'E14', 'E15', 'E16', 'E17', 'E2', 'E3', 'E41', 'E45', 'E46', 'E47', 'E48', 'E4A', 'E4B', 'E5', 'E6', 'E7', 'E8', 'E9', 'X1',
]);

/** Harmonise a list of raw factor codes; unknown codes are returned separately so callers can report them. */
export function harmoniseFactors(raw: ReadonlyArray<string>, grouping: 'harmonised' | 'grouped' = 'harmonised'): { items: string[]; unknown: string[] } {
  const items: string[] = [];
  const unknown: string[] = [];
  for (const r of raw) {
    const code = r.trim().toUpperCase();
    if (code === '') continue;
    if (!(code in FACTOR_HARMONISATION)) { unknown.push(r); continue; }
    const h = FACTOR_HARMONISATION[code];
    if (h === null) continue;
    const item = grouping === 'grouped' ? FACTOR_GROUPING[h] : h;
    if (!items.includes(item)) items.push(item);
  }
  return { items, unknown };
}
