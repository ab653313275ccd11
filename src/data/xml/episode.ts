/**
 * One <Child> of a CIN census return -> staged episodes (one per CINdetails), with every Assessment,
 * CINPlanDates, Section47 and ChildProtectionPlans block read, codes checked against the return's
 * schema year, and dates checked strictly. Rules are named in ./rules.ts.
 */
import type { StagedCinEpisode, StagedAssessment, StagedCinPlan, StagedS47, StagedCpp } from '../staging';
import { GENDER_CODES, SEX_CODES, type CinCodeLists } from '../codes';
import { child, children, type XNode } from './tree';
import { FindingSink, isoDate, listedCode } from './rules';

export interface ChildContext {
  sink: FindingSink;
  codes: CinCodeLists;
  /** CINdetails elements outside the schema year, reported once per file */
  unknownElements: Set<string>;
}

export interface ChildResult { episodes: StagedCinEpisode[]; read: number; excluded: number; hasDetails: boolean }

const CD = 'CINdetails';
/** elements the schema lets repeat; any other element appearing twice under one parent is ambiguous */
const REPEATABLE = new Set(['CINdetails', 'Assessments', 'CINPlanDates', 'Section47', 'ChildProtectionPlans', 'AssessmentFactors', 'Disability', 'CPPreviewDate']);

/** the second and later copies of single-valued child elements of n */
function repeats(n: XNode | undefined): XNode[] {
  if (!n) return [];
  const seen = new Set<string>();
  const out: XNode[] = [];
  for (const c of n.children) {
    if (REPEATABLE.has(c.name)) continue;
    if (seen.has(c.name)) out.push(c); else seen.add(c.name);
  }
  return out;
}

export function readChild(node: XNode, ctx: ChildContext): ChildResult {
  const { sink, codes } = ctx;
  const ids0 = child(node, 'ChildIdentifiers');
  const chars0 = child(node, 'ChildCharacteristics');
  // a repeated single-valued child element is dropped (both copies), with a finding naming the second
  const dropped = new Set<string>();
  for (const parent of [ids0, chars0]) {
    for (const r of repeats(parent)) {
      if (dropped.has(`${parent!.name}/${r.name}`)) continue;
      dropped.add(`${parent!.name}/${r.name}`);
      const first = child(parent, r.name)!;
      sink.add(r, `${parent!.name}/${r.name}`, r.text, 'repeated_element', 'warning',
        `<${r.name}> appears twice for one child (line ${first.line}: '${first.text}', line ${r.line}: '${r.text}'); which holds cannot be told, so the value is dropped`, child(ids0, 'LAchildID')?.text);
    }
  }
  const only = (parent: XNode | undefined): XNode | undefined => parent && { ...parent, children: parent.children.filter((c) => !dropped.has(`${parent.name}/${c.name}`)) };
  const ids = only(ids0);
  const chars = only(chars0);
  const childId = child(ids, 'LAchildID')?.text ?? '';
  const details = children(node, CD);
  const out: ChildResult = { episodes: [], read: details.length, excluded: 0, hasDetails: details.length > 0 };
  if (details.length === 0) {
    sink.add(node, 'Child/CINdetails', '', 'child_without_cindetails', 'warning', `child ${childId || '(no LAchildID)'} has no CINdetails block: no referral episode to analyse`, childId);
    return out;
  }
  if (childId === '') {
    // one finding per episode (at its CINdetails line), so excluded findings count excluded episodes
    for (const det of details) {
      sink.excludedNow = false;
      sink.add(det, 'ChildIdentifiers/LAchildID', '', 'missing_child_id', 'excluded', `the child at line ${node.line} has no (single) LAchildID; its CINdetails episode at line ${det.line} is excluded`);
    }
    sink.excludedNow = false;
    out.excluded = details.length;
    return out;
  }
  const sexInfo = readSex(ids, ctx, childId);
  const dobNode = child(ids, 'PersonBirthDate') ?? child(ids, 'ExpectedPersonBirthDate');
  const dob = isoDate(sink, dobNode, `ChildIdentifiers/${dobNode?.name ?? 'PersonBirthDate'}`, childId, 'dob_format') ?? '';
  const ethnicity = listedCode(sink, child(chars, 'Ethnicity'), 'ChildCharacteristics/Ethnicity', codes.ethnicity, codes.schemaYear, childId, 'Ethnicity') ?? '';
  const disabilities: string[] = [];
  for (const d of children(child(chars, 'Disabilities'), 'Disability')) {
    const v = listedCode(sink, d, 'ChildCharacteristics/Disabilities/Disability', codes.disability, codes.schemaYear, childId, 'Disability');
    if (v) disabilities.push(v);
  }
  const base = { childId, upn: child(ids, 'UPN')?.text ?? '', sex: sexInfo.sex, sexElement: sexInfo.element, ethnicity, dob, disabilities };
  for (const det of details) {
    sink.excludedNow = false;
    const ep = readEpisode(det, ctx, base);
    if (sink.excludedNow) out.excluded++;
    else out.episodes.push(ep);
  }
  sink.excludedNow = false;
  flagOverlaps(out.episodes, sink);
  return out;
}

