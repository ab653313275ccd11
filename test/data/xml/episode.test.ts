// Unseen variants of the record kinds: repeated sub-records, children without CINdetails, bad dates
// deep in an episode, dates out of order, overlapping referrals; plus the hand-written 2021 fixture.
import { describe, it, expect, afterAll } from 'vitest';
import * as fs from 'fs';
import * as path from 'path';
import { readCinXmlReturn, CIN_XML_RULES } from '../../../src/data/xml';
import { tmpDir, header, details, writeReturn, lineOfText } from './build';

afterAll(() => fs.rmSync(tmpDir, { recursive: true, force: true }));
const H = header('2022', '2022-03-31');
const s47 = (start: string, icpc?: string) => ['<Section47>', `  <S47ActualStartDate>${start}</S47ActualStartDate>`, ...(icpc ? [`  <DateOfInitialCPC>${icpc}</DateOfInitialCPC>`] : []), '</Section47>'];
const cpp = (start: string, end: string, cat = 'NEG') => ['<ChildProtectionPlans>', `  <CPPstartDate>${start}</CPPstartDate>`, `  <CPPendDate>${end}</CPPendDate>`, `  <InitialCategoryOfAbuse>${cat}</InitialCategoryOfAbuse>`, '</ChildProtectionPlans>'];

describe('every sub-record of an episode is read', () => {
  it('three Section 47 enquiries, two CPPs and three assessments, in document order with their lines', () => {
    const asmt = (d: string, f: string) => ['<Assessments>', `  <AssessmentActualStartDate>${d}</AssessmentActualStartDate>`, `  <FactorsIdentifiedAtAssessment><AssessmentFactors>${f}</AssessmentFactors></FactorsIdentifiedAtAssessment>`, '</Assessments>'];
    const f = writeReturn('three-s47.xml', H, [{ id: 'S3', details: [details('2021-04-10', ...asmt('2021-04-11', '3B'), ...asmt('2021-06-01', '16A'), ...asmt('2021-09-01', '17A'),
      ...s47('2021-04-20', '2021-05-04'), ...s47('2021-07-01'), ...s47('2021-10-02', '2021-10-20'), ...cpp('2021-05-04', '2021-08-01'), ...cpp('2021-10-20', '2022-01-15', 'EMO'))] }]);
    const r = readCinXmlReturn(f);
    expect(r.findings).toEqual([]);
    const e = r.episodes[0];
    expect(e.s47.map((s) => [s.start, s.icpc, s.line])).toEqual([
      ['2021-04-20', '2021-05-04', lineOfText(f, '<Section47>', 0)], ['2021-07-01', '', lineOfText(f, '<Section47>', 1)], ['2021-10-02', '2021-10-20', lineOfText(f, '<Section47>', 2)],
    ]);
    expect(e.cpps.map((c) => [c.start, c.end, c.initialCategory])).toEqual([['2021-05-04', '2021-08-01', 'NEG'], ['2021-10-20', '2022-01-15', 'EMO']]);
    expect(e.assessments.map((a) => a.factors)).toEqual([['3B'], ['16A'], ['17A']]);
  });
});

