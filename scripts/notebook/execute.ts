/**
 * Executes one notebook in a fresh worker process (see worker.ts) and returns the executed copy.
 *
 * Inputs: a parsed notebook, its directory (the kernel's working directory), a per-cell timeout.
 * Output: the notebook with outputs and execution counts, plus a status record. Cells after a
 * failure are left unexecuted (count null, no outputs) unless allowErrors is set; after a timeout
 * the worker is killed, so no later cell can run either way.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourceText, type Cell, type CodeCell, type ErrorOutput, type Notebook } from './nbformat';
import type { ExecRequest, ExecResult, WorkerReady } from './worker';

const here = path.dirname(fileURLToPath(import.meta.url));
const WORKER_STARTUP_TIMEOUT_MS = 180_000;
// Resolved here rather than by the worker, whose working directory (the notebooks directory)
// need not sit inside this repository.
const TSX_LOADER = import.meta.resolve('tsx');

export interface CellFailure {
  /** 1-based position among all cells of the executed notebook (as shown in Jupyter). */
  cellNumber: number;
  executionCount: number;
  ename: string;
  evalue: string;
  sourceHead: string[];
}

export interface NotebookRun {
  notebook: Notebook;
  status: 'ok' | 'failed' | 'timeout';
  failures: CellFailure[];
  durationMs: number;
  codeCellsRun: number;
}

export interface ExecuteOptions {
  cwd: string;
  cellTimeoutMs: number;
  allowErrors: boolean;
  /** Called after each code cell with a progress line. */
  onProgress?: (line: string) => void;
  /** Called after each code cell: cells run so far and in all (drives the terminal progress bar). */
  onCell?: (done: number, total: number) => void;
  label?: string;
}

function startWorker(cwd: string): ChildProcess {
  return fork(path.join(here, 'worker.ts'), [], {
    cwd,
    execArgv: ['--import', TSX_LOADER],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
}

type WorkerMessage = ExecResult | WorkerReady;

/** Waits for the next IPC message, the worker's death, or the timeout (whichever comes first). */
function nextMessage(worker: ChildProcess, timeoutMs: number): Promise<WorkerMessage | { type: 'timeout' } | { type: 'exit'; code: number | null; signal: string | null }> {
  return new Promise((resolve) => {
    const cleanup = () => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('exit', onExit);
    };
    const onMessage = (m: WorkerMessage) => { cleanup(); resolve(m); };
    const onExit = (code: number | null, signal: string | null) => { cleanup(); resolve({ type: 'exit', code, signal }); };
    const timer = setTimeout(() => { cleanup(); resolve({ type: 'timeout' }); }, timeoutMs);
    worker.on('message', onMessage);
    worker.on('exit', onExit);
  });
}

function headLines(source: string, n = 5): string[] {
  const lines = source.split('\n');
  return lines.length > n ? [...lines.slice(0, n), `… (${lines.length - n} more lines)`] : lines;
}

export async function executeNotebook(input: Notebook, options: ExecuteOptions): Promise<NotebookRun> {
  const started = Date.now();
  const cells: Cell[] = input.cells.map((c) => (c.cell_type === 'code'
    ? { ...c, execution_count: null, outputs: [] }
    : { ...c }));
  const notebook: Notebook = { ...input, cells };
  const failures: CellFailure[] = [];
  let status: NotebookRun['status'] = 'ok';
  let executionCount = 0;
  let codeCellsRun = 0;
  const codeTotal = cells.filter((c) => c.cell_type === 'code' && sourceText(c.source).trim() !== '').length;
  const label = options.label ?? '';

  const worker = startWorker(options.cwd);
  try {
    // Compiler start-up (1-3 s, much more on a busy machine) is not a cell: its own, generous limit.
    const ready = await nextMessage(worker, Math.max(options.cellTimeoutMs, WORKER_STARTUP_TIMEOUT_MS));
    if (ready.type !== 'ready') {
      throw new Error(`${label} notebook worker failed to start (${JSON.stringify(ready)})`);
    }
    options.onProgress?.(`${label} worker ready in ${((Date.now() - started) / 1000).toFixed(1)} s (compiler ${(ready.startupMs / 1000).toFixed(1)} s)`);
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i];
      if (cell.cell_type !== 'code') continue;
      const code = sourceText(cell.source);
      if (code.trim() === '') continue; // Jupyter does not execute (or count) empty cells
      const count = ++executionCount;
      const request: ExecRequest = { type: 'exec', index: i, code, executionCount: count };
      worker.send(request);
      const reply = await nextMessage(worker, options.cellTimeoutMs);
      const codeCell = cell as CodeCell;
      codeCell.execution_count = count;
      codeCellsRun++;
      let failed: ErrorOutput | null = null;
      if (reply.type === 'result') {
        codeCell.outputs = reply.outputs;
        if (!reply.ok) failed = reply.outputs.find((o): o is ErrorOutput => o.output_type === 'error') ?? null;
        options.onProgress?.(`${label} cell ${i + 1}/${cells.length} [${codeCellsRun}/${codeTotal}] ${reply.ok ? 'ok' : 'FAILED'} ${(reply.durationMs / 1000).toFixed(2)} s`);
        options.onCell?.(codeCellsRun, codeTotal);
      } else {
        const evalue = reply.type === 'timeout'
          ? `cell did not finish within ${options.cellTimeoutMs / 1000} s (--timeout); the notebook process was stopped`
          : reply.type === 'exit'
            ? `notebook process exited during the cell (code ${reply.code}, signal ${reply.signal})`
            : `unexpected message from the notebook process: ${reply.type}`;
        failed = { output_type: 'error', ename: reply.type === 'timeout' ? 'CellTimeoutError' : 'KernelDiedError', evalue, traceback: [evalue] };
        codeCell.outputs = [failed];
        if (reply.type === 'timeout') worker.kill('SIGKILL');
        options.onProgress?.(`${label} cell ${i + 1}/${cells.length} [${codeCellsRun}/${codeTotal}] ${reply.type === 'timeout' ? 'TIMEOUT' : 'DIED'}`);
      }
      if (failed || (reply.type === 'result' && !reply.ok)) {
        failures.push({
          cellNumber: i + 1,
          executionCount: count,
          ename: failed?.ename ?? 'Error',
          evalue: failed?.evalue ?? 'cell failed',
          sourceHead: headLines(code),
        });
        if (reply.type !== 'result') {
          status = 'timeout';
          break;
        }
        status = 'failed';
        if (!options.allowErrors) break;
      }
    }
  } finally {
    if (worker.exitCode === null && worker.signalCode === null) {
      if (worker.connected) worker.send({ type: 'close' });
      const exited = await Promise.race([
        new Promise<boolean>((r) => worker.once('exit', () => r(true))),
        new Promise<boolean>((r) => setTimeout(() => r(false), 3000)),
      ]);
      if (!exited) worker.kill('SIGKILL');
    }
  }
  return { notebook, status, failures, durationMs: Date.now() - started, codeCellsRun };
}
