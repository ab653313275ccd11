// checkTable on parsed tables written cell by cell: what each column kind is judged by, what the
// differencing check is handed, and which cells are read as counts.
import { describe, it, expect } from 'vitest';
import { checkTable, columnKind, ROW_COUNT_LABEL } from '../../../src/display/checker/tables';
import type { HtmlTable } from '../../../src/display/checker/parse';
import { collector, ctx } from './helpers';

const cell = (text: string, tagged = false) => ({ text, tagged, header: false });
const table = (headers: string[], rows: string[][], o: { tagged?: number[]; rules?: HtmlTable['rules']; caption?: string } = {}): HtmlTable => ({
  rules: o.rules, caption: o.caption ?? '',
  headers: headers.map((h) => ({ text: h, tagged: false, header: true })),
  rows: rows.map((r) => r.map((t, j) => cell(t, (o.tagged ?? []).includes(j)))),
});
const check = (t: HtmlTable, c = ctx) => { const k = collector(); const seen = checkTable(t, c, k.report, 'cell 1 output 1'); return { seen, said: k.said }; };

describe('columnKind', () => {
  it('reads a column by its header as a reader would', () => {
    const cases: Array<[string, string]> = [
      ['n', 'count'], ['Episodes', 'count'], ['children', 'count'], ['person-years', 'person-time'], ['max age', 'min-max'],
      ['oldest', 'min-max'], ['% re-referred', 'percent'], ['95% CI', 'other'], ['mean score', 'mean'], ['residual df', 'df'],
      ['estimate', 'other'], ['class', 'other'],
    ];
    for (const [h, k] of cases) expect(columnKind(h, false), h).toBe(k);
  });
  it('a tagged header is a count whatever its name', () => {
    expect(columnKind('estimate', true)).toBe('count');
  });
  it('row labels that hold counts', () => {
    for (const l of ['N', 'n events', 'Observations', 'children']) expect(ROW_COUNT_LABEL.test(l), l).toBe(true);
    for (const l of ['Age', 'Sex', 'Northern']) expect(ROW_COUNT_LABEL.test(l), l).toBe(false);
  });
});

describe('checkTable', () => {
  it('a protected count table passes and is handed on with its labels, kinds and values', () => {
    const { seen, said } = check(table(['area', 'n'], [['North', '120'], ['South', '[c]'], ['Total', '1,235']]));
    expect(said).toEqual([]);
    expect(seen).toEqual({ output: 'cell 1 output 1', columns: ['area', 'n'], kinds: ['other', 'count'], labels: ['North', 'South', 'Total'], values: [[null, 120], [null, 'suppressed'], [null, 1235]] });
  });
  it('small and unrounded counts fail, naming column, row and label', () => {
    const { said } = check(table(['area', 'n'], [['North', '7'], ['South', '123']]));
    expect(said.map((s) => [s.kind, s.value])).toEqual([['small-count', '7'], ['unrounded-count', '123']]);
    expect(said[0].detail).toBe('count 7 below 10 in table, column "n", row 1 ("North")');
  });
  it('a count row ("N") is read across every model column; an estimate with decimals in it is not a count', () => {
    const { said } = check(table(['', 'Model 1', 'Model 2'], [['N', '1,500', '1,234'], ['Age', '0.25', '0.31']]));
    expect(said.map((s) => [s.kind, s.value])).toEqual([['unrounded-count', '1,234']]);
  });
  it('an untagged cell in a tagged count column is reported', () => {
    const t = table(['area', 'n'], [['North', '120'], ['South', '45']]);
    t.rows[0][1].tagged = true;
    expect(check(t).said.map((s) => s.kind)).toEqual(['untagged-count']);
  });
  it('min/max values fail unless banded', () => {
    const { said } = check(table(['group', 'max age'], [['CLA', '17.9'], ['CIN', '15–20'], ['CPP', '<5']]));
    expect(said.map((s) => [s.kind, s.value])).toEqual([['min-max', '17.9']]);
  });
  it('a 0% or 100% group, and a percentage of a small numerator or complement against the row count', () => {
    const { said } = check(table(['group', 'n', '% re-referred'], [['a', '100', '100%'], ['b', '200', '3%'], ['c', '200', '50%']]));
    expect(said.map((s) => [s.kind, s.value])).toEqual([['percentage', '100%'], ['percentage', '3%']]);
    expect(said[1].detail).toContain('about 6.0, below 10');
  });
  it('residual df below the threshold, or flagged "<10", fails', () => {
    const { said } = check(table(['', 'Model'], [['Residual df', '7'], ['Events per coefficient', '<10'], ['N', '500']]));
    expect(said.map((s) => [s.kind, s.value])).toEqual([['model-df', '7'], ['model-df', '<10']]);
  });
  it('person-time is a count: small or unrounded fails', () => {
    const { said } = check(table(['group', 'person-years'], [['a', '1,200'], ['b', '1,203.5']]));
    expect(said.map((s) => s.kind)).toEqual(['unrounded-count']);
  });
  it('record-level signs: identifier columns and values, too many rows', () => {
    expect(check(table(['child_id', 'n'], [['A1', '10']])).said.map((s) => s.kind)).toContain('identifier');
    const long = table(['group', 'score'], Array.from({ length: 6 }, (_, i) => [`g${i}`, '1.5']));
    expect(check(long, { ...ctx, maxTableRows: 5 }).said.map((s) => s.kind)).toEqual(['record-level']);
  });
  it('declared rules looser than required, or unreadable, are reported', () => {
    expect(check(table(['g', 'n'], [['a', '20']], { rules: { minCount: 3, roundTo: 5 } })).said.map((s) => s.kind)).toEqual(['metadata']);
    const t = table(['g', 'n'], [['a', '20']], { rules: null });
    t.rawRules = '{oops';
    expect(check(t).said.map((s) => [s.kind, s.value])).toEqual([['metadata', '{oops']]);
  });
  it('a stricter declared threshold is applied: 15 passes the default, not a declared 20', () => {
    expect(check(table(['g', 'n'], [['a', '15']])).said).toEqual([]);
    expect(check(table(['g', 'n'], [['a', '15']], { rules: { minCount: 20, roundTo: 5 } })).said.map((s) => s.kind)).toEqual(['small-count']);
  });
});

describe('a table turned on its side (display/tableLayout): columns named after models', () => {
  // Model summaries: statistics as rows, one column per model; the model "first referrals" is not a count column.
  const sideways = (n: string, df: string, names = true): HtmlTable => ({
    rules: { minCount: 10, roundTo: 5 }, caption: 'Model summaries',
    headers: [{ text: 'Outcome', tagged: false, header: true }, { text: 'first referrals', tagged: false, header: true, ...(names ? { names: true } : {}) }],
    rows: [[cell('N'), cell(n, true)], [cell('Residual df'), cell(df)], [cell('Log-likelihood'), cell('−21,310')], [cell('AIC'), cell('42,641')]],
  });
  it('reads each cell by its row label: estimates pass, N is a count and residual df is judged by the df rule', () => {
    expect(check(sideways('10,640', '10,631')).said).toEqual([]);
    const small = check(sideways('5', '10,631')).said;
    expect(small.some((s) => s.kind === 'small-count' && /"N"/.test(s.detail))).toBe(true);
    const df = check(sideways('10,640', '4')).said;
    expect(df.map((s) => s.kind)).toEqual(['model-df']);
  });
  it('without the tag, a model named with a count word would make every estimate a count (what the tag is for)', () => {
    expect(check(sideways('10,640', '10,631', false)).said.some((s) => /AIC/.test(s.detail))).toBe(true);
  });
});
