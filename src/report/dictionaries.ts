/**
 * Data dictionary of the study variables (CIN census, SSDA903, NPD; names as built by src/data),
 * for labelling model terms. DfE code lists: SEN provision N / K (SEN support) / E (EHC plan);
 * FSM and EAL are 0/1 flags.
 */
import type { DataDictionary } from './dictionary';

const YES_NO = { 0: 'No', 1: 'Yes' } as const;

export const CSC_DICTIONARY: DataDictionary = {
  class: { label: 'Demand class' },
  pathway: { label: 'Pathway after assessment', levels: { NFA: 'No further action', 'CIN plan': 'Child in need plan', CPP: 'Child protection plan', care: 'Looked after' } },
  age_at_closure: { label: 'Age at closure', unit: 'years' },
  sex: { label: 'Sex', levels: { F: 'Female', M: 'Male' } },
  ethnic_group: { label: 'Ethnic group' },
  prior_referrals: { label: 'Prior referrals', unit: 'number' },
  idaci_decile: { label: 'IDACI decile', unit: 'per decile' },
  csc_exposure: { label: 'CSC exposure', levels: { none: 'No CSC contact', CIN: 'Child in need', CPP: 'Child protection plan', CLA: 'Looked after' } },
  sen: { label: 'Special educational needs', levels: { N: 'None', K: 'SEN support', E: 'EHC plan' } },
  eal: { label: 'English as an additional language', levels: YES_NO },
  fsm: { label: 'Free school meals', levels: YES_NO },
  la: { label: 'Local authority' },
  // notebook 04's area panel: 2020/21 indicator and the standardised deprivation score
  pandemic: { label: '2020/21 (pandemic year)' },
  deprivation: { label: 'Deprivation', unit: 'per SD' },
  // The class-effect (BCH) models read each unit's LCA row rather than its modal class; a unit with
  // none is dropped for the same reason as in the modal models, so readers see the same words.
  lca_row: { label: 'Demand class' },
};
