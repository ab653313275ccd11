/**
 * The headless notebook runner: executes up to --jobs notebooks at a time (each in its own worker
 * process), renders PNG fallbacks for all figures of the run in one Chromium session, and writes
 * out/<name>.ipynb, out/<name>.html and out/index.html. Returns the process exit code (0 ok,
 * 1 a notebook failed, 2 usage error).
 *
 * Concurrency does not change what a notebook computes: each notebook still gets a fresh worker
 * and its own per-cell timeouts, and every output is assembled per notebook and listed in name
 * order. Only the start order changes: longest first (by the durations of earlier runs, kept in
 * out/.notebook-timings.json), so the slowest notebook does not start last and run alone.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { plotlyScriptSource, PLOT_METADATA_KEY, PLOTLY_MIME, stripDrawScript, stripInlinedPlotly } from '../../kernel-helpers/plotly-inline';
import { executeNotebook, type NotebookRun } from './execute';
import { notebookTitle, renderNotebookHtml } from './html';
import { renderIndexHtml, type IndexEntry } from './index-page';
import { readNotebook, validateNotebook, type DisplayDataOutput, type ExecuteResultOutput, type Notebook } from './nbformat';
import { findExternalReferences } from './offline-check';
import { declaredParameters, injectParameters, parseParamArg, undeclaredParamsError, type ParamValue } from './params';
import { DEFAULT_CHROMIUM, renderPngs, type FigureToRender } from './png';
import { writeOutputPack } from './acro-pack';
import { nextReady } from './dependencies';
import { createRunBars, wantBars, type RunBars } from './progress-bar';

const { ensureLibBuilt } = createRequire(import.meta.url)('./build-lib.cjs') as {
  ensureLibBuilt: (o: { log?: (line: string) => void }) => { built: boolean; ms: number; errors: string[] };
};

export interface RunOptions {
  notebooksDir: string;
  outDir: string;
  only: string[];
  allowErrors: boolean;
  params: Record<string, ParamValue>;
  cellTimeoutMs: number;
  png: boolean;
  chromiumPath: string;
  /** Notebooks executed concurrently (each in its own worker process). */
  jobs: number;
}

/** Default --jobs: one notebook per available CPU. */
export function defaultJobs(): number {
  const n = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, n);
}

export const USAGE = `Usage: npm run notebooks -- [options]
  --only <prefix>       run only notebooks whose file name starts with <prefix> (repeatable)
  --allow-errors        keep executing after a failing cell; exit 0
  --param name=value    override a value of the cell tagged "parameters" (repeatable);
                        numbers, booleans and JSON are parsed, anything else is a string
  --jobs <n>            run up to n notebooks at once, each in its own process
                        (default: number of CPUs, here ${defaultJobs()}; 1 = one after another)
  --timeout <seconds>   per-cell timeout (default 600)
  --no-png              skip the Chromium PNG fallbacks for figures
  --chromium <path>     browser for PNG fallbacks (default $CHROMIUM_PATH or ${DEFAULT_CHROMIUM})
  --dir <dir>           notebooks directory (default notebooks)
  --out <dir>           output directory (default out)`;

export function parseArgs(argv: string[], repoRoot: string): RunOptions {
  const opts: RunOptions = {
    notebooksDir: path.join(repoRoot, 'notebooks'),
    outDir: path.join(repoRoot, 'out'),
    only: [],
    allowErrors: false,
    params: {},
    cellTimeoutMs: 600_000,
    png: true,
    chromiumPath: process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM,
    jobs: defaultJobs(),
  };
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case '--only': opts.only.push(value(i, a)); i++; break;
      case '--allow-errors': opts.allowErrors = true; break;
      case '--param': { const [k, v] = parseParamArg(value(i, a)); opts.params[k] = v; i++; break; }
      case '--timeout': {
        const s = Number(value(i, a)); i++;
        if (!(s > 0)) throw new Error(`--timeout expects a positive number of seconds, got "${argv[i]}"`);
        opts.cellTimeoutMs = s * 1000;
        break;
      }
      case '--jobs': {
        const raw = value(i, a); i++;
        const n = Number(raw);
        if (!Number.isInteger(n) || n < 1) throw new Error(`--jobs expects a positive whole number, got "${raw}"`);
        opts.jobs = n;
        break;
      }
      case '--no-png': opts.png = false; break;
      case '--chromium': opts.chromiumPath = value(i, a); i++; break;
      case '--dir': opts.notebooksDir = path.resolve(value(i, a)); i++; break;
      case '--out': opts.outDir = path.resolve(value(i, a)); i++; break;
      case '--help': case '-h': throw new Error(USAGE);
      default: throw new Error(`unknown option "${a}"\n${USAGE}`);
    }
  }
  return opts;
}

