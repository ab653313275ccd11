// Fine–Gray without the expanded data. In finegray()'s counting-process rows a subject with a
// competing event at s is at risk with weight 1 until c₀ (the first cut ≥ s) and afterwards, at
// an event time t, with weight G(t)/G(c₀) (G: the censoring curve on its cuts). The weight is the
// product of a factor of time, W(t) = G(t), and a factor of the subject, a = 1/G(c₀) (Geskus 2011,
// Biometrics 67:39–49, §2), so every risk-set sum of the weighted Cox model splits into
//   S(t) = Σ_{at risk with weight 1} r x  +  W(t) · Σ_{competing, c₀ < t} a r x,
// a suffix sum and a prefix sum over event times. One pass over the subjects per Newton step,
// O(n·p²), and O(n) memory besides x, where the expansion wrote a row (and a copy of x) per
// competing subject and later piece. The partial likelihood, score, information and score
// residuals equal coxph's on finegray() data term for term (the expanded path in finegray.ts is
// the test oracle); tie handling uses the one Cox core's Efron terms (efron.ts, coxcore.ts).
import { addEventTimeInformation, type RiskSetSums } from './coxcore';
import { EF_SLOTS, hazardTermsAt, makeHazardTermArrays, type HazardTermArrays } from './efron';

/** finegray()'s cut points: censoring times plus the largest time, with G just after the previous cut. */
export interface FineGrayCuts {
  /** Sorted cut times (ncut). */
  readonly time: Float64Array;
  /** prob[j]: G carried by the piece (time[j−1], time[j]] (prob[0] = 1). */
  readonly prob: Float64Array;
  /** keep[j] = 1 when piece j holds an event-of-interest time. */
  readonly keep: Uint8Array;
  /** keptAfter[j] = Σ_{j' ≥ j} keep[j'] (ncut + 1). */
  readonly keptAfter: Int32Array;
}

/** First cut index j with cuts[j] ≥ t (cuts.length when none). */
export function firstAtOrAbove(cuts: Float64Array, t: number): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cuts[mid] < t) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/**
 * The censoring Kaplan–Meier cut points of survival::finegray (events leave the risk set before
 * censorings at a tied time). Inputs: time (n), code (0 censored, 1 event of interest, 2 competing),
 * idx: row indices sorted by time. Cost O(n + ncut log ncut).
 */
export function finegrayCuts(time: Float64Array, code: Uint8Array, idx: ArrayLike<number>): FineGrayCuts {
  const n = time.length;
  const cutTime: number[] = [];
  const cutProb: number[] = [1];
  let g = 1;
  for (let k = 0; k < n;) {
    const t = time[idx[k]];
    let nc = 0;
    let j = k;
    for (; j < n && time[idx[j]] === t; j++) if (code[idx[j]] === 0) nc++;
    if (nc > 0) {
      g *= 1 - nc / (n - j + nc);
      cutTime.push(t);
      cutProb.push(g);
    }
    k = j;
  }
  cutTime.push(n > 0 ? time[idx[n - 1]] : 0);
  const cuts = Float64Array.from(cutTime);
  const ncut = cuts.length;
  const keep = new Uint8Array(ncut);
  for (let i = 0; i < n; i++) {
    if (code[i] !== 1) continue;
    const j = firstAtOrAbove(cuts, time[i]);
    if (j < ncut) keep[j] = 1;
  }
  const keptAfter = new Int32Array(ncut + 1);
  for (let j = ncut - 1; j >= 0; j--) keptAfter[j] = keptAfter[j + 1] + keep[j];
  return { time: cuts, prob: Float64Array.from(cutProb), keep, keptAfter };
}

/** Per-subject bookkeeping of the implicit expansion, fixed across Newton steps. */
export interface FineGrayLayout {
  readonly n: number;
  readonly p: number;
  /** Centred covariates, n × p row-major (R's agreg centring: unweighted means over expanded rows). */
  readonly x: Float64Array;
  readonly means: Float64Array;
  readonly code: Uint8Array;
  /** Distinct event-of-interest times, ascending (m), their censoring weight W = G(piece) and death counts. */
  readonly eventTime: Float64Array;
  readonly eventW: Float64Array;
  /** finegray() piece (cut index) holding each event time (m). */
  readonly eventPiece: Int32Array;
  readonly nDeath: Int32Array;
  /** Number of event times ≤ the end of the subject's weight-1 row (n). */
  readonly kk: Int32Array;
  /** 1/G(c₀) for competing subjects, 0 otherwise (n). */
  readonly a: Float64Array;
  /** The censoring cuts, and each competing subject's cut c₀ (−1 for other subjects). */
  readonly cuts: FineGrayCuts;
  readonly j0: Int32Array;
  /** Expanded rows per subject (n) and in total. */
  readonly rows: Int32Array;
  readonly nRows: number;
}

