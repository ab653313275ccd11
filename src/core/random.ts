/**
 * Small seeded PRNG shared across areas: xoshiro128** seeded through splitmix32.
 * Deterministic across runtimes (pure 32-bit integer arithmetic via Math.imul),
 * so the same seed gives the same stream in tsx, vitest, the tslab kernel and worker threads.
 * Keep this file tiny and stable: fixtures and tests depend on its exact output.
 */
export interface Rng {
  /** uniform on [0, 1), 32 bits of resolution */
  nextFloat(): number;
  /** standard normal (Box–Muller, one value per call) */
  nextNormal(): number;
  /** uniform integer on 0..n-1 */
  nextInt(n: number): number;
}

function splitmix32(state: number): [number, number] {
  state = (state + 0x9e3779b9) | 0;
  let z = state;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return [state, z >>> 0];
}

/** Create a generator from an integer seed (any finite number; fractional parts are dropped). */
export function createRng(seed: number): Rng {
  let st = Math.trunc(seed) | 0;
  const s = new Uint32Array(4);
  for (let i = 0; i < 4; i++) {
    const r = splitmix32(st);
    st = r[0];
    s[i] = r[1];
  }
  if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1;
  const nextU32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  };
  const nextFloat = (): number => nextU32() / 4294967296;
  return {
    nextFloat,
    nextNormal(): number {
      let u = nextFloat();
      while (u === 0) u = nextFloat();
      const v = nextFloat();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    nextInt(n: number): number {
      return Math.floor(nextFloat() * n);
    },
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
