// The SSDA903 rule table and its SQL (duplicates, overlaps) on small hand-made returns whose every
// finding is known in advance: the edges of each rule (same-day start, an episode inside a long
// earlier one, a copy of an excluded row) and that each rule fired is documented.
import { describe, it, expect } from 'vitest';
import { readSsda903 } from '../../../src/data/ssda903';
import { SSDA903_RULES, HEADER_RULES, EPISODE_RULES, headerDuplicateSql, episodeDuplicateSql, overlapSql } from '../../../src/data/ssda903/rules';
import { tempCsvWriter } from '../helpers';

const csv = tempCsvWriter('csc-903-rules-');
const HEADER = ['CHILD', 'SEX', 'DOB', 'ETHNIC', 'UPN'];
const EPISODES = ['CHILD', 'DECOM', 'RNE', 'LS', 'CIN', 'PLACE', 'DEC', 'REC'];
const child = (id: string, o: Record<string, string> = {}) => ({ CHILD: id, SEX: '1', DOB: '01/01/2010', ETHNIC: 'WBRI', UPN: `A${id}`, ...o });
const ep = (id: string, decom: string, dec: string, o: Record<string, string> = {}) => ({ CHILD: id, DECOM: decom, RNE: 'S', LS: 'C2', CIN: 'N1', PLACE: 'U1', DEC: dec, REC: dec ? 'E13' : '', ...o });

async function read(name: string, children: Array<Record<string, string>>, episodes: Array<Record<string, string>>) {
  const r = await readSsda903({ header: csv(`${name}-h.csv`, HEADER, children), episodes: csv(`${name}-e.csv`, EPISODES, episodes) });
  // every data line is kept, excluded or merged
  expect(r.linesRead.header).toBe(r.children.length + r.excluded!.header + r.merged!.header);
  expect(r.linesRead.episodes).toBe(r.episodes.length + r.excluded!.episodes + r.merged!.episodes);
  return r;
}

describe('overlapping episodes', () => {
  it('a start on the day the previous episode ended is a new episode, not an overlap', async () => {
    const r = await read('sameday', [child('1')], [ep('1', '01/01/2019', '01/03/2019'), ep('1', '01/03/2019', '01/06/2019')]);
    expect(r.findings).toEqual([]);
  });
  it('an episode inside a long earlier one is flagged against the latest end so far, not only the previous row', async () => {
    // line 2 runs to 2020; line 3 ends in March 2018; line 4 starts in June 2018: inside line 2's episode
    const r = await read('inside', [child('1')], [ep('1', '01/01/2018', '01/01/2020'), ep('1', '01/02/2018', '01/03/2018'), ep('1', '01/06/2018', '01/07/2018')]);
    const overlaps = r.findings.filter((f) => f.rule === 'overlapping_episodes');
    expect(overlaps.map((f) => [f.line, f.action, f.childId])).toEqual([[3, 'warning', '1'], [4, 'warning', '1']]);
    expect(overlaps[1].message).toContain('open until 01/01/2020');
    expect(overlaps[1].message).toContain('previous episode line 3');
    expect(r.episodes.length).toBe(3);
  });
  it('an earlier episode with no DEC is open: a later start overlaps it', async () => {
    const r = await read('open', [child('1')], [ep('1', '01/01/2018', ''), ep('1', '01/06/2019', '01/07/2019')]);
    expect(r.findings.map((f) => [f.line, f.rule])).toEqual([[3, 'overlapping_episodes']]);
    expect(r.findings[0].message).toContain('an earlier episode has no DEC');
  });
  it('rows are ordered by start date, not by line: an earlier-dated row further down is the previous episode', async () => {
    const r = await read('order', [child('1')], [ep('1', '01/06/2019', '01/07/2019'), ep('1', '01/01/2019', '01/03/2019')]);
    expect(r.findings).toEqual([]);
  });
  it('children are separate: another child\'s episode never overlaps', async () => {
    const r = await read('twokids', [child('1'), child('2')], [ep('1', '01/01/2019', '01/12/2019'), ep('2', '01/02/2019', '01/03/2019')]);
    expect(r.findings).toEqual([]);
  });
});