describe('children and episodes that cannot be analysed', () => {
  it('a child with no CINdetails is counted and listed; a child without LAchildID has its episodes excluded', () => {
    const f = writeReturn('nodetails.xml', H, [{ id: 'N1', details: [] }, { id: 'OK', details: [details('2021-05-01')] }, { id: '', details: [details('2021-06-01'), details('2021-07-01')] }]);
    const r = readCinXmlReturn(f);
    expect([r.childrenRead, r.childrenWithoutDetails, r.episodesRead, r.episodes.length, r.episodesExcluded]).toEqual([3, 1, 3, 1, 2]);
    expect(r.findings).toContainEqual(expect.objectContaining({ rule: 'child_without_cindetails', childId: 'N1', line: lineOfText(f, '<Child>', 0) }));
    expect(r.findings.filter((x) => x.rule === 'missing_child_id').map((x) => [x.action, x.line])).toEqual([
      ['excluded', lineOfText(f, '<CINdetails>', 1)], ['excluded', lineOfText(f, '<CINdetails>', 2)],
    ]);
  });

  it('a d/m/y date in a nested CPP excludes the episode, naming its line, path, value and child', () => {
    const f = writeReturn('cppdate.xml', H, [{ id: 'D1', details: [details('2021-04-10', ...cpp('2021-05-04', '15/12/2021')), details('2021-12-20')] }]);
    const r = readCinXmlReturn(f);
    expect(r.findings).toEqual([expect.objectContaining({
      line: lineOfText(f, '15/12/2021'), field: 'CINdetails/ChildProtectionPlans/CPPendDate', value: '15/12/2021', rule: 'date_format', action: 'excluded', childId: 'D1',
    })]);
    expect(r.episodes.map((e) => e.referral)).toEqual(['2021-12-20']);
    expect(r.episodesExcluded).toBe(1);
  });

  it('impossible or timestamped dates are refused too (2021-02-30, 2021-05-04T00:00:00); a bad birth date only drops the DOB', () => {
    const f = writeReturn('dates.xml', H, [
      { id: 'E1', details: [details('2021-02-30')] },
      { id: 'E2', details: [details('2021-05-04T00:00:00')] },
      { id: 'E3', dob: '31/01/2015', details: [details('2021-05-04')] },
    ]);
    const r = readCinXmlReturn(f);
    expect(r.findings.map((x) => [x.childId, x.rule, x.action, x.line])).toEqual([
      ['E1', 'date_format', 'excluded', lineOfText(f, '2021-02-30')], ['E2', 'date_format', 'excluded', lineOfText(f, 'T00:00')], ['E3', 'dob_format', 'warning', lineOfText(f, '31/01/2015')],
    ]);
    expect(r.episodes.map((e) => [e.childId, e.dob])).toEqual([['E3', '']]);
  });

  it('end-before-start inside an episode excludes it (CPP, ICPC before S47); a CPP before the referral is left to the store rule', () => {
    const f = writeReturn('order.xml', H, [
      { id: 'O1', details: [details('2021-04-10', ...cpp('2021-09-01', '2021-08-01'))] },
      { id: 'O2', details: [details('2021-04-10', ...s47('2021-06-01', '2021-05-20'))] },
      { id: 'O3', details: [details('2021-04-10', ...cpp('2021-03-01', '2021-08-01'))] },
    ]);
    const r = readCinXmlReturn(f);
    expect(r.findings.map((x) => [x.childId, x.field, x.rule, x.action, x.line])).toEqual([
      ['O1', 'CINdetails/ChildProtectionPlans/CPPendDate', 'date_order', 'excluded', lineOfText(f, '2021-08-01', 0)],
      ['O2', 'CINdetails/Section47/DateOfInitialCPC', 'date_order', 'excluded', lineOfText(f, '2021-05-20')],
    ]);
    expect(r.episodes.map((e) => e.childId)).toEqual(['O3']);
  });

  it('an episode with two excluding faults is excluded once; the second fault is listed as a warning saying so', () => {
    const f = writeReturn('twofaults.xml', H, [{ id: 'T2', details: [details('2021-04-10', '<CINclosureDate>2021-03-01</CINclosureDate>', ...cpp('2021-05-04', '2021-13-45'))] }]);
    const r = readCinXmlReturn(f);
    expect(r.findings.map((x) => [x.rule, x.action, x.line])).toEqual([
      ['date_order', 'excluded', lineOfText(f, '<CINclosureDate>')], ['date_format', 'warning', lineOfText(f, '2021-13-45')],
    ]);
    expect(r.findings[1].message).toMatch(/already excluded/);
    expect([r.episodesRead, r.episodesExcluded, r.findings.filter((x) => x.action === 'excluded').length]).toEqual([1, 1, 1]);
  });

  it('a repeated single-valued element is never silently resolved: twice in an episode excludes it; twice in ChildIdentifiers drops the value', () => {
    const f = writeReturn('repeated.xml', H, [
      { id: 'R1', details: [details('2021-04-10', '<CINclosureDate>2021-05-01</CINclosureDate>', '<CINclosureDate>2021-09-01</CINclosureDate>'), details('2021-10-01', ...cpp('2021-10-05', '2021-11-01').flatMap((l) => (l.includes('CPPendDate') ? [l, '  <CPPendDate>2021-12-01</CPPendDate>'] : [l])))] },
      { id: 'R2', dob: '2012-04-01</PersonBirthDate>\n        <PersonBirthDate>2013-04-01', details: [details('2021-04-10')] },
    ]);
    const r = readCinXmlReturn(f);
    expect(r.findings.map((x) => [x.childId, x.field, x.action, x.line])).toEqual([
      ['R1', 'CINdetails/CINclosureDate', 'excluded', lineOfText(f, '2021-09-01')],
      ['R1', 'CINdetails/ChildProtectionPlans/CPPendDate', 'excluded', lineOfText(f, '2021-12-01')],
      ['R2', 'ChildIdentifiers/PersonBirthDate', 'warning', lineOfText(f, '2013-04-01')],
    ]);
    expect(r.findings.every((x) => x.rule === 'repeated_element')).toBe(true);
    expect(r.episodes.map((e) => [e.childId, e.dob])).toEqual([['R2', '']]);
  });

  it('a referral starting while an earlier one is open is flagged; one starting on the closure day is not', () => {
    const f = writeReturn('overlap.xml', H, [{ id: 'V1', details: [
      details('2021-04-10', '<CINclosureDate>2021-06-01</CINclosureDate>'), details('2021-05-01', '<CINclosureDate>2021-05-20</CINclosureDate>'), details('2021-06-01'),
    ] }]);
    const r = readCinXmlReturn(f);
    expect(r.findings).toEqual([expect.objectContaining({ rule: 'episode_overlap', value: '2021-05-01', childId: 'V1', line: lineOfText(f, '<CINdetails>', 1), action: 'warning' })]);
    expect(r.episodes.length).toBe(3);
  });

  it('every rule fired in these tests is documented', () => {
    for (const k of ['date_format', 'dob_format', 'date_order', 'episode_overlap', 'missing_child_id', 'child_without_cindetails', 'code_list_schema_year', 'sex_element_schema_year']) {
      expect(CIN_XML_RULES[k as keyof typeof CIN_XML_RULES]?.length ?? 0, k).toBeGreaterThan(40);
    }
  });
});

