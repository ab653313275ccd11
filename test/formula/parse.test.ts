// Formula parsing: R's term expansion, ordering, labels (deparse) and intercept handling.
import { describe, expect, it } from 'vitest';
import { addTerms, parseFormula, removeTerms, setReference, specTerms, toModelSpec } from '../../src/formula/index';

describe('parseFormula', () => {
  const cases: [string, string[], boolean][] = [
    ['y ~ a + b', ['a', 'b'], true],
    ['y ~ a*b', ['a', 'b', 'a:b'], true],
    ['y ~ b:a + c', ['c', 'b:a'], true], // variables numbered by first appearance: b before a
    ['y ~ a + b + b:a', ['a', 'b', 'a:b'], true],
    ['y ~ (a + b + c)^2', ['a', 'b', 'c', 'a:b', 'a:c', 'b:c'], true],
    ['y ~ (a + b + c)^2 - a:b', ['a', 'b', 'c', 'a:c', 'b:c'], true],
    ['y ~ a*b*c', ['a', 'b', 'c', 'a:b', 'a:c', 'b:c', 'a:b:c'], true],
    ['y ~ a:b:c + a', ['a', 'a:b:c'], true],
    ['y ~ x - 1', ['x'], false],
    ['y ~ 0 + x', ['x'], false],
    ['y ~ -1 + x + 1', ['x'], true],
    ['y ~ (a + b):c', ['a:c', 'b:c'], true],
    ['y ~ log(x + 1) + I(x^2) + I(x/2) + poly(z, 2, raw = TRUE)', ['log(x + 1)', 'I(x^2)', 'I(x/2)', 'poly(z, 2, raw = TRUE)'], true],
    ['y ~ a + a', ['a'], true],
  ];
  for (const [f, terms, icpt] of cases) {
    it(`${f} → ${terms.join(', ')}${icpt ? '' : ' (no intercept)'}`, () => {
      const p = parseFormula(f);
      expect(p.termLabels).toEqual(terms);
      expect(p.intercept).toBe(icpt);
      expect(p.response).toBe('y');
    });
  }
  it('keeps specials (strata, cluster, random intercepts) out of the terms', () => {
    const p = parseFormula('Surv(time, event) ~ x + strata(la) + cluster(id) + (1 | la/school)');
    expect(p.termLabels).toEqual(['x']);
    expect(p.response).toBe('Surv(time, event)');
    expect(p.responseColumns).toEqual(['time', 'event']);
    expect(p.specials.map((s) => [s.kind, s.label])).toEqual([['strata', 'strata(la)'], ['cluster', 'cluster(id)'], ['random', '1 | la/school']]);
    expect(p.specials[2].columns).toEqual(['la', 'school']);
  });
  it('one-sided formulas have no response', () => {
    expect(parseFormula('~ a + b').response).toBeNull();
  });
  it('reports syntax errors with the position', () => {
    expect(() => parseFormula('y ~ a +')).toThrow(/formula 'y ~ a \+'.*end of formula/);
    expect(() => parseFormula('y ~ a $ b')).toThrow(/unexpected character '\$' at position 7/);
    expect(() => parseFormula('y a + b')).toThrow(/'~'/);
    expect(() => parseFormula('y ~ a + 2')).toThrow(/cannot be a term/);
  });
});

describe('ModelSpec helpers are pure and JSON-serialisable', () => {
  const base = toModelSpec({ formula: 'att8 ~ csc_group + sex', reference: { csc_group: 'none' } });
  it('addTerms / removeTerms / setReference derive new specs without mutating', () => {
    const s2 = addTerms(base, ['fsm', 'csc_group:fsm'], 'stage 2');
    expect(specTerms(s2)).toEqual(['csc_group', 'sex', 'fsm', 'csc_group:fsm']);
    expect(s2.label).toBe('stage 2');
    expect(s2.reference).toEqual({ csc_group: 'none' });
    expect(specTerms(removeTerms(s2, ['sex']))).toEqual(['csc_group', 'fsm', 'csc_group:fsm']);
    const s3 = setReference(s2, 'sex', 'M');
    expect(s3.reference).toEqual({ csc_group: 'none', sex: 'M' });
    expect(base.formula).toBe('att8 ~ csc_group + sex');
    expect(Object.isFrozen(s3)).toBe(true);
    expect(JSON.parse(JSON.stringify(s3))).toEqual({ ...s3 });
  });
  it('accepts the minimal covariate form', () => {
    const s = toModelSpec({ response: 'y', covariates: ['age', 'sex', 'csc group'], factors: { sex: 'F', 'csc group': null } });
    expect(s.formula).toBe('y ~ age + sex + `csc group`');
    expect(s.reference).toEqual({ sex: 'F' });
    expect(s.factors).toEqual(['sex', 'csc group']);
  });
  it('rejects a bad spec clearly', () => {
    expect(() => toModelSpec({} as never)).toThrow(/formula string/);
  });
});