function readSex(ids: XNode | undefined, ctx: ChildContext, childId: string): { sex: string; element: 'GenderCurrent' | 'Sex' } {
  const { sink, codes } = ctx;
  const sexNode = child(ids, 'Sex');
  const genderNode = child(ids, 'GenderCurrent');
  const used = codes.sexElement === 'Sex' ? (sexNode ?? genderNode) : (genderNode ?? sexNode);
  if (!used) return { sex: '', element: codes.sexElement };
  const element = used.name as 'GenderCurrent' | 'Sex';
  if (element !== codes.sexElement) {
    sink.add(used, `ChildIdentifiers/${element}`, used.text, 'sex_element_schema_year', 'warning',
      `child ${childId} has <${element}> but the ${codes.schemaYear} schema of this return's census year carries <${codes.sexElement}>; the value is read with the <${element}> code list`, childId);
  }
  const list = Object.keys(element === 'Sex' ? SEX_CODES : GENDER_CODES);
  const v = listedCode(sink, used, `ChildIdentifiers/${element}`, list, codes.schemaYear, childId, element === 'Sex' ? 'Sex' : 'GenderCurrent (sex)');
  return { sex: v ?? '', element };
}

type Base = Pick<StagedCinEpisode, 'childId' | 'upn' | 'sex' | 'sexElement' | 'ethnicity' | 'dob' | 'disabilities'>;

