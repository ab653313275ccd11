// The latent-class pieces of the synthetic generator (src/data/synth/classes): the modal class is
// the arg-max of the posterior computed directly from the item probabilities (no log tables).
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/random';
import { classModel, modalClass } from '../../../src/data/synth/classes';
import { N_CLASSES } from '../../../src/data/synth/params';

describe('classModel and modalClass', () => {
  const m = classModel();
  it('holds N_CLASSES classes whose shares sum to 1, before and during the pandemic', () => {
    expect(m.itemProbs).toHaveLength(N_CLASSES);
    expect(m.sharesPre.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(m.sharesPandemic.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
  it('modal class equals the arg-max of share x product of Bernoulli probabilities', () => {
    const r = createRng(6);
    for (let t = 0; t < 300; t++) {
      const k0 = r.nextInt(N_CLASSES);
      for (let j = 0; j < m.nItems; j++) m.itemPresent[j] = r.nextFloat() < m.itemProbs[k0][j] ? 1 : 0;
      const post = m.sharesPre.map((s, k) => { let p = s; for (let j = 0; j < m.nItems; j++) p *= m.itemPresent[j] ? m.itemProbs[k][j] : 1 - m.itemProbs[k][j]; return p; });
      expect(modalClass(m, m.sharesPre)).toBe(post.indexOf(Math.max(...post)));
    }
  });
});
