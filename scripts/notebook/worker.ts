/**
 * Notebook worker: one child process per notebook, started by the runner with the notebook's
 * directory as working directory (as Jupyter does). It drives tslab's own converter and executor
 * in-process — the same code path as the tslab Jupyter kernel, minus ZeroMQ — and turns what a
 * cell prints and displays into nbformat outputs.
 *
 * Protocol (IPC): parent sends {type:'exec', index, code, executionCount}; the worker answers
 * {type:'result', index, ok, outputs, durationMs}. Per-cell timeouts are enforced by the parent,
 * which kills this process: a synchronous infinite loop cannot be interrupted from inside.
 */
import { createRequire } from 'node:module';
import util from 'node:util';
import type { Output } from './nbformat';
import { isClearedBundle } from '../../kernel-helpers/progress';

const require = createRequire(import.meta.url);
// The kernel-helpers reach the display function through this same module instance.
const tslabJupyter = require('tslab/dist/jupyter') as {
  lastWriteDisplayData: ((data: { data: Record<string, unknown>; metadata?: Record<string, unknown>; transient?: { display_id?: string } }, update: boolean) => void) | null;
};
const { errorRecord } = require('./error-output.cjs') as { errorRecord: (errors: unknown[][]) => { ename: string; evalue: string; traceback: string[] } };
const { resultData } = require('./result-output.cjs') as { resultData: (args: unknown[]) => Record<string, unknown> };
const { createConverter } = require('tslab/dist/converter') as typeof import('tslab/dist/converter');
const { createExecutor } = require('tslab/dist/executor') as typeof import('tslab/dist/executor');

/**
 * A batch run compiles each cell against the sources as they were when it started, so tslab's file and
 * folder watchers only do harm here: when other work touches the repo during a long cell (a hard-linked
 * `node_modules`, a new worktree), TypeScript queues two rebuild timers, tslab allows one, and every
 * later cell fails with "Unexpected pending rebuildTimer". The interactive kernel keeps its watchers.
 */
function disableSourceWatchers(): void {
  const tslabRequire = createRequire(require.resolve('tslab/package.json'));
  const ts = tslabRequire('@tslab/typescript-for-tslab') as { sys: { watchFile?: unknown; watchDirectory?: unknown } };
  const unwatched = () => ({ close: () => undefined });
  ts.sys.watchFile = unwatched;
  ts.sys.watchDirectory = unwatched;
}

export interface ExecRequest { type: 'exec'; index: number; code: string; executionCount: number }
export interface ExecResult { type: 'result'; index: number; ok: boolean; outputs: Output[]; durationMs: number }
export interface WorkerReady { type: 'ready'; startupMs: number }

interface CellState {
  outputs: Output[];
  errors: unknown[][];
  displayIds: Map<string, number>;
  executionCount: number;
}

let current: CellState | null = null;

function pushStream(name: 'stdout' | 'stderr', text: string): void {
  if (!current) {
    realStderrWrite(text);
    return;
  }
  const last = current.outputs[current.outputs.length - 1];
  if (last && last.output_type === 'stream' && last.name === name) last.text = String(last.text) + text;
  else current.outputs.push({ output_type: 'stream', name, text });
}

function chunkToString(chunk: unknown): string {
  return typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
}

const realStdoutWrite = process.stdout.write.bind(process.stdout);
const realStderrWrite = process.stderr.write.bind(process.stderr);

function captureStreams(): void {
  const patch = (name: 'stdout' | 'stderr') => ((chunk: unknown, encodingOrCb?: unknown, cb?: unknown) => {
    pushStream(name, chunkToString(chunk));
    const callback = typeof encodingOrCb === 'function' ? encodingOrCb : cb;
    if (typeof callback === 'function') (callback as () => void)();
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = patch('stdout');
  process.stderr.write = patch('stderr');
}

function releaseStreams(): void {
  process.stdout.write = realStdoutWrite;
  process.stderr.write = realStderrWrite;
}

function writeDisplayData(msg: { data: Record<string, unknown>; metadata?: Record<string, unknown>; transient?: { display_id?: string } }, update: boolean): void {
  if (!current) return;
  const displayId = msg.transient?.display_id;
  const output: Output = { output_type: 'display_data', data: { ...msg.data }, metadata: { ...(msg.metadata ?? {}) } };
  if (update && displayId !== undefined && current.displayIds.has(displayId)) {
    current.outputs[current.displayIds.get(displayId)!] = output;
    return;
  }
  if (displayId !== undefined) current.displayIds.set(displayId, current.outputs.length);
  current.outputs.push(output);
}

/** The cell's error, built as the Jupyter kernel wrapper builds it (error-output.cjs). */
function errorOutput(errors: unknown[][]): Output {
  return { output_type: 'error', ...errorRecord(errors) };
}

function send(message: ExecResult | WorkerReady): void {
  process.send!(message);
}

function main(): void {
  if (!process.send) throw new Error('worker.ts must be started by the notebook runner (it needs an IPC channel)');
  const started = Date.now();
  disableSourceWatchers();
  const node = createConverter({ isJS: false, isBrowser: false });
  // Type-check an empty cell now, so the lib/@types load (seconds on a busy machine) counts as
  // start-up rather than against the first cell's timeout.
  node.convert('', '');
  const convs = {
    node,
    get browser(): never { throw new Error('browser-mode cells (//%browser) are not supported by the headless runner'); },
    close: () => node.close(),
  };
  const executor = createExecutor(process.cwd(), convs as never, {
    log: (...args: unknown[]) => {
      // tslab prints the value of a cell's last expression with console.log: make it the cell's result.
      if (!current) return;
      current.outputs.push({
        output_type: 'execute_result', execution_count: current.executionCount,
        data: resultData(args), metadata: {},
      });
    },
    error: (...args: unknown[]) => {
      if (current) current.errors.push(args);
      else realStderrWrite(util.format(...args) + '\n');
    },
  });
  tslabJupyter.lastWriteDisplayData = writeDisplayData;
  process.on('uncaughtException', (err) => pushStream('stderr', `UncaughtException: ${err.stack ?? err}\n`));
  process.on('unhandledRejection', (reason) => pushStream('stderr', `UnhandledPromiseRejection: ${util.format(reason)}\n`));

  process.on('message', async (msg: ExecRequest | { type: 'close' }) => {
    if (msg.type === 'close') {
      convs.close();
      process.disconnect();
      return;
    }
    const state: CellState = { outputs: [], errors: [], displayIds: new Map(), executionCount: msg.executionCount };
    current = state;
    captureStreams();
    const t0 = Date.now();
    let ok: boolean;
    try {
      ok = await executor.execute(msg.code);
    } catch (e) {
      state.errors.push([e]);
      ok = false;
    }
    releaseStreams();
    // A transient progress display that cleared itself leaves nothing in the saved notebook.
    state.outputs = state.outputs.filter((o) => !(o.output_type === 'display_data' && isClearedBundle(o.data as Record<string, unknown>)));
    if (!ok) state.outputs.push(errorOutput(state.errors));
    // Output written after the cell ends (timers) goes to the runner's stderr, not to this cell.
    current = null;
    send({ type: 'result', index: msg.index, ok, outputs: state.outputs, durationMs: Date.now() - t0 });
  });
  send({ type: 'ready', startupMs: Date.now() - started });
}

main();
