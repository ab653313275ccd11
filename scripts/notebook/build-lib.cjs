/**
 * Builds the notebook library once into JavaScript with type declarations:
 * src/ and kernel-helpers/ → build/notebook-lib/{src,kernel-helpers}/ (CommonJS .js + .d.ts).
 *
 * Why: tslab compiles every local .ts file a notebook imports, in every kernel, and type-checks
 * and re-transpiles the whole tree (7–23 s per import cell). The notebooks/src and
 * notebooks/kernel-helpers symlinks point at this build instead, so tslab resolves each import to
 * a .d.ts (declarations only: nothing to emit) and Node requires the prebuilt .js. The import
 * strings in the notebooks ('./src/index', './kernel-helpers/index') do not change.
 *
 * Built with tslab's own TypeScript (5.0), so the declarations are ones the kernel can read.
 * Rebuilt only when the sources change: a content hash of every .ts under src/ and
 * kernel-helpers/ is kept in build/notebook-lib/.fingerprint. Runs from `npm ci` (prepare), from
 * the notebook runner and from the Jupyter kernel wrapper, so a stale build is never used.
 * Concurrent callers (parallel tests) serialise on a lock directory and build into a fresh
 * directory that replaces the old one by rename.
 *
 * Plain CommonJS: used by the kernel wrapper, which Jupyter starts with bare `node`.
 * CLI: node scripts/notebook/build-lib.cjs [--force]
 */
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const repoRoot = path.resolve(__dirname, '..', '..');
const SOURCE_DIRS = ['src', 'kernel-helpers'];
const LIB_DIR = path.join(repoRoot, 'build', 'notebook-lib');
const LOCK_DIR = path.join(repoRoot, 'build', '.notebook-lib.lock');
const FINGERPRINT = '.fingerprint';

function loadTypeScript() {
  // tslab's pinned compiler (the one that reads these declarations in the kernel).
  const tslabRequire = require('module').createRequire(path.join(repoRoot, 'node_modules', 'tslab', 'package.json'));
  return tslabRequire('@tslab/typescript-for-tslab');
}

function listSources(dir, out) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) listSources(full, out);
    else if (entry.name.endsWith('.ts')) out.push(full);
  }
  return out;
}

/** Content hash of the sources and of this build recipe. */
function fingerprint() {
  const hash = crypto.createHash('sha256');
  hash.update(fs.readFileSync(__filename));
  for (const d of SOURCE_DIRS) {
    for (const file of listSources(path.join(repoRoot, d), []).sort()) {
      hash.update(path.relative(repoRoot, file));
      hash.update('\0');
      hash.update(fs.readFileSync(file));
    }
  }
  return hash.digest('hex');
}

function isFresh(fp) {
  try {
    return fs.readFileSync(path.join(LIB_DIR, FINGERPRINT), 'utf8').trim() === fp;
  } catch {
    return false;
  }
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function withLock(fn) {
  fs.mkdirSync(path.dirname(LOCK_DIR), { recursive: true });
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      fs.mkdirSync(LOCK_DIR);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      // A lock older than 5 minutes belongs to a builder that died.
      try {
        if (Date.now() - fs.statSync(LOCK_DIR).mtimeMs > 300_000) fs.rmSync(LOCK_DIR, { recursive: true, force: true });
      } catch { /* gone already */ }
      if (Date.now() > deadline) throw new Error(`notebook library build: lock ${LOCK_DIR} held for 5 minutes`);
      sleep(200);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

/** Compiles into `outDir`; returns the type errors (as text) that tslab would have reported. */
function compile(ts, outDir) {
  const rootNames = SOURCE_DIRS.flatMap((d) => listSources(path.join(repoRoot, d), []));
  const options = {
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts'],
    types: ['node'],
    esModuleInterop: true,
    resolveJsonModule: true,
    declaration: true,
    skipLibCheck: true,
    // Stack traces in notebooks point at the .ts lines.
    inlineSourceMap: true,
    inlineSources: true,
    rootDir: repoRoot,
    outDir,
    newLine: ts.NewLineKind.LineFeed,
  };
  const program = ts.createProgram({ rootNames, options });
  const emitted = program.emit();
  const diagnostics = ts.getPreEmitDiagnostics(program).concat(emitted.diagnostics);
  const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => repoRoot, getNewLine: () => '\n' };
  return diagnostics.map((d) => ts.formatDiagnostic(d, host).trim());
}

/**
 * Builds build/notebook-lib if its sources changed. Returns {built, ms, errors}.
 * @param {{ force?: boolean, log?: (line: string) => void }} [opts]
 */
function ensureLibBuilt(opts = {}) {
  const log = opts.log || (() => {});
  const t0 = Date.now();
  if (!opts.force && isFresh(fingerprint())) return { built: false, ms: Date.now() - t0, errors: [] };
  return withLock(() => {
    const fp = fingerprint();
    if (!opts.force && isFresh(fp)) return { built: false, ms: Date.now() - t0, errors: [] };
    log('building the notebook library (src/, kernel-helpers/ → build/notebook-lib/) ...');
    const ts = loadTypeScript();
    const tmp = `${LIB_DIR}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    const errors = compile(ts, tmp);
    // Node must read the output as CommonJS whatever the repo's package.json says.
    fs.writeFileSync(path.join(tmp, 'package.json'), '{ "type": "commonjs" }\n');
    fs.writeFileSync(path.join(tmp, FINGERPRINT), fp + '\n');
    const old = `${LIB_DIR}.old-${process.pid}`;
    if (fs.existsSync(LIB_DIR)) fs.renameSync(LIB_DIR, old);
    fs.renameSync(tmp, LIB_DIR);
    fs.rmSync(old, { recursive: true, force: true });
    for (const e of errors.slice(0, 20)) log(`  type error: ${e}`);
    if (errors.length > 20) log(`  … ${errors.length - 20} more type errors`);
    log(`notebook library built in ${((Date.now() - t0) / 1000).toFixed(1)} s${errors.length ? ` with ${errors.length} type error(s) (run npm run typecheck)` : ''}`);
    return { built: true, ms: Date.now() - t0, errors };
  });
}

module.exports = { ensureLibBuilt, LIB_DIR };

if (require.main === module) {
  const r = ensureLibBuilt({ force: process.argv.includes('--force'), log: (l) => process.stderr.write(l + '\n') });
  if (!r.built) process.stderr.write(`notebook library up to date (${LIB_DIR})\n`);
}
