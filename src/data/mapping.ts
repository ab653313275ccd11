/** The default column mapping of NPD-style CSV extracts (the names the synthetic generator writes). */
import type { ExtractMapping } from './types';

/** Default mapping: the NPD-style column names the synthetic generator writes. */
export const NPD_MAPPING: ExtractMapping = Object.freeze({
  cin: {
    census_year: 'CIN_AcademicYear', la: 'CIN_LA', child_id: 'CIN_LAchildID_Anon', pmr: 'CIN_PupilMatchingRefAnonymous',
    sex: 'CIN_Gender', ethnicity: 'CIN_Ethnicity', disabilities: 'CIN_Disabilities', idaci_decile: 'CIN_IDACI_Decile', referral_date: 'CIN_CINreferralDate',
    referral_source: 'CIN_ReferralSource', primary_need: 'CIN_PrimaryNeedCode', closure_date: 'CIN_CINclosureDate',
    closure_reason: 'CIN_ReasonForClosure', referral_nfa: 'CIN_ReferralNFA', assessment_date: 'CIN_AssessmentActualStartDate',
    authorisation_date: 'CIN_AssessmentAuthorisationDate', cin_plan_start: 'CIN_CINPlanStartDate', cin_plan_end: 'CIN_CINPlanEndDate',
    s47_date: 'CIN_S47ActualStartDate', icpc_date: 'CIN_DateOfInitialCPC', cpp_start: 'CIN_CPPstartDate', cpp_end: 'CIN_CPPendDate',
    cpp_initial_category: 'CIN_InitialCategoryOfAbuse', cpp_latest_category: 'CIN_LatestCategoryOfAbuse',
    n_previous_cpp: 'CIN_NumberOfPreviousCPP', true_class: 'SYN_TrueClass',
    factors: { style: 'list', column: 'CIN_FactorsIdentifiedAtAssessment', delimiter: ';' },
    birth: { style: 'month-year', month: 'CIN_MonthOfBirth', year: 'CIN_YearOfBirth' },
  },
  cla: { la: 'LA', child_id: 'CHILD', pmr: 'PMR', sex: 'SEX', dob: 'DOB', ethnicity: 'ETHNIC', decom: 'DECOM', rne: 'RNE', ls: 'LS', cin: 'CIN', place: 'PLACE', dec: 'DEC', rec: 'REC' },
  ks2: { pmr: 'KS2_PupilMatchingRefAnonymous', academic_year: 'KS2_AcademicYear', la: 'KS2_LA', school: 'KS2_URN', read_score: 'KS2_READSCORE', maths_score: 'KS2_MATSCORE', writing_ta: 'KS2_WRITTA' },
  ks4: { pmr: 'KS4_PupilMatchingRefAnonymous', academic_year: 'KS4_AcademicYear', la: 'KS4_LA', school: 'KS4_URN', att8: 'KS4_ATT8', p8: 'KS4_P8SCORE' },
  pupils: {
    pmr: 'PupilMatchingRefAnonymous', sex: 'Gender', ethnicity: 'EthnicGroupMajor', fsm: 'FSMeligible', sen: 'SENprovision', eal: 'EAL',
    idaci_decile: 'IDACI_decile', la: 'LA', birth: { style: 'month-year', month: 'MonthOfBirth', year: 'YearOfBirth' },
  },
}) as unknown as ExtractMapping;

