// E-step chunking (src/lca/em/work): chunks depend on the row count only (so results do not
// depend on the thread count) and partition the rows exactly.
import { describe, expect, it } from 'vitest';
import { chunkCount, chunkStart } from '../../../src/lca/em/work';

describe('chunkCount / chunkStart', () => {
  it('partition 0..n into contiguous, non-empty chunks, at most 16', () => {
    for (const n of [1, 100, 8191, 8192, 50_000, 1_000_003, 10_000_000]) {
      const c = chunkCount(n);
      expect(c).toBeGreaterThanOrEqual(1);
      expect(c).toBeLessThanOrEqual(16);
      expect(chunkStart(n, c, 0)).toBe(0);
      expect(chunkStart(n, c, c)).toBe(n);
      for (let t = 0; t < c; t++) expect(chunkStart(n, c, t + 1)).toBeGreaterThan(chunkStart(n, c, t));
    }
    expect(chunkCount(100)).toBe(1);
    expect(chunkCount(10_000_000)).toBe(16);
  });
});
