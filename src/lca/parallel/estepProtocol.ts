/**
 * Protocol by which E-step helper threads share the chunks of each E-step (see ./parallel).
 */
import { chunkStart, makeScratch, type Scratch, type Work } from '../em/work';
import { eStepRows } from '../em/rows';
import type { LcaData } from '../types';

/** Slots of the Int32Array that coordinates E-step threads (see ./parallel). */
export const ES_GEN = 0; // bumped by the EM thread for every E-step
export const ES_NEXT = 1; // next chunk to claim
export const ES_DONE = 2; // chunks finished in this E-step
export const ES_ACCUM = 3; // 1 = accumulate statistics
export const ES_STOP = 4; // 1 = threads exit
export const ES_ERROR = 5; // 1 = a thread failed
export const ES_STARTED = 6; // threads that are up
export const ES_HELPED = 7; // chunks done by helper threads, over all E-steps
export const ES_LENGTH = 8;

/**
 * Claim and run chunks of the current E-step until none is left (any thread); returns how many
 * this thread ran. `helper` = called from a helper thread (counts and notifies each chunk).
 */
export function claimChunks(data: LcaData, w: Work, ctrl: Int32Array, s: Scratch, helper: boolean): number {
  const C = w.nChunks;
  let mine = 0;
  for (;;) {
    const c = Atomics.add(ctrl, ES_NEXT, 1);
    if (c >= C) return mine;
    mine++;
    // read after the claim: a thread late from the previous E-step may claim in this one
    const accumulate = Atomics.load(ctrl, ES_ACCUM) === 1;
    eStepRows(data, w, chunkStart(data.nRows, C, c), chunkStart(data.nRows, C, c + 1), w.chunks[c], accumulate, null, s);
    if (helper) Atomics.add(ctrl, ES_HELPED, 1);
    Atomics.add(ctrl, ES_DONE, 1);
    if (helper) Atomics.notify(ctrl, ES_DONE);
  }
}

/** Body of an E-step helper thread: wait for each E-step, help with its chunks, exit on stop. */
export function serveChunks(data: LcaData, w: Work, ctrl: Int32Array): void {
  const s = makeScratch(w.K);
  let seen = Atomics.load(ctrl, ES_GEN);
  Atomics.add(ctrl, ES_STARTED, 1);
  Atomics.notify(ctrl, ES_STARTED);
  for (;;) {
    Atomics.wait(ctrl, ES_GEN, seen);
    seen = Atomics.load(ctrl, ES_GEN);
    if (Atomics.load(ctrl, ES_STOP) === 1) return;
    claimChunks(data, w, ctrl, s, true);
  }
}
