/**
 * `npm run notebooks [-- options]`: executes notebooks/*.ipynb headlessly through tslab's own
 * converter and executor (no Python, no ZeroMQ) and writes out/. See scripts/notebook/run.ts.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, runAll } from './notebook/run';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function main(): Promise<number> {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2), repoRoot);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  try {
    return await runAll(opts);
  } catch (e) {
    process.stderr.write(`notebook runner: ${(e as Error).stack ?? e}\n`);
    return 2;
  }
}

main().then((code) => process.exit(code));
