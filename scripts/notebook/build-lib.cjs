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
 *
 * Start-up cost is what this build exists to cut, so two more steps (measured with an import-only
 * notebook, CPU time of the import cell: 1.8 s before, see notebooks/README.md for after):
 * - The JavaScript is ONE esbuild bundle (bundle.js: src/, kernel-helpers/ and the small pure-JS
 *   packages such as @stdlib's hundreds of files), and every per-file .js is a one-line stub that
 *   re-exports its module's namespace from the bundle, so import paths and module identity are
 *   unchanged. Packages whose identity or native code matters stay external (EXTERNAL below).
 *   Without esbuild the per-file tsc output is kept (slower, same behaviour).
 * - Declarations that would pull a heavy package's types into every kernel for a member no
 *   notebook uses are made opaque (OPAQUE_TYPES: DuckDB's 160 declaration files cost ~0.35 s of
 *   CPU per import cell, for Store.conn alone). Type errors in notebook cells are still reported:
 *   only those members lose their types in notebooks.
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
  const esbuild = loadEsbuild();
  // With a bundle, tsc only writes declarations (and the worker scripts' JS, see bundleJs).
  if (esbuild) options.emitDeclarationOnly = true;
  const program = ts.createProgram({ rootNames, options });
  const emitted = program.emit();
  const diagnostics = ts.getPreEmitDiagnostics(program).concat(emitted.diagnostics);
  const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => repoRoot, getNewLine: () => '\n' };
  const errors = diagnostics.map((d) => ts.formatDiagnostic(d, host).trim());
  opaqueHeavyTypes(outDir);
  if (esbuild) bundleJs(esbuild, ts, rootNames, options, outDir);
  return errors;
}

/** Packages left out of the bundle: one instance shared with notebook cells (arquero tables,
 * tslab's display hook), native code (DuckDB's bindings; its pure-JS API is bundled), big files read or loaded on demand (plotly.js,
 * docx, esbuild itself). */
const EXTERNAL = ['arquero', '@uwdata/*', '@duckdb/node-bindings', '@duckdb/node-bindings-*', 'tslab', 'tslab/*', 'plotly.js-dist-min', 'docx', 'esbuild', 'typescript'];

/** Scripts run as worker threads (not modules): compiled on their own, never stubbed. */
const isWorkerScript = (file) => /[\\/]parallel[\\/]worker\.ts$/.test(file);

/** Type-only imports, in emitted declarations, replaced by an opaque type (see the header). */
const OPAQUE_TYPES = [
  { from: '@duckdb/node-api', why: "DuckDB's own types are not loaded in notebooks (start-up time); use the library's functions" },
];

function loadEsbuild() {
  try {
    return require('module').createRequire(path.join(repoRoot, 'package.json'))('esbuild');
  } catch {
    return null;
  }
}

function listFiles(dir, suffix, out) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) listFiles(full, suffix, out);
    else if (entry.name.endsWith(suffix)) out.push(full);
  }
  return out;
}

function opaqueHeavyTypes(outDir) {
  for (const file of listFiles(outDir, '.d.ts', [])) {
    let text = fs.readFileSync(file, 'utf8');
    let changed = false;
    for (const { from, why } of OPAQUE_TYPES) {
      const re = new RegExp(`^import type \\{([^}]*)\\} from '${from.replace(/[/.]/g, '\\$&')}';$`, 'm');
      const m = re.exec(text);
      if (!m) continue;
      const names = m[1].split(',').map((n) => n.trim()).filter(Boolean);
      const decls = names.map((n) => {
        const [orig, alias] = n.split(/\s+as\s+/);
        return `/** ${from}'s ${orig}, opaque here: ${why}. */\ndeclare const __opaque_${alias || orig}: unique symbol;\ntype ${alias || orig} = { readonly [__opaque_${alias || orig}]: true };`;
      });
      text = text.replace(re, decls.join('\n'));
      changed = true;
    }
    if (changed) fs.writeFileSync(file, text);
    if (OPAQUE_TYPES.some(({ from }) => text.includes(`'${from}'`))) {
      throw new Error(`notebook library build: ${path.relative(outDir, file)} still refers to ${OPAQUE_TYPES.map((o) => o.from).join(', ')} (a form opaqueHeavyTypes does not rewrite)`);
    }
  }
}