describe('the hand-written 2021 fixture (the loader test expectations, at reader level)', () => {
  const r = readCinXmlReturn(path.resolve(__dirname, '../fixtures/cin-return-2021.xml'));
  it('reads 4 episodes, excludes the reversed-date one at its line, drops 99Z, keeps repeated assessments and the CPP', () => {
    expect([r.la, r.censusYear, r.schemaYear, r.episodesRead, r.episodes.length]).toEqual(['999', 2021, 2021, 4, 3]);
    expect(r.findings).toContainEqual(expect.objectContaining({ field: 'CINdetails/CINclosureDate', value: '2020-11-01', rule: 'date_order', action: 'excluded', childId: 'DfE3', line: 125 }));
    expect(r.findings).toContainEqual(expect.objectContaining({ value: '99Z', rule: 'code_list_schema_year', line: 53 }));
    const e1 = r.episodes[0];
    expect(e1).toMatchObject({ childId: 'DfE1', upn: 'A123456789012', sex: '1', dob: '2010-06-15', referral: '2020-05-04', closure: '2021-01-20', closureReason: 'RC7' });
    expect(r.episodes.flatMap((e) => e.assessments.map((a) => a.factors.join(';')))).toEqual(['3B;4B;18C', '3B', '10A;11A;14A']);
    expect(e1.cpps).toEqual([expect.objectContaining({ start: '2020-08-01', end: '2020-12-15', initialCategory: 'EMO', latestCategory: 'PHY', previousCpps: '0' })]);
    expect(e1.s47).toEqual([expect.objectContaining({ start: '2020-07-20', icpc: '2020-08-01' })]);
    expect(r.episodes[2]).toMatchObject({ childId: 'DfE2', dob: '2004-02-29', sex: '2' });
  });
});