interface Done {
  name: string;
  file: string;
  run: NotebookRun | null;
  loadError: string | null;
  injected: boolean;
}

let bars: RunBars | null = null;
const log = (line: string) => (bars ? bars.log(line) : process.stderr.write(line + '\n'));

function listNotebooks(dir: string, only: string[]): string[] {
  if (!fs.existsSync(dir)) throw new Error(`notebooks directory ${dir} does not exist`);
  const all = fs.readdirSync(dir).filter((f) => f.endsWith('.ipynb')).sort();
  const chosen = only.length === 0 ? all : all.filter((f) => only.some((p) => f.startsWith(p)));
  if (only.length > 0 && chosen.length === 0) {
    throw new Error(`--only ${only.join(', ')} matches no notebook in ${dir} (have: ${all.join(', ') || 'none'})`);
  }
  return chosen;
}

/**
 * Calls `visit` for every rich output (display_data / execute_result) of every executed notebook,
 * with a key `<notebook>#<cell>#<output>` that is stable between collecting figures and
 * attaching their PNGs.
 */
function forEachRichOutput(done: Done[], visit: (o: DisplayDataOutput | ExecuteResultOutput, key: string) => void): void {
  for (const d of done) {
    if (!d.run) continue;
    d.run.notebook.cells.forEach((cell, ci) => {
      if (cell.cell_type !== 'code') return;
      cell.outputs.forEach((o, oi) => {
        if (o.output_type !== 'display_data' && o.output_type !== 'execute_result') return;
        visit(o, `${d.name}#${ci}#${oi}`);
      });
    });
  }
}

/** Collects every plot output of the run so that one browser session renders them all. */
function collectFigures(done: Done[]): FigureToRender[] {
  const figures: FigureToRender[] = [];
  forEachRichOutput(done, (o, key) => {
    const fig = o.data[PLOTLY_MIME] as FigureToRender['figure'] | undefined;
    const meta = o.metadata[PLOT_METADATA_KEY] as { width?: number; height?: number } | undefined;
    if (!fig || !meta) return;
    figures.push({ key, figure: fig, width: meta.width ?? 720, height: meta.height ?? 450 });
  });
  return figures;
}

/** The PNG goes into the .ipynb once, as image/png; html.ts puts it inside the plot's div when rendering the page. */
function attachPngs(done: Done[], images: Map<string, string>): void {
  forEachRichOutput(done, (o, key) => {
    const png = images.get(key);
    if (png) o.data['image/png'] = png;
  });
}

function withRunMetadata(nb: Notebook, run: NotebookRun, params: Record<string, ParamValue>): Notebook {
  const metadata: Record<string, unknown> = { ...nb.metadata };
  if (!metadata.kernelspec) metadata.kernelspec = { name: 'tslab', display_name: 'TypeScript (tslab, csc-outcomes)', language: 'typescript' };
  if (!metadata.language_info) metadata.language_info = { name: 'typescript', file_extension: '.ts', mimetype: 'text/typescript' };
  metadata.csc_runner = {
    status: run.status,
    duration_seconds: Math.round(run.durationMs) / 1000,
    executed_at: new Date().toISOString(),
    parameters: params,
  };
  return { ...nb, metadata };
}

function writeOutputs(d: Done, opts: RunOptions, warnings: string[]): IndexEntry {
  const base = d.name.replace(/\.ipynb$/, '');
  if (!d.run) {
    return { name: d.name, title: base, status: 'error', detail: d.loadError ?? 'not run', durationMs: 0, htmlFile: null, ipynbFile: null };
  }
  const run = d.run;
  const nb = withRunMetadata(run.notebook, run, d.injected ? opts.params : {});
  const problems = validateNotebook(nb);
  if (problems.length > 0) throw new Error(`internal error: executed ${d.name} is not valid nbformat: ${problems.slice(0, 5).join('; ')}`);
  fs.writeFileSync(path.join(opts.outDir, `${base}.ipynb`), JSON.stringify(nb, null, 1) + '\n');
  const title = notebookTitle(nb, base);
  const first = run.failures[0];
  const status = run.status === 'ok' ? 'ok' : run.status === 'timeout' ? 'timeout' : 'failed';
  const detail = first
    ? `${run.failures.length > 1 ? `${run.failures.length} failing cells; first: ` : ''}cell ${first.cellNumber}: ${first.ename}: ${first.evalue.split('\n')[0]}`
    : `${run.codeCellsRun} code cells`;
  const html = renderNotebookHtml(nb, { title, status: status === 'ok' ? 'ok' : `${status} (${detail})`, durationMs: run.durationMs, parameters: d.injected ? opts.params : undefined, warnings });
  const external = findExternalReferences(html);
  if (external.length > 0) log(`WARNING: ${base}.html references external resources: ${external.slice(0, 3).join(', ')}`);
  fs.writeFileSync(path.join(opts.outDir, `${base}.html`), html);
  return { name: d.name, title, status, detail, durationMs: run.durationMs, htmlFile: `${base}.html`, ipynbFile: `${base}.ipynb` };
}

