// labelRows (src/report/labelRows): dictionary labels for margins rows, variance components and
// groups keyed by level codes, so that no column or level code reaches a table, legend or axis.
import * as aq from 'arquero';
import { describe, expect, it } from 'vitest';
import { labelGroups, labelMargins, varianceComponentsTable } from '../../src/report/labelRows';
import { CSC_DICTIONARY } from '../../src/report/dictionaries';
import { margins } from '../../src/regression/margins';
import { ols } from '../../src/regression/table';
import { createRng } from '../../src/core/random';

function gapData() {
  const rng = createRng(3);
  const levels = ['none', 'CIN', 'CPP'];
  const rows = Array.from({ length: 600 }, (_, i) => {
    const csc_exposure = levels[i % 3];
    const fsm = (i >> 2) % 2;
    return { csc_exposure, fsm, att8: 50 - (csc_exposure === 'none' ? 0 : 20) - 5 * fsm + rng.nextNormal() };
  });
  return aq.from(rows);
}

describe('labelMargins', () => {
  const fit = ols(gapData(), { formula: 'att8 ~ csc_exposure * fsm', levels: { csc_exposure: ['none', 'CIN', 'CPP'] }, factors: ['fsm'] });
  const rows = margins(fit, { over: 'csc_exposure', by: 'fsm' });
  const labelled = labelMargins(rows, CSC_DICTIONARY, { by: 'fsm' });

  it('contrast terms read "CSC exposure: Child in need vs No CSC contact", not "csc_exposure: CIN - none"', () => {
    expect(rows.some((r) => r.term === 'csc_exposure: CIN - none')).toBe(true);
    const terms = new Set(labelled.filter((r) => r.type !== 'Predictive margin').map((r) => r.term));
    expect([...terms]).toEqual(['CSC exposure: Child in need vs No CSC contact', 'CSC exposure: Child protection plan vs No CSC contact']);
  });

  it('row kinds, subgroups and at-values read in words; numbers are untouched', () => {
    expect(new Set(labelled.map((r) => r.type))).toEqual(new Set(['Predictive margin', 'Gap', 'Difference in gaps']));
    expect(new Set(labelled.map((r) => r.by))).toEqual(new Set(['No', 'Yes', 'Yes \u2212 No']));
    expect(new Set(labelled.filter((r) => r.type === 'Predictive margin').map((r) => r['at.csc_exposure']))).toEqual(new Set(['No CSC contact', 'Child in need', 'Child protection plan']));
    expect(labelled.find((r) => r.type === 'Predictive margin')!.term).toBe('CSC exposure: No CSC contact');
    expect(labelled.map((r) => r.estimate)).toEqual(rows.map((r) => r.estimate));
    // no raw code left in any text cell
    for (const r of labelled) for (const v of Object.values(r)) if (typeof v === 'string') expect(v).not.toMatch(/csc_exposure|\bCIN\b|\bnone\b| - /);
  });

  it('codes without a dictionary entry are kept as they are', () => {
    const r = labelMargins([{ type: 'contrast', term: 'region: N - S', contrast: 'N - S', by: null, estimate: 1 }], CSC_DICTIONARY);
    expect(r[0].term).toBe('region: N vs S');
  });
});

describe('varianceComponentsTable', () => {
  it('names the grouping factor by its label ("Local authority", not "la") and keeps the residual', () => {
    const t = varianceComponentsTable({ varianceComponents: [{ group: 'la', variance: 5.5, sd: Math.sqrt(5.5) }, { group: 'Residual', variance: 171, sd: Math.sqrt(171) }] }, CSC_DICTIONARY);
    expect(t.rows.map((r) => r.group)).toEqual(['Local authority', 'Residual']);
    expect(t.columns).toEqual(['group', 'variance', 'sd']);
  });
});

describe('labelGroups', () => {
  it('re-keys KM curves by pathway with the level labels, in the dictionary order of levels', () => {
    const g = labelGroups({ 'CIN plan': 1, CPP: 2, NFA: 3, care: 4 }, 'pathway', CSC_DICTIONARY);
    expect(Object.keys(g)).toEqual(['No further action', 'Child in need plan', 'Child protection plan', 'Looked after']);
    expect(Object.values(g)).toEqual([3, 1, 2, 4]);
  });
});
