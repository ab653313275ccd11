/**
 * The data of a cell's execute_result (the value of its last expression), shared by the runner's
 * worker and the Jupyter kernel wrapper: kernel-helpers' reprBundle from the prebuilt library
 * (the same module instances the notebook imported), so fits and tables print as short tables
 * instead of util.inspect dumps. Falls back to util.format if the library cannot be loaded.
 * Plain CommonJS: the kernel wrapper is started with bare `node`.
 */
'use strict';
const path = require('path');
const util = require('util');
const { LIB_DIR } = require('./build-lib.cjs');

let reprBundle = null;

/** @param {unknown[]} args what tslab passed to its `log` for the cell's value */
function resultData(args) {
  if (args.length === 1) {
    try {
      if (!reprBundle) reprBundle = require(path.join(LIB_DIR, 'kernel-helpers', 'repr.js')).reprBundle;
      return reprBundle(args[0]);
    } catch (e) {
      // A broken or missing build must not lose the value: print it plainly.
    }
  }
  return { 'text/plain': util.format(...args) };
}

module.exports = { resultData };
