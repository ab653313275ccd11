// Seeded PRNG of src/core/random: the stream is xoshiro128** seeded through splitmix32 (checked
// against an independent BigInt implementation written from the published algorithm), and its
// draws have the moments and uniformity they claim.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/random';

const M32 = (1n << 32n) - 1n;
const rotl = (x: bigint, k: bigint): bigint => ((x << k) | (x >> (32n - k))) & M32;
function referenceU32(seed: number, count: number): number[] {
  let st = BigInt(Math.trunc(seed) | 0) & M32;
  const s: bigint[] = [];
  for (let i = 0; i < 4; i++) {
    st = (st + 0x9e3779b9n) & M32;
    let z = st;
    z = ((z ^ (z >> 16n)) * 0x85ebca6bn) & M32;
    z = ((z ^ (z >> 13n)) * 0xc2b2ae35n) & M32;
    z ^= z >> 16n;
    s.push(z);
  }
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    out.push(Number((rotl((s[1] * 5n) & M32, 7n) * 9n) & M32));
    const t = (s[1] << 9n) & M32;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 11n);
  }
  return out;
}

describe('createRng', () => {
  it('produces the xoshiro128** stream of an independent BigInt implementation', () => {
    for (const seed of [1, 42, -7, 123456789]) {
      const r = createRng(seed);
      const got = Array.from({ length: 20 }, () => Math.round(r.nextFloat() * 4294967296));
      expect(got).toEqual(referenceU32(seed, 20));
    }
  });
  it('is deterministic per seed and differs between seeds', () => {
    const a = createRng(9); const b = createRng(9); const c = createRng(10);
    const xa = Array.from({ length: 5 }, () => a.nextFloat());
    expect(Array.from({ length: 5 }, () => b.nextFloat())).toEqual(xa);
    expect(Array.from({ length: 5 }, () => c.nextFloat())).not.toEqual(xa);
  });
  it('nextFloat is uniform on [0,1) (mean, variance and a 20-bin chi-square)', () => {
    const r = createRng(3);
    const n = 200_000; const bins = new Array(20).fill(0);
    let s = 0; let s2 = 0; let outside = 0;
    for (let i = 0; i < n; i++) { const u = r.nextFloat(); if (!(u >= 0 && u < 1)) outside++; s += u; s2 += u * u; bins[Math.floor(u * 20)]++; }
    expect(outside).toBe(0);
    expect(s / n).toBeCloseTo(0.5, 2);
    expect(s2 / n - (s / n) ** 2).toBeCloseTo(1 / 12, 3);
    const e = n / 20;
    const chi = bins.reduce((a, o) => a + (o - e) ** 2 / e, 0);
    expect(chi).toBeLessThan(43.8); // qchisq(0.999, 19)
  });
  it('nextNormal has mean 0, variance 1, skewness 0 and kurtosis 3', () => {
    const r = createRng(5); const n = 200_000;
    let m1 = 0, m2 = 0, m3 = 0, m4 = 0;
    for (let i = 0; i < n; i++) { const z = r.nextNormal(); m1 += z; m2 += z * z; m3 += z ** 3; m4 += z ** 4; }
    expect(Math.abs(m1 / n)).toBeLessThan(0.01);
    expect(m2 / n).toBeCloseTo(1, 1);
    expect(Math.abs(m3 / n)).toBeLessThan(0.03);
    expect(m4 / n).toBeCloseTo(3, 0);
  });
  it('nextInt(n) covers 0..n-1 evenly', () => {
    const r = createRng(11); const counts = new Array(7).fill(0);
    for (let i = 0; i < 70_000; i++) counts[r.nextInt(7)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
  });
});
