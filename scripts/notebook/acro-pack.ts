/**
 * Writes the output-request pack out/outputs/ from every executed notebook in out/: results.json
 * (ACRO's schema, see src/display/acro/pack.ts), config.json (the rules), and one file per output
 * (tables as CSV, figures as the runner's PNG, else their JSON; numeric text as .txt).
 * Run by `npm run notebooks` after the notebooks are written; also `tsx scripts/notebook/acro-pack.ts [outDir]`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ACRO_SCHEMA_VERSION, acroConfig, packNotebook, type AcroResults } from '../../src/display/acro/pack';

export function writeOutputPack(outDir: string): { outputs: number; fail: number; review: number } {
  const packDir = path.join(outDir, 'outputs');
  fs.rmSync(packDir, { recursive: true, force: true });
  fs.mkdirSync(packDir, { recursive: true });
  const results: AcroResults = { version: ACRO_SCHEMA_VERSION, results: {} };
  const notebooks = fs.readdirSync(outDir).filter((f) => f.endsWith('.ipynb')).sort();
  for (const f of notebooks) {
    const nb = JSON.parse(fs.readFileSync(path.join(outDir, f), 'utf8'));
    const pack = packNotebook(nb, f.replace(/\.ipynb$/, ''));
    Object.assign(results.results, pack.results);
    for (const file of pack.files) {
      const target = path.join(packDir, file.name);
      if (file.base64 !== undefined) fs.writeFileSync(target, Buffer.from(file.base64, 'base64'));
      else fs.writeFileSync(target, file.text ?? '');
    }
  }
  fs.writeFileSync(path.join(packDir, 'results.json'), JSON.stringify(results, null, 4) + '\n');
  fs.writeFileSync(path.join(packDir, 'config.json'), JSON.stringify(acroConfig(), null, 4) + '\n');
  const all = Object.values(results.results);
  return { outputs: all.length, fail: all.filter((r) => r.status === 'fail').length, review: all.filter((r) => r.status === 'review').length };
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const outDir = process.argv[2] ?? 'out';
  const s = writeOutputPack(outDir);
  console.log(`output pack: ${s.outputs} output(s) in ${path.join(outDir, 'outputs')} (${s.fail} fail, ${s.review} review)`);
}
