/**
 * npm run synth -- --scale tiny|small|regional|national --seed N [--dir path] [--force]
 * Thin wrapper over src/data/synth: generates the synthetic extracts and truth.json.
 */
import * as fs from 'fs';
import { generateSynthetic, ensureSynthetic, syntheticDir } from '../src/data/synth';
import type { SyntheticScale } from '../src/data/types';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const scale = (arg('scale') ?? 'small') as SyntheticScale;
if (!['tiny', 'small', 'regional', 'national'].includes(scale)) {
  console.error(`--scale must be tiny, small, regional or national (got '${scale}')`);
  process.exit(2);
}
const seed = Number(arg('seed') ?? '1');
if (!Number.isInteger(seed)) {
  console.error(`--seed must be an integer (got '${arg('seed')}')`);
  process.exit(2);
}
const dir = arg('dir');
const t0 = Date.now();
const opts = { scale, seed, dir };
let out: string;
if (process.argv.includes('--force') || !fs.existsSync(syntheticDir(opts))) out = generateSynthetic(opts).dir;
else out = ensureSynthetic(opts);
const secs = ((Date.now() - t0) / 1000).toFixed(1);
console.log(`synthetic ${scale} seed ${seed}: ${out} (${secs} s, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB)`);
