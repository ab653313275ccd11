// Cox partial likelihood for units that each enter as K weighted copies differing only in a
// class dummy (BCH three-step class effects, src/classeffects/cox.ts), without expanding rows.
//
// Copy k of unit i has covariates z_ik = (e_k without the reference, x_i), weight w_ik (signed)
// and risk r_ik = w_ik exp(γ_k + η_i), η_i = x_i β. The copies share time, status, stratum and
// cluster, so every risk-set sum factors per unit: Σ_k r_ik = e^{η_i} a_i with
// a_i = Σ_k w_ik e^{γ_k}, and a class column's sum is e^{γ_k} Σ_i e^{η_i} w_ik. The weights of a
// unit come from a small table (for BCH, the row of D⁻¹ of its modal class), so memory is
// O(n·q + table), not O(n·K·p). Tied copies count as K deaths each in Efron's correction, so
// every number equals the weighted fit of the expanded rows (test/survival/coxCopies.test.ts).
import { addCrossprodUpper } from '../core/linalg';
import { EF_C0, EF_C1, EF_LOG, EF_SLOTS, efronTerms, hazardTermsAt, makeHazardTermArrays } from './efron';
import { countEventTimes, sweepEventTimes, type CoxData, type EventTimeVisitor, type RiskSetSums } from './coxcore';
import { addDeathTerms, addFirstMomentTerms } from './eventTerms';

/** Units with K weighted class copies each. Parameters: K − 1 class effects (all but ref, ascending), then β (q). */
export interface CoxCopiesData {
  /** Units in sweep order: x holds the q unit covariates (centred); weight holds W_i = Σ_k w_ik. */
  readonly base: CoxData;
  readonly K: number;
  /** The class without a dummy (0-based). */
  readonly ref: number;
  /** Per sweep position: the row of wTable holding the unit's copy weights. */
  readonly pattern: Int32Array;
  /** nPattern × K copy weights: w_ik = wTable[pattern_i·K + k]. */
  readonly wTable: Float64Array;
  readonly nPattern: number;
}

export interface CoxCopiesWorkspace {
  eta: Float64Array; e: Float64Array; risk: Float64Array; rw: Float64Array;
  u: Float64Array; imat: Float64Array; s1: Float64Array; d1: Float64Array;
  expG: Float64Array; wg: Float64Array; a: Float64Array;
  kStop: Int32Array; kEnd: Int32Array; c0: Float64Array; c1: Float64Array; cum: Float64Array;
  xx: Float64Array; tg: Float64Array; ef: Float64Array;
  /** Set when the regrouped information lost precision (a coefficient heading to ±∞). */
  imprecise: boolean;
}

export function makeCopiesWorkspace(cd: CoxCopiesData): CoxCopiesWorkspace {
  const { n, p: q } = cd.base;
  const p = cd.K - 1 + q;
  const P = cd.nPattern;
  return {
    eta: new Float64Array(n), e: new Float64Array(n), risk: new Float64Array(n), rw: new Float64Array(n),
    u: new Float64Array(p), imat: new Float64Array(p * p), s1: new Float64Array(p), d1: new Float64Array(p),
    expG: new Float64Array(cd.K), wg: new Float64Array(P * cd.K), a: new Float64Array(P),
    kStop: new Int32Array(n), kEnd: new Int32Array(n), c0: new Float64Array(n), c1: new Float64Array(n), cum: new Float64Array(n + 1),
    xx: new Float64Array(q * q), tg: new Float64Array(P * (q + 1)), ef: new Float64Array(EF_SLOTS), imprecise: false,
  };
}

/** η_i = x_i β, e_i = exp(η_i), risk_i = e_i a_i and the table of w_gk e^{γ_k}, at theta = (γ, β). */
function copiesRisk(cd: CoxCopiesData, theta: ArrayLike<number>, ws: CoxCopiesWorkspace): void {
  const { K, ref, wTable, nPattern, pattern } = cd;
  const { n, p: q, x } = cd.base;
  const { eta, e, risk, expG, wg, a } = ws;
  for (let k = 0; k < K; k++) expG[k] = k === ref ? 1 : Math.exp(theta[k < ref ? k : k - 1]);
  for (let g = 0; g < nPattern; g++) {
    let s = 0;
    for (let k = 0; k < K; k++) s += (wg[g * K + k] = wTable[g * K + k] * expG[k]);
    a[g] = s;
  }
  for (let i = 0; i < n; i++) {
    let s = 0;
    const o = i * q;
    for (let j = 0; j < q; j++) s += x[o + j] * theta[K - 1 + j];
    eta[i] = s;
    const ei = Math.exp(s);
    e[i] = ei;
    risk[i] = ei * a[pattern[i]];
  }
}

