#!/usr/bin/env node
/**
 * Jupyter kernel entry point registered by `npm run kernel`: the repo's pinned tslab (1.0.22)
 * plus one protocol fix. tslab never publishes `execute_input` on IOPub, so nbconvert/nbclient
 * (which take a cell's prompt number from IOPub) save every executed cell with
 * execution_count = null. We publish execute_input, with the count tslab is about to assign,
 * before each execute_request. Plain CommonJS: Jupyter starts this with bare `node`.
 *
 * Usage (from kernel.json): node tslab-kernel.cjs {connection_file}
 */
'use strict';
const path = require('path');

const repoRoot = path.resolve(__dirname, '..', '..');
const tslabDir = path.join(repoRoot, 'node_modules', 'tslab', 'dist');
const jupyter = require(path.join(tslabDir, 'jupyter.js'));
const { startKernel } = require(path.join(tslabDir, 'main.js'));

const originalHandleExecute = jupyter.ZmqServer.prototype.handleExecute;
jupyter.ZmqServer.prototype.handleExecute = async function handleExecuteWithInput(sock, msg) {
  const input = msg.createReply();
  input.header.msg_type = 'execute_input';
  input.content = { code: msg.content.code, execution_count: this.handler.execCount + 1 };
  input.signAndSend(this.connInfo.key, this.iopub);
  return originalHandleExecute.call(this, sock, msg);
};

const connectionFile = process.argv[2];
if (!connectionFile) {
  console.error('usage: tslab-kernel.cjs <connection_file>');
  process.exit(2);
}
startKernel({ configPath: connectionFile, enableFindLocal: false, jsKernel: false, globalVersion: '' });
