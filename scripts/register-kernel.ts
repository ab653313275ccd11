/**
 * `npm run kernel`: registers the repo's own tslab (node_modules/tslab, pinned 1.0.22) as a
 * Jupyter kernel in a repo-local Jupyter data dir, by writing kernel.json directly. The kernel is
 * started through scripts/notebook/tslab-kernel.cjs, which adds the execute_input message tslab
 * omits (without it nbconvert saves every cell with execution_count null).
 *
 * Why not `tslab install`: it shells out to Python/IPython to write the same file.
 * Why repo-local: nothing outside the checkout is touched; point Jupyter at it with JUPYTER_PATH.
 *
 * Usage: npm run kernel [-- --dir <jupyter data dir>]   (default: <repo>/.jupyter-local)
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export const KERNEL_NAME = 'tslab';

/** Writes <dataDir>/kernels/tslab/kernel.json and returns its path. */
export function registerKernel(repoRoot: string, dataDir: string): string {
  const tslabMain = path.join(repoRoot, 'node_modules', 'tslab', 'dist', 'main.js');
  if (!fs.existsSync(tslabMain)) {
    throw new Error(`tslab is not installed (${tslabMain} missing): run \`npm ci\` first`);
  }
  // tslab's own kernel plus the execute_input fix (see scripts/notebook/tslab-kernel.cjs).
  const entry = path.join(repoRoot, 'scripts', 'notebook', 'tslab-kernel.cjs');
  const kernelDir = path.join(dataDir, 'kernels', KERNEL_NAME);
  fs.mkdirSync(kernelDir, { recursive: true });
  const spec = {
    // Absolute node path: Jupyter may be started from a shell whose PATH lacks this node.
    argv: [process.execPath, entry, '{connection_file}'],
    display_name: 'TypeScript (tslab, csc-outcomes)',
    language: 'typescript',
  };
  const file = path.join(kernelDir, 'kernel.json');
  fs.writeFileSync(file, JSON.stringify(spec, null, 2) + '\n');
  return file;
}

function main(): void {
  const repoRoot = path.resolve(path.dirname(process.argv[1] ?? '.'), '..');
  const dirFlag = process.argv.indexOf('--dir');
  const dataDir = dirFlag >= 0 && process.argv[dirFlag + 1]
    ? path.resolve(process.argv[dirFlag + 1])
    : path.join(repoRoot, '.jupyter-local');
  const file = registerKernel(repoRoot, dataDir);
  // The kernel also rebuilds a stale library when it starts; doing it now keeps the first start quick.
  const { ensureLibBuilt } = createRequire(import.meta.url)('./notebook/build-lib.cjs') as { ensureLibBuilt: (o: { log: (l: string) => void }) => unknown };
  ensureLibBuilt({ log: (l) => console.log(l) });
  const rel = path.relative(process.cwd(), dataDir) || '.';
  console.log(`Registered kernel "${KERNEL_NAME}" at ${file}`);
  console.log('');
  console.log('Open the notebooks interactively (from the repo root):');
  console.log(`  JUPYTER_PATH=${rel} jupyter lab notebooks/        # or: jupyter notebook notebooks/`);
  console.log('Execute one notebook with real Jupyter:');
  console.log(`  JUPYTER_PATH=${rel} jupyter nbconvert --to notebook --execute \\`);
  console.log(`    --ExecutePreprocessor.kernel_name=${KERNEL_NAME} --output-dir /tmp notebooks/00-overview.ipynb`);
  console.log('');
  console.log('The kernel must start with notebooks/ as its working directory (Jupyter does this by');
  console.log('default): notebooks import the library through the notebooks/src and');
  console.log('notebooks/kernel-helpers symlinks, see notebooks/README.md.');
}

if (process.argv[1] && path.basename(process.argv[1]).startsWith('register-kernel')) {
  main();
}