/**
 * coxcore's risk-set sweep over units, first moments only: s1 (p) and, for Efron ties, d1 (p)
 * hold the copies' Σ r z (a unit's class columns e_i·w_ik·e^{γ_k}, its x columns r_i·x_i).
 * The visitor's nd counts units. Cost O(n·(K + q)); allocates only the row closure.
 */
function copiesSweep(cd: CoxCopiesData, ws: CoxCopiesWorkspace, kStop: Int32Array | null, kEnd: Int32Array | null, visit: EventTimeVisitor): number {
  const { K, ref, pattern } = cd;
  const { p: q, x } = cd.base;
  const { e, risk, wg } = ws;
  const c = K - 1;
  const sums: RiskSetSums = { s1: ws.s1, s2: ws.xx.subarray(0, 0), d1: ws.d1, d2: ws.xx.subarray(0, 0) };
  return sweepEventTimes(cd.base, risk, sums, false, kStop, kEnd, visit, (dst, j, sign) => {
    const ej = e[j] * sign;
    const rj = risk[j] * sign;
    const g = pattern[j] * K;
    for (let k = 0; k < K; k++) if (k !== ref) dst[k < ref ? k : k - 1] += ej * wg[g + k];
    const o = j * q;
    for (let a = 0; a < q; a++) dst[c + a] += rj * x[o + a];
  });
}

/**
 * Weighted log partial likelihood of the copies at theta (p = K − 1 + q), with the score in
 * ws.u and the information in ws.imat (p × p, symmetric); equal to coxcore's coxLogLik on the
 * expanded rows. The information is regrouped by unit as in coxLogLik: each unit's copies share
 * the same hazard weight h_i, so the class–class block is diagonal with Σ_g w_gk e^{γ_k} T_g, the
 * class–x block Σ_g w_gk e^{γ_k} T_gx (T: per-table-row sums of e_i h_i and e_i h_i x_i), and
 * the x–x block one weighted cross-product. Cost O(n·(K + q²/2)) per call; no allocation.
 */
export function copiesLogLik(cd: CoxCopiesData, theta: ArrayLike<number>, ws: CoxCopiesWorkspace): number {
  const { K, ref, pattern, wTable, nPattern } = cd;
  const { n, p: q, x, status, weight } = cd.base;
  const p = K - 1 + q;
  const c = K - 1;
  const { eta, e, risk, rw, u, imat, s1, d1, wg, kStop, kEnd, c0: c0k, c1: c1k, cum, xx, tg, ef } = ws;
  const efron = cd.base.method === 'efron';
  copiesRisk(cd, theta, ws);
  u.fill(0);
  imat.fill(0);
  let loglik = 0;
  const uX = u.subarray(c);
  const nTimes = copiesSweep(cd, ws, kStop, kEnd, (k, _s, first, end, nd, dw, s0, d0) => {
    loglik += addDeathTerms(x, q, status, weight, eta, first, end, uX);
    for (let j = first; j < end; j++) {
      if (status[j] !== 1) continue;
      const g = pattern[j] * K;
      for (let kk = 0; kk < K; kk++) {
        if (kk === ref) continue;
        const col = kk < ref ? kk : kk - 1;
        loglik += wTable[g + kk] * theta[col];
        u[col] += wTable[g + kk];
      }
    }
    // Tied copies count as K deaths each in Efron's correction.
    efronTerms(efron, nd * K, dw, s0, d0, ef);
    c0k[k] = ef[EF_C0];
    c1k[k] = ef[EF_C1];
    loglik -= ef[EF_LOG];
    addFirstMomentTerms(s1, d1, p, efron && nd * K > 1, ef, u, imat);
  });
  cum[0] = 0;
  for (let k = 0; k < nTimes; k++) cum[k + 1] = cum[k] + c0k[k];
  tg.fill(0);
  const q1 = q + 1;
  for (let i = 0; i < n; i++) {
    const ks = kStop[i];
    const ke = kEnd[i];
    let h = 0;
    if (ks < ke) {
      h = cum[ke] - cum[ks];
      if (status[i] === 1) h -= c1k[ks];
    }
    rw[i] = risk[i] * h;
    const eh = e[i] * h;
    const og = pattern[i] * q1;
    tg[og] += eh;
    const o = i * q;
    for (let a = 0; a < q; a++) tg[og + 1 + a] += eh * x[o + a];
  }
  const diagBefore = ws.d1;
  for (let a = 0; a < p; a++) diagBefore[a] = imat[a * p + a];
  xx.fill(0);
  addCrossprodUpper(x, n, q, rw, xx);
  for (let a = 0; a < q; a++) for (let b = a; b < q; b++) imat[(c + a) * p + c + b] += xx[a * q + b];
  for (let kk = 0; kk < K; kk++) {
    if (kk === ref) continue;
    const col = kk < ref ? kk : kk - 1;
    const row = col * p;
    for (let g = 0; g < nPattern; g++) {
      const m = wg[g * K + kk];
      imat[row + col] += m * tg[g * q1];
      for (let a = 0; a < q; a++) imat[row + c + a] += m * tg[g * q1 + 1 + a];
    }
  }
  // As coxLogLik: the regrouped information is a difference of sums; flag lost precision.
  ws.imprecise = false;
  for (let a = 0; a < p; a++) {
    const gross = imat[a * p + a] - diagBefore[a];
    if (!(imat[a * p + a] > 1e-7 * gross)) ws.imprecise = true;
  }
  for (let a = 0; a < p; a++) for (let b = a + 1; b < p; b++) imat[b * p + a] = imat[a * p + b];
  return loglik;
}

