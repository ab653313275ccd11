// Plain-data model specs (src/formula/modelSpec): term labels in R's order, update()-style edits,
// and the one reading of `factors` every model shares. R 4.2:
//   attr(terms(y ~ a*b + c), "term.labels")                         # "a" "b" "c" "a:b"
//   attr(terms(update(y ~ a + b + c, . ~ . - b)), "term.labels")    # "a" "c"
//   attr(terms(~ (a + b + c)^2), "term.labels")                     # "a" "b" "c" "a:b" "a:c" "b:c"
import { describe, expect, it } from 'vitest';
import { addTerms, normaliseFactors, removeTerms, setLabel, setLevels, setReference, setResponse, specTerms, toModelSpec } from '../../src/formula/modelSpec';

describe('specTerms and edits (terms(), update())', () => {
  it('term labels in R\'s order', () => {
    expect(specTerms('y ~ a*b + c')).toEqual(['a', 'b', 'c', 'a:b']);
    expect(specTerms('~ (a + b + c)^2')).toEqual(['a', 'b', 'c', 'a:b', 'a:c', 'b:c']);
  });
  it('removeTerms is update(. ~ . - term); addTerms appends; setResponse keeps the right-hand side', () => {
    expect(specTerms(removeTerms('y ~ a + b + c', ['b']))).toEqual(['a', 'c']);
    const s = addTerms({ formula: 'y ~ a', factors: ['a'] }, ['b', 'a:b'], 'm2');
    expect(s.formula).toBe('y ~ a + b + a:b');
    expect(s.factors).toEqual(['a']);
    expect(s.label).toBe('m2');
    expect(setResponse('y ~ a + b', 'log(z)').formula).toBe('log(z) ~ a + b');
  });
  it('setters return new frozen specs and leave the input alone', () => {
    const base = toModelSpec('y ~ sex');
    const r = setLevels(setReference(setLabel(base, 'L'), 'sex', 'F'), 'sex', ['F', 'M']);
    expect(r).toMatchObject({ formula: 'y ~ sex', label: 'L', reference: { sex: 'F' }, levels: { sex: ['F', 'M'] } });
    expect(Object.isFrozen(r)).toBe(true);
    expect(base.reference).toBeUndefined();
  });
});

describe('toModelSpec and normaliseFactors', () => {
  it('builds a formula from covariates, quoting non-syntactic names, and honours intercept: false', () => {
    const s = toModelSpec({ response: 'y', covariates: ['age', 'my var'], factors: { sex: 'F' }, intercept: false });
    expect(s.formula).toBe('y ~ age + `my var` - 1');
    expect(s.factors).toEqual(['sex']);
    expect(s.reference).toEqual({ sex: 'F' });
  });
  it('reads both factor forms alike, merging reference levels (explicit reference wins)', () => {
    expect(normaliseFactors(['sex', 'la'], { sex: 'M' }, 'ols')).toEqual({ factors: ['sex', 'la'], reference: { sex: 'M' } });
    expect(normaliseFactors({ sex: 'F', la: null }, { sex: 'M' }, 'cox')).toEqual({ factors: ['sex', 'la'], reference: { sex: 'M' } });
  });
  it('names the model for a factors value of the wrong kind', () => {
    expect(() => normaliseFactors('sex', undefined, 'cox')).toThrow(/^cox: factors must be a list of column names/);
    expect(() => normaliseFactors([1], undefined, 'ols')).toThrow(/^ols: factors must be a list of column names/);
    expect(() => normaliseFactors({ sex: 1 }, undefined, 'ols')).toThrow('ols: factors.sex must be a reference level (string) or null (got 1)');
    expect(() => toModelSpec({ formula: 'y ~ ' })).toThrow();
  });
});
