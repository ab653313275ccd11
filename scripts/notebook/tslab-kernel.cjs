#!/usr/bin/env node
/**
 * Jupyter kernel entry point registered by `npm run kernel`: the repo's pinned tslab (1.0.22)
 * with its execute_request handling replaced, to follow the Jupyter messaging protocol where
 * tslab does not:
 *
 * - execute_input is published on IOPub before each cell (nbconvert/nbclient take a cell's
 *   prompt number from it; without it every cell is saved with execution_count = null);
 * - a failing cell publishes an IOPub `error` message and an execute_reply with status "error",
 *   ename, evalue and traceback (tslab only printed the error to stderr and left them empty, so
 *   front ends showed "<Error>:");
 * - after an error, only requests that were ALREADY queued are aborted, and only when the failing
 *   request asked for it (`stop_on_error`, true by default; nbconvert --allow-errors sends false).
 *   tslab aborted everything arriving in the next 200 ms, so the cell after an error came back
 *   blank even with --allow-errors.
 *
 * - a cell's value is published as execute_result (tslab printed it to stdout), short: fits and
 *   tables as tables, other objects within line limits (result-output.cjs).
 *
 * Before starting, the notebook library is rebuilt if its sources changed (see build-lib.cjs),
 * so the import cell loads compiled JS instead of type-checking the sources.
 *
 * Plain CommonJS: Jupyter starts this with bare `node`.
 * Usage (from kernel.json): node tslab-kernel.cjs {connection_file}
 */
'use strict';
const path = require('path');
const { errorRecord } = require('./error-output.cjs');
const { resultData } = require('./result-output.cjs');
const { ensureLibBuilt } = require('./build-lib.cjs');

const repoRoot = path.resolve(__dirname, '..', '..');
const tslabDir = path.join(repoRoot, 'node_modules', 'tslab', 'dist');
const jupyter = require(path.join(tslabDir, 'jupyter.js'));
const { startKernel } = require(path.join(tslabDir, 'main.js'));

/** Argument lists of the executor's error reports while a cell runs; null between cells. */
let cellErrors = null;
const consoleError = console.error;
/** What the executor calls to report a failure: recorded for the cell, never printed twice. */
function executorError(...args) {
  if (cellErrors) cellErrors.push(args);
  else consoleError(...args);
}

/** Publishes the running cell's execute_result; null between cells. */
let publishResult = null;
const consoleLog = console.log;
/** What the executor calls with a cell's value: a short table or text (result-output.cjs). */
function executorLog(...args) {
  if (publishResult) publishResult(args);
  else consoleLog(...args);
}

let queue = Promise.resolve();
let arrived = 0; // execute_requests received so far
let abortThrough = 0; // requests numbered <= this, still waiting, are aborted

jupyter.ZmqServer.prototype.handleExecute = async function handleExecute(sock, msg) {
  const handler = this.handler;
  const key = this.connInfo.key;
  const publish = (type, content) => {
    const m = msg.createReply();
    m.header.msg_type = type;
    m.content = content;
    m.signAndSend(key, this.iopub);
  };
  const writeStream = (name, text) => publish('stream', { name, text });
  const writeDisplayData = (data, update) => publish(update ? 'update_display_data' : 'display_data', data);
  const request = msg.content || {};
  const number = ++arrived;

  const run = async () => {
    if (number <= abortThrough) return { status: 'aborted', execution_count: null };
    const count = ++handler.execCount;
    publish('execute_input', { code: request.code, execution_count: count });
    // As tslab does: output written after the cell ends still goes to this cell (Python's convention).
    process.stdout.write = handler.createWriteToIopub('stdout', writeStream);
    process.stderr.write = handler.createWriteToIopub('stderr', writeStream);
    jupyter.lastWriteDisplayData = writeDisplayData;
    const errors = [];
    cellErrors = errors;
    publishResult = (args) => publish('execute_result', { execution_count: count, data: resultData(args), metadata: {} });
    let ok;
    try {
      ok = await handler.executor.execute(request.code);
    } catch (e) {
      errors.push([e]);
      ok = false;
    } finally {
      cellErrors = null;
      publishResult = null;
    }
    if (ok) return { status: 'ok', execution_count: count, user_expressions: {} };
    const err = errorRecord(errors);
    publish('error', err);
    if (request.stop_on_error !== false) abortThrough = arrived;
    return { status: 'error', execution_count: count, ...err };
  };
  const result = queue.then(run, run);
  queue = result.catch(() => undefined);
  const content = await result;
  const reply = msg.createReply();
  reply.header.msg_type = 'execute_reply';
  reply.content = content;
  reply.signAndSend(key, sock);
};

const connectionFile = process.argv[2];
if (!connectionFile) {
  consoleError('usage: tslab-kernel.cjs <connection_file>');
  process.exit(2);
}
ensureLibBuilt({ log: (line) => consoleError(line) });
// startKernel hands `console.log`/`console.error` to the executor synchronously; give it ours.
console.error = executorError;
console.log = executorLog;
try {
  startKernel({ configPath: connectionFile, enableFindLocal: false, jsKernel: false, globalVersion: '' });
} finally {
  console.error = consoleError;
  console.log = consoleLog;
}
