// The checker reads numbers as shown (src/display/checker/parse): the library writes negatives
// with U+2212 (display/numbers), so the checker must read them as minus signs.
import { describe, expect, it } from 'vitest';
import { countPhrases, numbersIn, soleNumber } from '../../../src/display/checker/parse';
import { checkNotebook, protectTable, tableHtml } from '../../../src/display/index';

const M = '\u2212';

describe('numbers written with U+2212', () => {
  it('numbersIn and soleNumber read U+2212 as a minus, in the exponent too', () => {
    expect(numbersIn(`${M}0.25 to ${M}1,234.5`).map((n) => n.value)).toEqual([-0.25, -1234.5]);
    expect(numbersIn(`1.5e${M}5`).map((n) => n.value)).toEqual([1.5e-5]);
    expect(soleNumber(`${M}3`)).toBe(-3);
    expect(soleNumber(`${M}1,234`)).toBe(-1234);
  });
  it('a count phrase after a U+2212 sign is still read', () => {
    expect(countPhrases(`${M}3 children`).map((p) => p.value)).toEqual([3]);
  });
});

describe('a planted small count written with U+2212 is caught', () => {
  const RULES = { minCount: 10, roundTo: 5, secondary: true };
  const nb = (h: string, kind: 'html' | 'stream' = 'html') => ({
    cells: [{ cell_type: 'code', source: '', outputs: [kind === 'html' ? { output_type: 'display_data', data: { 'text/html': h } } : { output_type: 'stream', name: 'stdout', text: h }] }],
  });
  const fails = (n: unknown) => checkNotebook(n, 'nb').filter((p) => p.severity === 'fail');
  it('in a tagged count cell (as "−3")', () => {
    const clean = tableHtml(protectTable([{ g: 'a', n: 40 }, { g: 'b', n: 55 }], { countColumns: ['n'], rules: RULES, margins: 'none' }));
    expect(fails(nb(clean))).toEqual([]);
    const planted = clean.replace('>40<', `>${M}3<`);
    expect(planted).toContain(`${M}3`);
    const f = fails(nb(planted));
    expect(f.map((p) => p.kind)).toContain('small-count');
    expect(f.map((p) => p.value).join(' ')).toContain(`${M}3`);
  });
  it('in an untagged count column and in prose', () => {
    const t = `<table><thead><tr><th>group</th><th>children</th></tr></thead><tbody><tr><td>a</td><td>${M}3</td></tr></tbody></table>`;
    expect(fails(nb(t)).map((p) => p.kind)).toContain('small-count');
    expect(fails(nb(`There were ${M}3 children.`, 'stream')).map((p) => p.kind)).toContain('small-count');
  });
});

describe('column kinds by header', () => {
  it('"share" as a word marks a percentage column, "Shared …" does not', async () => {
    const { PERCENT_LABEL } = await import('../../../src/display/checker/parse');
    for (const h of ['share', 'Class share', 'class_share', 'shares (%)']) expect(PERCENT_LABEL.test(h), h).toBe(true);
    expect(PERCENT_LABEL.test('Shared gamma frailty')).toBe(false);
  });
});