/**
 * Builds the layout from one row per subject. Inputs: time, code (0/1/2), x (n × p, raw, row-major).
 * Output: FineGrayLayout (x centred as coxph centres the expanded data).
 */
export function finegrayLayout(time: Float64Array, code: Uint8Array, xRaw: Float64Array, p: number): FineGrayLayout {
  const n = time.length;
  const idx = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => time[a] - time[b]);
  const cuts = finegrayCuts(time, code, idx);
  const ev: number[] = [];
  for (let k = 0; k < n; k++) {
    const i = idx[k];
    if (code[i] === 1 && (ev.length === 0 || ev[ev.length - 1] !== time[i])) ev.push(time[i]);
  }
  const eventTime = Float64Array.from(ev);
  const m = eventTime.length;
  const eventW = new Float64Array(m);
  const eventPiece = new Int32Array(m);
  for (let k = 0; k < m; k++) {
    eventPiece[k] = firstAtOrAbove(cuts.time, eventTime[k]);
    eventW[k] = cuts.prob[eventPiece[k]];
  }
  const nDeath = new Int32Array(m);
  const kk = new Int32Array(n);
  const a = new Float64Array(n);
  const rows = new Int32Array(n);
  const j0s = new Int32Array(n).fill(-1);
  let nRows = 0;
  const means = new Float64Array(p);
  const unitOnly = new Uint8Array(p).fill(1);
  for (let i = 0; i < n; i++) {
    let end = time[i];
    rows[i] = 1;
    if (code[i] === 2) {
      const j0 = firstAtOrAbove(cuts.time, time[i]);
      end = cuts.time[j0];
      j0s[i] = j0;
      a[i] = 1 / cuts.prob[j0];
      rows[i] += cuts.keptAfter[j0 + 1];
    }
    // number of event times ≤ end
    let lo = 0;
    let hi = m;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (eventTime[mid] <= end) lo = mid + 1; else hi = mid;
    }
    kk[i] = lo;
    if (code[i] === 1) nDeath[lo - 1]++;
    nRows += rows[i];
    const o = i * p;
    for (let j = 0; j < p; j++) {
      const v = xRaw[o + j];
      means[j] += rows[i] * v;
      if (v !== 0 && v !== 1 && v !== -1) unitOnly[j] = 0;
    }
  }
  for (let j = 0; j < p; j++) means[j] = unitOnly[j] ? 0 : means[j] / nRows;
  const x = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let j = 0, o = i * p; j < p; j++) x[o + j] = xRaw[o + j] - means[j];
  return { n, p, x, means, code, eventTime, eventW, eventPiece, nDeath, kk, a, cuts, j0: j0s, rows, nRows };
}

/** Buffers for one Newton step (sized by the layout). */
export interface FineGrayWorkspace {
  eta: Float64Array;
  risk: Float64Array;
  u: Float64Array;
  imat: Float64Array;
  /** Per bucket kk (m + 1): Σ r, Σ r x, Σ r x xᵀ (upper) of weight-1 rows, and of a-scaled competing rows. */
  a0: Float64Array; a1: Float64Array; a2: Float64Array;
  b0: Float64Array; b1: Float64Array; b2: Float64Array;
  /** Per event time (m): the deaths' Σ r, Σ r x, Σ r x xᵀ. */
  d0: Float64Array; d1: Float64Array; d2: Float64Array;
}

export function finegrayWorkspace(L: FineGrayLayout): FineGrayWorkspace {
  const m = L.eventTime.length;
  const { n, p } = L;
  const f = (k: number) => new Float64Array(k);
  return {
    eta: f(n), risk: f(n), u: f(p), imat: f(p * p),
    a0: f(m + 1), a1: f((m + 1) * p), a2: f((m + 1) * p * p),
    b0: f(m + 1), b1: f((m + 1) * p), b2: f((m + 1) * p * p),
    d0: f(m), d1: f(m * p), d2: f(m * p * p),
  };
}