describe('duplicate episodes and header rows', () => {
  it('an identical episode copy is merged; a disagreeing one is excluded naming the kept line and both value sets', async () => {
    const r = await read('dups', [child('1')], [ep('1', '01/01/2019', '01/03/2019'), ep('1', '01/01/2019', '01/03/2019'), ep('1', '01/01/2019', '01/04/2019')]);
    expect(r.findings.map((f) => [f.line, f.rule, f.action])).toEqual([[3, 'duplicate_record', 'merged'], [4, 'duplicate_record', 'excluded']]);
    expect(r.findings[1].message).toContain('disagrees with line 2');
    expect(r.findings[1].message).toContain('S|C2|N1|U1|01/03/2019|E13 there, S|C2|N1|U1|01/04/2019|E13 here');
    expect(r.episodes.map((e) => e.line)).toEqual([2]);
    expect([r.merged!.episodes, r.excluded!.episodes]).toEqual([1, 1]);
  });
  it('a row already excluded by a rule is not the copy that is kept: its corrected copy is kept, no duplicate', async () => {
    const r = await read('exdup', [child('1')], [ep('1', '01/01/2019', '31/02/2019'), ep('1', '01/01/2019', '28/02/2019')]);
    expect(r.findings.map((f) => [f.line, f.rule, f.action, f.field])).toEqual([[2, 'date_format', 'excluded', 'DEC']]);
    expect(r.episodes.map((e) => [e.line, e.end])).toEqual([[3, '2019-02-28']]);
  });
  it('header rows: an identical repeat is merged, a disagreeing one excluded with the first kept', async () => {
    const r = await read('hdups', [child('1'), child('1'), child('1', { SEX: '2' })], [ep('1', '01/01/2019', '01/03/2019')]);
    expect(r.findings.map((f) => [f.line, f.rule, f.action])).toEqual([[3, 'duplicate_record', 'merged'], [4, 'child_conflicting_details', 'excluded']]);
    expect(r.findings[1].message).toContain('1|01/01/2010|WBRI|A1 there, 2|01/01/2010|WBRI|A1 here');
    expect(r.children.map((c) => [c.line, c.sex])).toEqual([[2, '1']]);
  });
});

describe('field rules', () => {
  it('a code outside each SSDA903 list is dropped with the row kept, naming the column and CHILD', async () => {
    const r = await read('codes', [child('1', { SEX: '3', ETHNIC: 'ZZZZ' })], [ep('1', '01/01/2019', '01/03/2019', { RNE: 'Q', LS: 'Z9', CIN: 'N9', PLACE: 'X9', REC: 'E99' })]);
    const got = r.findings.map((f) => [f.field, f.value, f.rule, f.action, f.childId]);
    expect(got).toEqual(expect.arrayContaining([
      ['SEX', '3', 'code_list', 'warning', '1'], ['ETHNIC', 'ZZZZ', 'code_list', 'warning', '1'], ['RNE', 'Q', 'code_list', 'warning', '1'],
      ['LS', 'Z9', 'code_list', 'warning', '1'], ['CIN', 'N9', 'code_list', 'warning', '1'], ['PLACE', 'X9', 'code_list', 'warning', '1'], ['REC', 'E99', 'code_list', 'warning', '1'],
    ]));
    expect(got).toHaveLength(7);
    expect(r.children).toHaveLength(1);
    expect(r.children[0].sex).toBe('');
    expect(r.episodes[0]).toMatchObject({ reasonNewEpisode: '', legalStatus: '', cinCategory: '', placement: '', reasonEpisodeCeased: '' });
  });
  it('a bad DOB is dropped and the child kept; a blank DECOM or CHILD excludes the episode', async () => {
    const r = await read('dates', [child('1', { DOB: '2010-01-01' })], [ep('1', '', '01/03/2019'), ep('', '01/01/2019', '01/03/2019'), ep('1', '01/01/2019', '01/03/2019')]);
    expect(r.findings.map((f) => [f.file.endsWith('-h.csv') ? 'h' : 'e', f.line, f.rule, f.action])).toEqual([
      ['h', 2, 'date_format', 'warning'], ['e', 2, 'missing_date', 'excluded'], ['e', 3, 'missing_id', 'excluded'],
    ]);
    expect(r.children[0].dob).toBe('');
    expect(r.episodes.map((e) => e.line)).toEqual([4]);
  });
  it('DEC before DECOM excludes the episode (date_order), DEC on DECOM does not', async () => {
    const r = await read('order2', [child('1')], [ep('1', '01/03/2019', '28/02/2019'), ep('1', '01/04/2019', '01/04/2019')]);
    expect(r.findings.map((f) => [f.line, f.rule, f.action, f.field])).toEqual([[2, 'date_order', 'excluded', 'DEC']]);
  });
});

describe('the rule table', () => {
  it('every rule the tables and SQL can fire is documented', () => {
    const fired = new Set([...HEADER_RULES, ...EPISODE_RULES].map((r) => r.rule));
    for (const sql of [headerDuplicateSql('h', '0'), episodeDuplicateSql('e', '0'), overlapSql('e', '0')]) {
      for (const m of sql.matchAll(/'([a-z_]+)'/g)) if (/_/.test(m[1]) && !['cla'].includes(m[1])) fired.add(m[1]);
    }
    fired.delete('cla');
    for (const k of fired) expect(SSDA903_RULES, k).toHaveProperty(k);
  });
});
