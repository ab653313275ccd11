// Recurrent events beyond Andersen–Gill: data preparation for PWP models (Prentice–Williams–Peterson).
import { fitCox, type CoxFit, type CoxInput, type Label } from './cox';

export type PwpTimescale = 'total' | 'gap';

export interface PwpInput {
  id: ArrayLike<Label>;
  /** Interval start (time since origin); omit when each subject has one row per gap starting at 0 … */
  entry: ArrayLike<number>;
  time: ArrayLike<number>;
  event: ArrayLike<number | boolean>;
}

export interface PwpData {
  /** Per input row: event number stratum (1 = at risk of a first event, 2 = of a second, ...). */
  readonly eventNumber: Int32Array;
  /** Total time: the original (entry, time]; gap time: (0, time − entry]. */
  readonly entry: Float64Array;
  readonly time: Float64Array;
  readonly event: Uint8Array;
}

/**
 * PWP data preparation: each row's stratum is the number of events its subject had before the
 * row starts, plus one. Inputs: counting-process rows (id, entry, time, event), any order; rows of
 * one subject must not overlap. Output: PwpData aligned with the input rows. With timescale 'gap'
 * the clock restarts at each event: the row's interval becomes (entry − last event time, time − last
 * event time], which for one row per gap is (0, time − entry].
 */
export function pwpData(input: PwpInput, timescale: PwpTimescale): PwpData {
  const n = input.time.length;
  for (const [nm, arr] of [['id', input.id], ['entry', input.entry], ['event', input.event]] as const) {
    if (arr.length !== n) throw new Error(`pwpData: ${nm} has length ${arr.length}, expected ${n}`);
  }
  const ids = Array.from(input.id, (v) => String(v));
  const idx = Array.from({ length: n }, (_, i) => i);
  idx.sort((a, b) => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : Number(input.time[a]) - Number(input.time[b])));
  const eventNumber = new Int32Array(n);
  const entry = new Float64Array(n);
  const time = new Float64Array(n);
  const event = new Uint8Array(n);
  let prevId: string | null = null;
  let count = 0;
  let lastEventTime = 0;
  let prevStop = -Infinity;
  for (const i of idx) {
    const e = input.event[i] === true ? 1 : input.event[i] === false ? 0 : Number(input.event[i]);
    if (e !== 0 && e !== 1) throw new Error(`pwpData: event must be 0/1 at row ${i + 1}`);
    const s = Number(input.entry[i]);
    const t = Number(input.time[i]);
    if (!(s < t)) throw new Error(`pwpData: entry must be < time at row ${i + 1}`);
    if (ids[i] !== prevId) {
      prevId = ids[i];
      count = 0;
      lastEventTime = s;
      prevStop = -Infinity;
    } else if (s < prevStop) throw new Error(`pwpData: rows of id ${ids[i]} overlap at row ${i + 1}`);
    eventNumber[i] = count + 1;
    if (timescale === 'gap') {
      entry[i] = s - lastEventTime;
      time[i] = t - lastEventTime;
    } else {
      entry[i] = s;
      time[i] = t;
    }
    event[i] = e;
    if (e === 1) {
      count++;
      lastEventTime = t;
    }
    prevStop = t;
  }
  return Object.freeze({ eventNumber, entry, time, event });
}

/**
 * Fits a PWP model: Cox stratified by event number, total or gap time, robust variance by id.
 * `maxEvents` pools strata above it (common when few subjects have many events).
 */
export function fitPwp(input: PwpInput & Omit<CoxInput, 'time' | 'event' | 'entry' | 'strata' | 'cluster'>, timescale: PwpTimescale, maxEvents = Infinity): CoxFit {
  const d = pwpData(input, timescale);
  const strata = Array.from(d.eventNumber, (k) => Math.min(k, maxEvents));
  const gapFromZero = timescale === 'gap' && d.entry.every((v) => v === 0);
  return fitCox({
    ...input,
    time: d.time,
    event: d.event,
    entry: gapFromZero ? undefined : d.entry,
    strata,
    cluster: input.id,
  });
}