/**
 * Log partial likelihood of the weighted Cox model on the implicit finegray() data at beta;
 * fills ws.u and ws.imat (full symmetric) and, when `hz` is given, the hazard terms per event
 * time (for score residuals). Efron or Breslow ties as the Cox core. Cost O(n·p² + m·p²).
 */
export function finegrayLogLik(L: FineGrayLayout, beta: ArrayLike<number>, efron: boolean, ws: FineGrayWorkspace, hz: HazardTermArrays | null = null): number {
  const { n, p, x, code, kk, a } = L;
  const m = L.eventTime.length;
  const { eta, risk, u, imat, a0, a1, a2, b0, b1, b2, d0, d1, d2 } = ws;
  const second = hz === null;
  for (const v of [a0, a1, b0, b1, d0, d1, u]) v.fill(0);
  if (second) for (const v of [a2, b2, d2, imat]) v.fill(0);
  let loglik = 0;
  const pp = p * p;
  for (let i = 0; i < n; i++) {
    const o = i * p;
    let s = 0;
    for (let j = 0; j < p; j++) s += x[o + j] * beta[j];
    eta[i] = s;
    const r = Math.exp(s);
    risk[i] = r;
    const k = kk[i];
    addMoments(x, o, p, r, a0, a1, second ? a2 : null, k, pp);
    if (code[i] === 2) addMoments(x, o, p, r * a[i], b0, b1, second ? b2 : null, k, pp);
    else if (code[i] === 1) {
      loglik += s;
      for (let j = 0; j < p; j++) u[j] += x[o + j];
      addMoments(x, o, p, r, d0, d1, second ? d2 : null, k - 1, pp);
    }
  }
  // S(t_k) = Σ_{kk > k} a-buckets + W_k Σ_{kk ≤ k} b-buckets.
  const sums: RiskSetSums = { s1: new Float64Array(p), s2: new Float64Array(pp), d1: new Float64Array(p), d2: new Float64Array(pp) };
  const sA1 = new Float64Array(p);
  const sA2 = new Float64Array(second ? pp : 0);
  let sA0 = 0;
  // Prefix sums of the b-buckets (computed upwards, no subtraction), then a downward walk for the a-suffix.
  const bPre0 = new Float64Array(m + 1);
  const bPre1 = new Float64Array((m + 1) * p);
  let acc0 = 0;
  const acc1 = new Float64Array(p);
  for (let k = 0; k <= m; k++) {
    acc0 += b0[k];
    for (let j = 0; j < p; j++) acc1[j] += b1[k * p + j];
    bPre0[k] = acc0;
    bPre1.set(acc1, k * p);
  }
  // Second moments of the b-prefix: accumulate upwards into a scratch per k only when needed.
  const bPre2 = second ? new Float64Array((m + 1) * pp) : null;
  if (bPre2) {
    const acc2 = new Float64Array(pp);
    for (let k = 0; k <= m; k++) {
      for (let j = 0; j < pp; j++) acc2[j] += b2[k * pp + j];
      bPre2.set(acc2, k * pp);
    }
  }
  const ef = new Float64Array(EF_SLOTS);
  for (let k = m - 1; k >= 0; k--) {
    const q = k + 1;
    sA0 += a0[q];
    for (let j = 0; j < p; j++) sA1[j] += a1[q * p + j];
    if (second) for (let j = 0; j < pp; j++) sA2[j] += a2[q * pp + j];
    const W = L.eventW[k];
    const s0 = sA0 + W * bPre0[k];
    for (let j = 0; j < p; j++) sums.s1[j] = sA1[j] + W * bPre1[k * p + j];
    for (let j = 0; j < p; j++) sums.d1[j] = d1[k * p + j];
    if (second && bPre2) {
      for (let j = 0; j < pp; j++) sums.s2[j] = sA2[j] + W * bPre2[k * pp + j];
      for (let j = 0; j < pp; j++) sums.d2[j] = d2[k * pp + j];
    }
    const nd = L.nDeath[k];
    if (second) loglik -= addEventTimeInformation(sums, p, efron, nd, nd, s0, d0[k], u, imat, ef);
    else hazardTermsAt(hz as HazardTermArrays, k, p, efron, nd, nd, s0, d0[k], sums.s1, sums.d1, ef);
  }
  if (second) for (let r = 0; r < p; r++) for (let c = 0; c < r; c++) imat[r * p + c] = imat[c * p + r];
  return loglik;
}