const TIMINGS_FILE = '.notebook-timings.json';

/** Durations (ms) of earlier runs by notebook name; empty if unknown or unreadable (it is only a hint). */
function readTimings(outDir: string): Record<string, number> {
  try {
    const raw = JSON.parse(fs.readFileSync(path.join(outDir, TIMINGS_FILE), 'utf8')) as unknown;
    if (!raw || typeof raw !== 'object') return {};
    const timings: Record<string, number> = {};
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) if (typeof v === 'number' && v >= 0) timings[k] = v;
    return timings;
  } catch {
    return {};
  }
}

function writeTimings(outDir: string, previous: Record<string, number>, done: Done[]): void {
  const timings = { ...previous };
  for (const d of done) if (d.run && d.run.status === 'ok') timings[d.name] = Math.round(d.run.durationMs);
  const sorted: Record<string, number> = {};
  for (const k of Object.keys(timings).sort()) sorted[k] = timings[k];
  fs.writeFileSync(path.join(outDir, TIMINGS_FILE), JSON.stringify(sorted, null, 1) + '\n');
}

/**
 * Start order: notebooks without a recorded duration first (they may be long), in name order;
 * then the rest longest first. With one job this is still name order when nothing is known.
 */
export function scheduleOrder(names: string[], timings: Record<string, number>): string[] {
  const unknown = names.filter((n) => timings[n] === undefined);
  const known = names.filter((n) => timings[n] !== undefined)
    .sort((a, b) => (timings[b] - timings[a]) || (a < b ? -1 : a > b ? 1 : 0));
  return [...unknown, ...known];
}

/** Runs one notebook to completion and logs its failures as one uninterrupted block. */
async function runOne(name: string, opts: RunOptions): Promise<{ done: Done; failed: boolean }> {
  const file = path.join(opts.notebooksDir, name);
  let nb: Notebook;
  try {
    nb = readNotebook(file);
  } catch (e) {
    log(`ERROR: ${(e as Error).message}`);
    return { done: { name, file, run: null, loadError: (e as Error).message.split('\n')[0], injected: false }, failed: true };
  }
  const injection = injectParameters(nb, opts.params);
  if (Object.keys(opts.params).length > 0) {
    if (injection.injectedIndex < 0) log(`[${name}] no cell tagged "parameters": --param values not injected`);
    else if (injection.undeclared.length > 0) log(`[${name}] note: --param ${injection.undeclared.join(', ')} not declared in this notebook's parameters cell (declared by another notebook of the run)`);
  }
  log(`[${name}] running`);
  let run: NotebookRun;
  try {
    run = await executeNotebook(injection.notebook, {
      cwd: opts.notebooksDir,
      cellTimeoutMs: opts.cellTimeoutMs,
      allowErrors: opts.allowErrors,
      label: `[${name}]`,
      onProgress: log,
      onCell: (k, total) => bars?.cell(name, k, total),
    });
  } catch (e) {
    log(`ERROR: ${(e as Error).message}`);
    return { done: { name, file, run: null, loadError: (e as Error).message.split('\n')[0], injected: false }, failed: true };
  }
  const done: Done = { name, file, run, loadError: null, injected: injection.injectedIndex >= 0 };
  // The .ipynb keeps the plotly JSON once; the HTML page inlines plotly.js once and redraws each
  // figure from its JSON (html.ts).
  forEachRichOutput([done], (o) => {
    const html = o.data['text/html'];
    if (typeof html === 'string') o.data['text/html'] = o.data[PLOTLY_MIME] !== undefined ? stripDrawScript(stripInlinedPlotly(html)) : stripInlinedPlotly(html);
  });
  for (const f of run.failures) {
    log(`\nFAILED: ${path.relative(process.cwd(), file)}, cell ${f.cellNumber} (In [${f.executionCount}])`);
    log(`  ${f.ename}: ${f.evalue.split('\n').join('\n  ')}`);
    log('  cell source:');
    for (const line of f.sourceHead) log(`  | ${line}`);
    log('');
  }
  const failed = (run.status !== 'ok' && !opts.allowErrors) || run.status === 'timeout';
  log(`[${name}] ${run.status} in ${(run.durationMs / 1000).toFixed(1)} s`);
  return { done, failed };
}