function readEpisode(det: XNode, ctx: ChildContext, base: Base): StagedCinEpisode {
  const { sink, codes } = ctx;
  const id = base.childId;
  const y = codes.schemaYear;
  for (const c of det.children) {
    if (!codes.cinDetailsElements.includes(c.name) && !ctx.unknownElements.has(c.name)) {
      ctx.unknownElements.add(c.name);
      sink.add(c, `${CD}/${c.name}`, '', 'element_not_in_schema', 'warning',
        `<${c.name}> (first at this line, child ${id}) is not defined by the ${y} CIN schema this return's census year uses; it is read anyway`, id);
    }
  }
  for (const parent of [det, ...det.children.filter((c) => REPEATABLE.has(c.name) || c.name === 'FactorsIdentifiedAtAssessment' || c.name === 'Reviews')]) {
    for (const r of repeats(parent)) {
      const path = parent === det ? `${CD}/${r.name}` : `${CD}/${parent.name}/${r.name}`;
      sink.add(r, path, r.text, 'repeated_element', 'excluded',
        `child ${id}: <${r.name}> appears twice in one ${parent.name} (second at line ${r.line}: '${r.text}', first: '${child(parent, r.name)!.text}'); which holds cannot be told, so the episode is excluded`, id);
    }
  }
  const date = (parent: XNode | undefined, name: string, path: string): string => isoDate(sink, child(parent, name), `${path}/${name}`, id) ?? '';
  const referralNode = child(det, 'CINreferralDate');
  const referral = date(det, 'CINreferralDate', CD);
  if (!referralNode || referralNode.text === '') {
    sink.add(det, `${CD}/CINreferralDate`, '', 'missing_referral_date', 'excluded', `a CINdetails block of child ${id} has no CINreferralDate; the episode is excluded`, id);
  }
  const closure = date(det, 'CINclosureDate', CD);
  const ep: StagedCinEpisode = {
    line: det.line, ...base, disabilities: [...base.disabilities], referral,
    referralSource: listedCode(sink, child(det, 'ReferralSource'), `${CD}/ReferralSource`, codes.referralSource, y, id, 'ReferralSource') ?? '',
    primaryNeed: listedCode(sink, child(det, 'PrimaryNeedCode'), `${CD}/PrimaryNeedCode`, codes.primaryNeed, y, id, 'PrimaryNeedCode') ?? '',
    closure,
    closureReason: listedCode(sink, child(det, 'ReasonForClosure'), `${CD}/ReasonForClosure`, codes.closureReason, y, id, 'ReasonForClosure') ?? '',
    icpc: date(det, 'DateOfInitialCPC', CD),
    referralNfa: listedCode(sink, child(det, 'ReferralNFA'), `${CD}/ReferralNFA`, codes.yesNo, y, id, 'ReferralNFA') ?? '',
    assessments: [], cinPlans: [], s47: [], cpps: [],
  };
  const order = (node: XNode | undefined, path: string, later: string, earlier: string, what: string): void => {
    if (later !== '' && earlier !== '' && later < earlier) {
      sink.add(node ?? det, path, later, 'date_order', 'excluded', `child ${id}, referral ${referral || '?'}: ${what} (${later} before ${earlier}); the episode is excluded`, id);
    }
  };
  order(child(det, 'CINclosureDate'), `${CD}/CINclosureDate`, closure, referral, 'closure date before referral date');
  // a sub-record's start and its end (or authorisation / ICPC): both strict dates, the end not before
  // the start (else the episode is excluded). A start outside the referral episode is the store's
  // rule date_outside_episode (one rule for XML and CSV sources: that sub-record is not analysed).
  const span = (n: XNode, path: string, startName: string, endName: string, reversed: string): { start: string; end: string } => {
    const start = date(n, startName, path);
    const end = date(n, endName, path);
    order(child(n, endName), `${path}/${endName}`, end, start, reversed);
    return { start, end };
  };
  const A = `${CD}/Assessments`;
  for (const a of children(det, 'Assessments')) {
    const { start, end: authorised } = span(a, A, 'AssessmentActualStartDate', 'AssessmentAuthorisationDate', 'assessment authorised before it started');
    const factors: string[] = [];
    for (const f of children(child(a, 'FactorsIdentifiedAtAssessment'), 'AssessmentFactors')) {
      const v = listedCode(sink, f, `${A}/FactorsIdentifiedAtAssessment/AssessmentFactors`, codes.factors, y, id, 'Assessment factor');
      if (v && !factors.includes(v)) factors.push(v);
    }
    ep.assessments.push({ line: a.line, start, authorised, factors } satisfies StagedAssessment);
  }
  for (const p of children(det, 'CINPlanDates')) {
    ep.cinPlans.push({ line: p.line, ...span(p, `${CD}/CINPlanDates`, 'CINPlanStartDate', 'CINPlanEndDate', 'CIN plan ends before it starts') } satisfies StagedCinPlan);
  }
  const S = `${CD}/Section47`;
  for (const s of children(det, 'Section47')) {
    const { start, end: icpc } = span(s, S, 'S47ActualStartDate', 'DateOfInitialCPC', 'initial child protection conference before its Section 47 enquiry started');
    const icpcRequired = listedCode(sink, child(s, 'ICPCnotRequired'), `${S}/ICPCnotRequired`, codes.yesNo, y, id, 'ICPCnotRequired') ?? '';
    ep.s47.push({ line: s.line, start, icpc, icpcRequired } satisfies StagedS47);
  }
  const C = `${CD}/ChildProtectionPlans`;
  for (const c of children(det, 'ChildProtectionPlans')) {
    const { start, end } = span(c, C, 'CPPstartDate', 'CPPendDate', 'child protection plan ends before it starts');
    const initialCategory = listedCode(sink, child(c, 'InitialCategoryOfAbuse'), `${C}/InitialCategoryOfAbuse`, codes.cppCategory, y, id, 'InitialCategoryOfAbuse') ?? '';
    const latestCategory = listedCode(sink, child(c, 'LatestCategoryOfAbuse'), `${C}/LatestCategoryOfAbuse`, codes.cppCategory, y, id, 'LatestCategoryOfAbuse') ?? '';
    const prevNode = child(c, 'NumberOfPreviousCPP');
    let previousCpps = prevNode?.text ?? '';
    if (previousCpps !== '' && !/^\d{1,2}$/.test(previousCpps)) {
      sink.add(prevNode!, `${C}/NumberOfPreviousCPP`, previousCpps, 'count_out_of_range', 'warning', `child ${id}: NumberOfPreviousCPP '${previousCpps}' is not a whole number 0-99; the value is dropped`, id);
      previousCpps = '';
    }
    ep.cpps.push({ line: c.line, start, end, initialCategory, latestCategory, previousCpps } satisfies StagedCpp);
  }
  return ep;
}

/** Within one return, a referral that starts while an earlier one of the same child is open. */
function flagOverlaps(eps: StagedCinEpisode[], sink: FindingSink): void {
  const sorted = [...eps].filter((e) => e.referral !== '').sort((a, b) => (a.referral < b.referral ? -1 : a.referral > b.referral ? 1 : a.line - b.line));
  let prev = sorted[0];
  for (let i = 1; i < sorted.length; i++) {
    const cur = sorted[i];
    const overlaps = prev.closure === '' || cur.referral < prev.closure;
    if (overlaps) {
      sink.add(cur, 'CINdetails/CINreferralDate', cur.referral, 'episode_overlap', 'warning',
        `child ${cur.childId}: referral ${cur.referral} (line ${cur.line}) starts while the referral of ${prev.referral} (line ${prev.line}) is still open (${prev.closure ? `closed ${prev.closure}` : 'no closure date'})`, cur.childId);
    }
    // the episode that stays open longest is the one later referrals must not start inside
    if (prev.closure !== '' && (cur.closure === '' || cur.closure > prev.closure)) prev = cur;
  }
}