/**
 * Per-cluster sums of the copies' weighted score residuals, Σ_{i in cluster} Σ_k w_ik r_ik
 * (G × p), at theta: what coxResiduals accumulates over the expanded rows for the robust
 * variance, from per-unit formulas (the residual is linear in z_ik, so the copies' sum needs
 * only Σ_k w_ik z_ik and Σ_k w_ik e^{γ_k} z_ik). Cost O(n·(K + q) + times·p).
 */
export function copiesClusterScores(cd: CoxCopiesData, theta: ArrayLike<number>, ws: CoxCopiesWorkspace, cluster: Int32Array, G: number): Float64Array {
  const { K, ref, pattern, wTable } = cd;
  const { n, p: q, x, status, weight } = cd.base;
  const p = K - 1 + q;
  const c = K - 1;
  const efron = cd.base.method === 'efron';
  copiesRisk(cd, theta, ws);
  const { e, risk, wg, kStop, kEnd, s1, d1, ef } = ws;
  const nTimes = countEventTimes(cd.base);
  const h = makeHazardTermArrays(nTimes, p);
  copiesSweep(cd, ws, kStop, kEnd, (k, _s, _f, _e, nd, dw, s0, d0) => hazardTermsAt(h, k, p, efron, nd * K, dw, s0, d0, s1, d1, ef));
  const { dH, dH2, dA, dA2, mbar } = h;
  const ph = new Float64Array(nTimes + 1);
  for (let k = 0; k < nTimes; k++) ph[k + 1] = ph[k] + dH[k];
  const pa = new Float64Array((nTimes + 1) * p);
  for (let k = 0; k < nTimes; k++) for (let a = 0; a < p; a++) pa[(k + 1) * p + a] = pa[k * p + a] + dA[k * p + a];
  const out = new Float64Array(G * p);
  for (let i = 0; i < n; i++) {
    const ks = kStop[i];
    const ke = kEnd[i];
    if (ks >= ke) continue;
    // Residual of copy k: δ(z − M) − r_ik/w_ik·(z·hz − A); summed over copies with weights w_ik.
    const dead = status[i] === 1;
    const hz = dead ? dH2[ks] + ph[ke] - ph[ks + 1] : ph[ke] - ph[ks];
    const oe = ke * p;
    const os = (dead ? ks + 1 : ks) * p;
    const om = ks * p;
    const ri = risk[i];
    const wi = weight[i];
    const ei = e[i];
    const g = pattern[i] * K;
    const dst = cluster[i] * p;
    for (let kk = 0; kk < K; kk++) {
      if (kk === ref) continue;
      const col = kk < ref ? kk : kk - 1;
      const A = (dead ? dA2[om + col] : 0) + pa[oe + col] - pa[os + col];
      let v = -(ei * wg[g + kk] * hz - ri * A);
      if (dead) v += wTable[g + kk] - wi * mbar[om + col];
      out[dst + col] += v;
    }
    const o = i * q;
    for (let a = 0; a < q; a++) {
      const col = c + a;
      const A = (dead ? dA2[om + col] : 0) + pa[oe + col] - pa[os + col];
      const xa = x[o + a];
      let v = -ri * (xa * hz - A);
      if (dead) v += wi * (xa - mbar[om + col]);
      out[dst + col] += v;
    }
  }
  return out;
}
