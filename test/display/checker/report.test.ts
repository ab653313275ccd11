import { describe, it, expect } from 'vitest';
import { effectiveRules, checkCount } from '../../../src/display/checker/report';
import { sdcRules } from '../../../src/display/sdc';
import { collector } from './helpers';

const required = sdcRules({ minCount: 10, roundTo: 5, secondary: true });

describe('checkCount (threshold 10, rounding to 5)', () => {
  const judge = (v: number, raw?: string) => { const c = collector(); checkCount(v, required, c.report, 'in t', raw); return c.said; };
  it('passes 0 and rounded counts at or above the threshold', () => {
    for (const v of [0, 10, 15, 1000, 51235]) expect(judge(v), String(v)).toEqual([]);
  });
  it('fails a count between 1 and 9 as small, whether rounded or not', () => {
    for (const v of [1, 5, 9]) expect(judge(v).map((s) => s.kind), String(v)).toEqual(['small-count']);
    expect(judge(5)[0].detail).toBe('count 5 below 10 in t');
  });
  it('fails an unrounded count, a fractional count and a negative one, showing the value as printed', () => {
    expect(judge(12).map((s) => [s.kind, s.value])).toEqual([['unrounded-count', '12']]);
    expect(judge(1234, '1,234')[0]).toMatchObject({ kind: 'unrounded-count', value: '1,234' });
    expect(judge(12.5)[0].kind).toBe('unrounded-count');
    expect(judge(12.5)[0].detail).toMatch(/not a whole number/);
    expect(judge(-5)[0]).toMatchObject({ kind: 'small-count', detail: 'negative count -5 in t' });
  });
  it('ignores non-finite values (NaN, Infinity are not counts)', () => {
    expect(judge(NaN)).toEqual([]);
    expect(judge(Infinity)).toEqual([]);
  });
  it('with rounding off (roundTo 1) only the threshold applies', () => {
    const c = collector();
    checkCount(11, sdcRules({ minCount: 10, roundTo: 1 }), c.report, 'x');
    expect(c.said).toEqual([]);
  });
});

describe('effectiveRules', () => {
  const eff = (declared: unknown) => { const c = collector(); const r = effectiveRules(declared, required, c.report, 'table "T"'); return { r, said: c.said }; };
  it('no declaration: the required rules, nothing said', () => {
    expect(eff(undefined)).toEqual({ r: required, said: [] });
    expect(eff(null)).toEqual({ r: required, said: [] });
  });
  it('stricter declarations are kept: threshold 20, rounding to a multiple of 5', () => {
    expect(eff({ minCount: 20, roundTo: 10, secondary: true })).toEqual({ r: { minCount: 20, roundTo: 10, secondary: true }, said: [] });
  });
  it('looser ones are reported and the required rules enforced instead', () => {
    const { r, said } = eff({ minCount: 5, roundTo: 1, secondary: false });
    expect(r).toEqual(required);
    expect(said.map((s) => [s.kind, s.value])).toEqual([['metadata', '5'], ['metadata', '1'], ['metadata', 'secondary=false']]);
    expect(said[0].detail).toBe('table "T" declares minCount 5, below the required 10');
  });
  it('rounding to a base that is not a multiple of the required one is looser (7 does not round to 5s)', () => {
    const { r, said } = eff({ minCount: 10, roundTo: 7 });
    expect(said.map((s) => s.kind)).toEqual(['metadata']);
    expect(r.roundTo).toBe(5);
  });
  it('unreadable declarations are reported', () => {
    expect(eff('strict').said.map((s) => s.kind)).toEqual(['metadata']);
    const { r, said } = eff({ minCount: 'ten' });
    expect(said.map((s) => s.kind)).toEqual(['metadata']);
    expect(r.minCount).toBe(10);
  });
});
