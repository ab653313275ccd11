// fixest's `y ~ x | fe` syntax (src/formula/absorb): what is absorbed, and (1 | g) left alone.
import { describe, expect, it } from 'vitest';
import { splitAbsorb } from '../../src/formula/absorb';

describe('splitAbsorb', () => {
  it('splits the fixed effects after a top-level |', () => {
    expect(splitAbsorb('y ~ x1 + x2 | la + school')).toEqual({ formula: 'y ~ x1 + x2', absorb: ['la', 'school'] });
    expect(splitAbsorb('y ~ x | la^year')).toEqual({ formula: 'y ~ x', absorb: ['la', 'year'] });
  });
  it('leaves a random-effect (1 | g) and a formula without | alone', () => {
    expect(splitAbsorb('y ~ x + (1 | la)')).toEqual({ formula: 'y ~ x + (1 | la)', absorb: [] });
    expect(splitAbsorb('y ~ x')).toEqual({ formula: 'y ~ x', absorb: [] });
  });
  it('is an error when nothing follows the |', () => {
    expect(() => splitAbsorb('y ~ x | ')).toThrow("formula 'y ~ x | ': nothing to absorb after '|'");
  });
});