function addMoments(x: Float64Array, o: number, p: number, r: number, s0: Float64Array, s1: Float64Array, s2: Float64Array | null, k: number, pp: number): void {
  s0[k] += r;
  const o1 = k * p;
  for (let a = 0; a < p; a++) s1[o1 + a] += r * x[o + a];
  if (s2 === null) return;
  const o2 = k * pp;
  for (let a = 0; a < p; a++) {
    const xa = r * x[o + a];
    const row = o2 + a * p;
    for (let b = a; b < p; b++) s2[row + b] += xa * x[o + b];
  }
}

/**
 * Σ w·score residual of the implicit finegray() rows at beta, summed per cluster (cluster codes,
 * G × p) or, with cluster null, one row per expanded row in finegray()'s order (nRows × p): R's
 * dfbeta residuals before the V product (coxph's agscore with case weights).
 */
export function finegrayScoreSums(L: FineGrayLayout, beta: ArrayLike<number>, efron: boolean, ws: FineGrayWorkspace, cluster: Int32Array | null, G: number): Float64Array {
  const { n, p, x, code, kk, a } = L;
  const m = L.eventTime.length;
  const hz = makeHazardTermArrays(m, p);
  finegrayLogLik(L, beta, efron, ws, hz);
  const { dH, dH2, dA, dA2, mbar } = hz;
  // Prefix sums over event times of dH, dA and of W·dH, W·dA.
  const cH = new Float64Array(m + 1);
  const cA = new Float64Array((m + 1) * p);
  const cWH = new Float64Array(m + 1);
  const cWA = new Float64Array((m + 1) * p);
  for (let k = 0; k < m; k++) {
    const W = L.eventW[k];
    cH[k + 1] = cH[k] + dH[k];
    cWH[k + 1] = cWH[k] + W * dH[k];
    for (let j = 0; j < p; j++) {
      cA[(k + 1) * p + j] = cA[k * p + j] + dA[k * p + j];
      cWA[(k + 1) * p + j] = cWA[k * p + j] + W * dA[k * p + j];
    }
  }
  const out = new Float64Array((cluster ? G : L.nRows) * p);
  const res = new Float64Array(p);
  let row = 0;
  for (let i = 0; i < n; i++) {
    const o = i * p;
    const r = ws.risk[i];
    const k = kk[i];
    // The weight-1 row (0, end]: at risk at event times 0..k−1.
    for (let j = 0; j < p; j++) res[j] = -r * (x[o + j] * cH[k] - cA[k * p + j]);
    if (code[i] === 1) {
      const kd = k - 1;
      for (let j = 0; j < p; j++) {
        res[j] += r * (x[o + j] * dH[kd] - dA[kd * p + j]);
        res[j] += x[o + j] - mbar[kd * p + j] - r * (x[o + j] * dH2[kd] - dA2[kd * p + j]);
      }
    }
    const ai = a[i];
    if (cluster) {
      const g = cluster[i] * p;
      for (let j = 0; j < p; j++) out[g + j] += res[j];
      if (code[i] === 2) {
        const ra = r * ai;
        for (let j = 0; j < p; j++) out[g + j] -= ra * (x[o + j] * (cWH[m] - cWH[k]) - (cWA[m * p + j] - cWA[k * p + j]));
      }
      continue;
    }
    out.set(res, row * p);
    row++;
    if (code[i] !== 2) continue;
    // One row per later piece: event times k.. grouped by their weight W (one W per piece).
    const ra = r * ai;
    for (let q = k; q < m;) {
      const W = L.eventW[q];
      let e = q + 1;
      while (e < m && L.eventPiece[e] === L.eventPiece[q]) e++;
      const ro = row * p;
      for (let j = 0; j < p; j++) out[ro + j] = -ra * W * (x[o + j] * (cH[e] - cH[q]) - (cA[e * p + j] - cA[q * p + j]));
      row++;
      q = e;
    }
  }
  return out;
}