/**
 * Packages bundled but initialised only when a notebook first uses them. DuckDB's API loads its
 * native bindings (a 60 MB shared library) when its module is initialised, which an ES import
 * does at bundle load, in every kernel, also for notebooks that never open a store (~0.24 s of CPU
 * per kernel start). Each import of such a package resolves to a small module whose exports are
 * getters that require the (bundled) package on first access, so DuckDB is loaded when a store
 * is first opened. The export names are read from the package at build time.
 */
const LAZY_PACKAGES = ['@duckdb/node-api'];

/**
 * esbuild `alias` entries pointing each LAZY_PACKAGES import at a generated module (written into
 * `dir`) whose exports are getters requiring the package on first access; the generated module
 * requires the package by its absolute entry path, which the alias does not match, so the package
 * itself is still bundled. (An alias, not a plugin: the build is synchronous, and esbuild's
 * synchronous API takes no plugins.)
 */
function lazyPackageAliases(dir) {
  const pkgRequire = require('module').createRequire(path.join(repoRoot, 'package.json'));
  const alias = {};
  for (const name of LAZY_PACKAGES) {
    let entry;
    let names;
    try {
      entry = pkgRequire.resolve(name);
      names = Object.keys(pkgRequire(name)).filter((k) => k !== 'default' && k !== '__esModule');
    } catch {
      continue; // not installed or its native part does not load here: bundled as before (loaded eagerly)
    }
    const getters = names.map((k) => `  get ${JSON.stringify(k)}() { return load()[${JSON.stringify(k)}]; },`).join('\n');
    const file = path.join(dir, `${name.replace(/[@/]/g, '_')}.cjs`); // .cjs: CommonJS whatever the nearest package.json's "type" says
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(file, `'use strict';\n// ${name}, initialised on first use (scripts/notebook/build-lib.cjs, LAZY_PACKAGES)\nlet pkg;\nconst load = () => pkg || (pkg = require(${JSON.stringify(entry)}));\nmodule.exports = {\n${getters}\n};\n`);
    alias[name] = file;
  }
  return alias;
}

/** One CommonJS bundle for every module, and a stub per module re-exporting its namespace. */
function bundleJs(esbuild, ts, rootNames, tsOptions, outDir) {
  const modules = rootNames.filter((f) => !isWorkerScript(f)).sort();
  const entry = modules.map((f, i) => `export * as m${i} from ${JSON.stringify('./' + path.relative(repoRoot, f).replace(/\\/g, '/').replace(/\.ts$/, ''))};`).join('\n');
  const bundleFile = path.join(outDir, 'bundle.js');
  const lazyDir = path.join(outDir, '.lazy-packages');
  esbuild.buildSync({
    stdin: { contents: entry, resolveDir: repoRoot, loader: 'ts', sourcefile: 'notebook-lib-entry.ts' },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: EXTERNAL,
    outfile: bundleFile,
    // Maps stack traces to the .ts lines when Node runs with --enable-source-maps; free otherwise.
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'silent',
    alias: lazyPackageAliases(lazyDir),
  });
  fs.rmSync(lazyDir, { recursive: true, force: true });
  modules.forEach((f, i) => {
    const stub = path.join(outDir, path.relative(repoRoot, f)).replace(/\.ts$/, '.js');
    const rel = path.relative(path.dirname(stub), bundleFile).replace(/\\/g, '/');
    fs.mkdirSync(path.dirname(stub), { recursive: true });
    fs.writeFileSync(stub, `'use strict';\n// ${path.relative(repoRoot, f)}, from the notebook bundle (scripts/notebook/build-lib.cjs)\nmodule.exports = require(${JSON.stringify(rel.startsWith('.') ? rel : './' + rel)}).m${i};\n`);
  });
  for (const f of rootNames.filter(isWorkerScript)) {
    const out = ts.transpileModule(fs.readFileSync(f, 'utf8'), { compilerOptions: { ...tsOptions, declaration: false, emitDeclarationOnly: false }, fileName: f });
    const dest = path.join(outDir, path.relative(repoRoot, f)).replace(/\.ts$/, '.js');
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.writeFileSync(dest, out.outputText);
  }
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
