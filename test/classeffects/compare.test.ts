// The modal-vs-corrected sentence (src/classeffects/compare): means of absolute estimates and the
// largest change, computed by hand.
import { describe, expect, it } from 'vitest';
import { classEffectShift, classTermLabel } from '../../src/classeffects/compare';

const modal = [{ term: 'class2', estimate: 0.4 }, { term: 'class3', estimate: -0.3 }, { term: 'z', estimate: 0.5 }];
const corrected = [{ term: 'class2', estimate: 0.7 }, { term: 'class3', estimate: -0.35 }, { term: 'z', estimate: 0.5 }];

describe('classEffectShift', () => {
  it('averages |estimate| over the class terms and names the largest change', () => {
    const r = classEffectShift(modal, corrected, ['class2', 'class3'], { scale: 'log HR', exponentiate: true });
    expect(r.meanAbsModal).toBeCloseTo(0.35, 15);
    expect(r.meanAbsCorrected).toBeCloseTo(0.525, 15);
    expect(r.largest).toEqual({ term: 'class2', modal: 0.4, corrected: 0.7 });
    expect(r.sentence).toContain('mean absolute log HR is 0.350 with modal assignment and 0.525 after the BCH correction (larger');
    expect(r.sentence).toContain(`for class 2: ${Math.exp(0.4).toFixed(2)} → ${Math.exp(0.7).toFixed(2)} (exponentiated)`);
    expect(r.sentence).not.toMatch(/class\d/);
  });
  it('writes a negative estimate with the typographic minus and a numbered class label as prose', () => {
    const m = [{ term: 'class11. Neglect + Abuse', estimate: -0.6 }];
    const c = [{ term: 'class11. Neglect + Abuse', estimate: -0.64 }];
    const r = classEffectShift(m, c, ['class11. Neglect + Abuse'], { scale: 'difference' });
    expect(r.sentence).toContain('the largest change is for class 11 (Neglect + Abuse): \u22120.60 → \u22120.64.');
    expect(r.sentence).not.toContain('-0.6');
    expect(classTermLabel('classNeglect')).toBe('class Neglect');
  });
  it('names a class term missing from a fit', () => {
    expect(() => classEffectShift(modal, corrected, ['class4'])).toThrow('classEffectShift: term class4 missing from a fit');
  });
});
