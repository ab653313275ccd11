/**
 * Turns what tslab's executor reports for a failed cell (the argument lists it passes to its
 * `error` console function) into one Jupyter error record {ename, evalue, traceback}.
 * Shared by the headless runner's worker and the Jupyter kernel wrapper, so that a failing cell
 * reads the same in both. Plain CommonJS: the kernel wrapper is started with bare `node`.
 *
 * tslab reports compile diagnostics as ('%s%d:%d - %s', file, line, col, message) and runtime
 * failures as (error). Anything else is joined as text.
 */
'use strict';
const util = require('util');

const DIAGNOSTIC_FORMAT = '%s%d:%d - %s';

/** Stack frames of the kernel's own machinery, which say nothing about the cell. */
function isInternalFrame(line) {
  return /node_modules[\\/](tslab|tsx)[\\/]|node:internal|\(node:vm:|__tslab__\.require|^\s+at new Promise \(<anonymous>\)$/.test(line);
}

/**
 * @param {unknown[][]} errors argument lists, in the order tslab reported them
 * @returns {{ ename: string, evalue: string, traceback: string[] }}
 */
function errorRecord(errors) {
  const diagnostics = errors.filter((args) => args[0] === DIAGNOSTIC_FORMAT);
  if (diagnostics.length > 0) {
    const lines = diagnostics.map((args) => util.format(...args));
    return { ename: 'TypeScriptError', evalue: lines.join('\n'), traceback: lines };
  }
  for (const args of errors) {
    const err = args.find((a) => a instanceof Error || (a && typeof a === 'object' && typeof a.message === 'string' && typeof a.stack === 'string'));
    if (err) {
      const ename = err.name || 'Error';
      const evalue = String(err.message);
      let stack = String(err.stack || `${ename}: ${evalue}`).split('\n');
      // vm decorates a thrown error's stack with "evalmachine.<anonymous>:N", the compiled line
      // and a caret: start at the error's own first line instead.
      const own = stack.findIndex((l) => l.startsWith(`${ename}:`) || l === ename);
      if (own > 0) stack = stack.slice(own);
      stack = stack.filter((l) => !isInternalFrame(l));
      return { ename, evalue, traceback: stack };
    }
    // A rejected promise or `throw 'text'` carries no Error: name it after what was thrown.
    if (args.length === 1 && typeof args[0] !== 'object') {
      const evalue = String(args[0]);
      return { ename: 'Error', evalue, traceback: [`Uncaught ${util.inspect(args[0])}`] };
    }
  }
  const text = errors.map((args) => util.format(...args)).join('\n');
  return { ename: 'Error', evalue: text.split('\n')[0] || 'cell failed', traceback: text ? text.split('\n') : ['cell failed'] };
}

module.exports = { errorRecord, DIAGNOSTIC_FORMAT };