/** A --param that no notebook of the run declares is a typo: the run stops before it starts. */
function checkParams(opts: RunOptions, names: string[]): string | null {
  const given = Object.keys(opts.params);
  if (given.length === 0) return null;
  const declared: Record<string, string[]> = {};
  for (const n of names) {
    try {
      declared[n] = declaredParameters(readNotebook(path.join(opts.notebooksDir, n)));
    } catch {
      declared[n] = []; // unreadable notebooks fail on their own, with their own message
    }
  }
  return undeclaredParamsError(given, declared);
}

export async function runAll(opts: RunOptions): Promise<number> {
  const startedAt = new Date();
  const names = listNotebooks(opts.notebooksDir, opts.only);
  const paramError = checkParams(opts, names);
  if (paramError) {
    log(`ERROR: ${paramError}`);
    return 2;
  }
  fs.mkdirSync(opts.outDir, { recursive: true });
  // Notebooks import the prebuilt library (notebooks/src → build/notebook-lib/src): never a stale one.
  ensureLibBuilt({ log });
  const timings = readTimings(opts.outDir);
  const queue = scheduleOrder(names, timings);
  const jobs = Math.min(opts.jobs, names.length);
  if (jobs > 1) log(`running ${names.length} notebooks, up to ${jobs} at a time`);
  const byName = new Map<string, Done>();
  let failed = false;
  // A lane takes the first queued notebook whose dependencies have finished (notebooks/dependencies.ts),
  // and otherwise waits for a running notebook to finish.
  const finished = new Set<string>();
  const running = new Set<Promise<void>>();
  const lane = async (): Promise<void> => {
    while (queue.length > 0) {
      const i = nextReady(queue, names, finished);
      if (i < 0) {
        await Promise.race(running);
        continue;
      }
      const name = queue.splice(i, 1)[0];
      const job = (async () => {
        const r = await runOne(name, opts);
        byName.set(name, r.done);
        if (r.failed) failed = true;
        // Write now so partial results survive a later crash; rewritten below with the PNGs.
        if (r.done.run) writeOutputs(r.done, opts, []);
      })().finally(() => finished.add(name));
      running.add(job);
      try {
        await job;
      } finally {
        running.delete(job);
      }
    }
  };
  if (wantBars()) bars = createRunBars();
  try {
    await Promise.all(Array.from({ length: Math.max(1, jobs) }, lane));
  } finally {
    bars?.stop();
    bars = null;
  }
  const done = names.map((n) => byName.get(n)!);
  writeTimings(opts.outDir, timings, done);

  const warnings: string[] = [];
  const figures = collectFigures(done);
  if (figures.length > 0) {
    if (!opts.png) {
      warnings.push(`PNG fallbacks were not rendered (--no-png): ${figures.length} figure(s) need JS to show.`);
    } else {
      const t0 = Date.now();
      const result = await renderPngs(figures, plotlyScriptSource(), opts.chromiumPath);
      if (result.ok) {
        attachPngs(done, result.images);
        log(`rendered ${result.images.size} PNG fallback(s) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      } else {
        warnings.push(`PNG fallbacks are missing for ${figures.length} figure(s): ${result.reason}. ` +
          'Figures still show interactively (JS on); install Chromium (apt-get install chromium) or pass --chromium <path>.');
      }
    }
  }
  for (const w of warnings) log(`WARNING: ${w}`);
  const entries = done.map((d) => writeOutputs(d, opts, warnings));
  fs.writeFileSync(path.join(opts.outDir, 'index.html'), renderIndexHtml(entries, {
    startedAt, totalMs: Date.now() - startedAt.getTime(), warnings, parameters: opts.params,
  }));
  // Output-request pack for the TRE checker (ACRO layout): out/outputs/results.json + one file per output.
  const pack = writeOutputPack(opts.outDir);
  log(`output pack: ${pack.outputs} output(s) in out/outputs (${pack.fail} fail, ${pack.review} review)`);
  const bad = entries.filter((e) => e.status !== 'ok');
  log(`\n${entries.length - bad.length}/${entries.length} notebooks ok; outputs in ${path.relative(process.cwd(), opts.outDir) || '.'}/ (index.html)`);
  return failed ? 1 : 0;
}
