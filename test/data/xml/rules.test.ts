// The CIN XML reader's finding helpers on hand-built nodes: what is returned, what is recorded
// (file, line, field, value, rule, action, child) and the one-exclusion-per-episode rule.
import { describe, it, expect } from 'vitest';
import { FindingSink, isoDate, listedCode, CIN_XML_RULES } from '../../../src/data/xml/rules';
import type { XNode } from '../../../src/data/xml/tree';

const node = (text: string, line = 7, name = 'X'): XNode => ({ name, line, text, children: [] });

describe('FindingSink', () => {
  it('records file, line, field, value, rule, action and child', () => {
    const s = new FindingSink('r.xml');
    s.add(node('v', 12), 'CINdetails/A', 'v', 'date_order', 'warning', 'msg', 'C9');
    expect(s.findings).toEqual([{ source: 'cin', file: 'r.xml', line: 12, field: 'CINdetails/A', value: 'v', rule: 'date_order', action: 'warning', message: 'msg', childId: 'C9' }]);
    expect(s.excludedNow).toBe(false);
  });
  it('a null node is a finding about the file (line null); an empty child id is left out', () => {
    const s = new FindingSink('r.xml');
    s.add(null, 'Header', '', 'census_year_mismatch', 'warning', 'm', '');
    expect(s.findings[0].line).toBeNull();
    expect(s.findings[0].childId).toBeUndefined();
  });
  it('one exclusion per episode: a second excluding fault becomes a warning that says so, until the flag is reset', () => {
    const s = new FindingSink('r.xml');
    s.add(node('a', 3), 'f1', 'a', 'date_format', 'excluded', 'first');
    s.add(node('b', 4), 'f2', 'b', 'date_order', 'excluded', 'second');
    expect(s.findings.map((f) => [f.line, f.action])).toEqual([[3, 'excluded'], [4, 'warning']]);
    expect(s.findings[1].message).toBe('second (the episode is already excluded by an earlier finding)');
    // a warning neither sets nor is changed by the flag
    s.add(node('c', 5), 'f3', 'c', 'code_list_schema_year', 'warning', 'third');
    expect(s.findings[2].message).toBe('third');
    s.excludedNow = false; // the reader resets it at the next episode
    s.add(node('d', 9), 'f4', 'd', 'date_format', 'excluded', 'next episode');
    expect(s.findings[3].action).toBe('excluded');
    expect(s.findings.filter((f) => f.action === 'excluded')).toHaveLength(2);
  });
});

describe('isoDate', () => {
  it('returns a real ISO calendar day as given, and "" for an absent or empty element, recording nothing', () => {
    const s = new FindingSink('r.xml');
    expect(isoDate(s, node('2020-02-29'), 'P', 'C1')).toBe('2020-02-29');
    expect(isoDate(s, undefined, 'P', 'C1')).toBe('');
    expect(isoDate(s, node(''), 'P', 'C1')).toBe('');
    expect(s.findings).toEqual([]);
  });
  it('never guesses: d/m/y, impossible days, timestamps and 2-digit years are refused at their line, excluding the episode', () => {
    for (const bad of ['29/02/2020', '2021-02-29', '2021-13-01', '2021-05-04T00:00:00', '21-05-04', '2021-5-4']) {
      const s = new FindingSink('r.xml');
      expect(isoDate(s, node(bad, 31), 'CINdetails/CINreferralDate', 'C1'), bad).toBeNull();
      expect(s.findings.map((f) => [f.line, f.field, f.value, f.rule, f.action, f.childId]), bad).toEqual([[31, 'CINdetails/CINreferralDate', bad, 'date_format', 'excluded', 'C1']]);
      expect(s.findings[0].message).toContain(`'${bad}' for child C1 is not an ISO date`);
      expect(s.excludedNow).toBe(true);
    }
  });
  it('a bad birth date is a warning (date dropped, episodes kept) and names a child without an id as such', () => {
    const s = new FindingSink('r.xml');
    expect(isoDate(s, node('01/02/2012', 5), 'ChildIdentifiers/PersonBirthDate', '', 'dob_format')).toBeNull();
    expect(s.findings[0]).toMatchObject({ rule: 'dob_format', action: 'warning', line: 5 });
    expect(s.findings[0].message).toContain('for child (no LAchildID)');
    expect(s.findings[0].message).toContain('the date of birth is dropped');
    expect(s.excludedNow).toBe(false);
  });
});

describe('listedCode', () => {
  const list = ['RC1', 'RC2', 'RC8'];
  it('returns a listed code, "" when absent, and null with a warning naming the schema year for an unlisted one', () => {
    const s = new FindingSink('r.xml');
    expect(listedCode(s, node('RC2'), 'CINdetails/ReasonForClosure', list, 2021, 'C1', 'ReasonForClosure')).toBe('RC2');
    expect(listedCode(s, undefined, 'CINdetails/ReasonForClosure', list, 2021, 'C1', 'ReasonForClosure')).toBe('');
    expect(s.findings).toEqual([]);
    expect(listedCode(s, node('RC9', 44), 'CINdetails/ReasonForClosure', list, 2021, 'C1', 'ReasonForClosure')).toBeNull();
    expect(s.findings).toHaveLength(1);
    expect(s.findings[0]).toMatchObject({ line: 44, value: 'RC9', rule: 'code_list_schema_year', action: 'value_dropped', childId: 'C1' });
    expect(s.findings[0].message).toContain("ReasonForClosure code 'RC9' for child C1 is not in the code list of the 2021 CIN schema");
    expect(s.excludedNow).toBe(false);
  });
  it('codes are matched exactly (no case folding or trimming of a different code)', () => {
    const s = new FindingSink('r.xml');
    expect(listedCode(s, node('rc1'), 'p', list, 2021, 'C1', 'x')).toBeNull();
  });
});

describe('CIN_XML_RULES', () => {
  it('documents every rule the helpers fire, and is frozen', () => {
    for (const k of ['date_format', 'dob_format', 'code_list_schema_year']) expect(CIN_XML_RULES).toHaveProperty(k);
    expect(Object.isFrozen(CIN_XML_RULES)).toBe(true);
  });
});
