/** Column headers of the synthetic extracts, as in the NPD CIN census, SSDA903 and NPD pupil/KS2/KS4 files. */
export const CIN_HEADER = [
  'CIN_AcademicYear', 'CIN_LA', 'CIN_LAchildID_Anon', 'CIN_PupilMatchingRefAnonymous', 'CIN_Gender', 'CIN_Ethnicity',
  'CIN_MonthOfBirth', 'CIN_YearOfBirth', 'CIN_Disabilities', 'CIN_IDACI_Decile', 'CIN_CINreferralDate', 'CIN_ReferralSource', 'CIN_PrimaryNeedCode',
  'CIN_CINclosureDate', 'CIN_ReasonForClosure', 'CIN_ReferralNFA', 'CIN_AssessmentActualStartDate', 'CIN_AssessmentAuthorisationDate',
  'CIN_FactorsIdentifiedAtAssessment', 'CIN_CINPlanStartDate', 'CIN_CINPlanEndDate', 'CIN_S47ActualStartDate', 'CIN_DateOfInitialCPC',
  'CIN_CPPstartDate', 'CIN_CPPendDate', 'CIN_InitialCategoryOfAbuse', 'CIN_LatestCategoryOfAbuse', 'CIN_NumberOfPreviousCPP',
  'SYN_TrueClass',
];
export const CLA_HEADER = ['LA', 'CHILD', 'PMR', 'SEX', 'DOB', 'ETHNIC', 'DECOM', 'RNE', 'LS', 'CIN', 'PLACE', 'DEC', 'REC'];
export const PUPILS_HEADER = ['PupilMatchingRefAnonymous', 'Gender', 'EthnicGroupMajor', 'MonthOfBirth', 'YearOfBirth', 'FSMeligible', 'SENprovision', 'EAL', 'IDACI_decile', 'LA'];
export const KS2_HEADER = ['KS2_PupilMatchingRefAnonymous', 'KS2_AcademicYear', 'KS2_LA', 'KS2_URN', 'KS2_READSCORE', 'KS2_MATSCORE', 'KS2_WRITTA'];
export const KS4_HEADER = ['KS4_PupilMatchingRefAnonymous', 'KS4_AcademicYear', 'KS4_LA', 'KS4_URN', 'KS4_ATT8', 'KS4_P8SCORE'];
/**
 * pupil_truth.csv: one row per KS2 / KS4 result, in the order of ks2.csv and ks4.csv, with the CSC exposure
 * and true class the generator used for it (what linkage would show if every CIN record carried a PMR).
 * csc_exposure: none | CIN | CPP | CLA; true_class 0..12 (0 = none or no factors).
 */
export const PUPIL_TRUTH_FILE = 'pupil_truth.csv';
export const PUPIL_TRUTH_HEADER = ['pmr', 'key_stage', 'academic_year', 'csc_exposure', 'true_class'];
