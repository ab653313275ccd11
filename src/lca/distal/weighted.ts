/** Modal and BCH step-3 estimators of lcaDistal (weighted estimating equations, sandwich SEs), and the delta map to natural parameters. */
import { Matrix } from 'ml-matrix';
import { formatNumber } from '../../core/numberStyle';
import { type Model, type Units, type Natural, nOutcomeParams, nThetaParams } from './model';

/**
 * Modal (hard 0/1 class weights) or BCH (weights (D⁻¹)[s][k]) estimates as weighted M-estimators
 * over the units, with their sandwich covariance A⁻¹ M A⁻¹. Estimates (standardised units):
 * shares π_k = A_k / W with A_k = Σ w b_k; normal μ_k = Σ w b_k y / A_k, σ²_k = Σ w b_k (y − μ_k)² / A_k
 * (ML-type divisor; common: pooled over classes / W); categorical p_kc = Σ w b_k [y = c] / A_k.
 * The bread is diagonal because ∂ψ_σ/∂μ sums to zero at the estimate; the meat treats w as
 * frequency weights (Σ w ψ ψᵀ with per-row ψ), like lcaThreeStep's BCH sandwich.
 * Returns est (length K + nOutcomeParams) and vcov; classes with A_k ≤ 0 give NaN (warned).
 */
export function weightedEstimates(u: Units, mod: Model, warnings: string[], label: string): { est: Float64Array; vcov: number[][] } {
  const { K, C } = mod;
  const normal = mod.kind === 'normal';
  const nOut = nOutcomeParams(mod);
  const Pn = K + nOut;
  const A = new Float64Array(K);
  const Sy = new Float64Array(K);
  const Sc = new Float64Array(K * Math.max(C, 1));
  const bk = new Float64Array(K);
  const fillB = (i: number): void => {
    if (u.b) for (let k = 0; k < K; k++) bk[k] = u.b[i * K + k];
    else {
      bk.fill(0);
      bk[u.s[i]] = 1;
    }
  };
  for (let i = 0; i < u.m; i++) {
    const wi = u.w[i];
    if (wi === 0) continue;
    fillB(i);
    for (let k = 0; k < K; k++) {
      const wb = wi * bk[k];
      A[k] += wb;
      if (normal) Sy[k] += wb * u.y[i];
      else Sc[k * C + u.y[i]] += wb;
    }
  }
  const est = new Float64Array(Pn);
  let Atot = 0;
  for (let k = 0; k < K; k++) Atot += A[k];
  for (let k = 0; k < K; k++) {
    est[k] = A[k] / u.W;
    if (!(A[k] > 0)) warnings.push(`${label}: class ${k + 1} has total weight ${formatNumber(A[k], 3)} ≤ 0; its estimates are undefined`);
  }
  const s2 = new Float64Array(K);
  if (normal) {
    for (let k = 0; k < K; k++) est[K + k] = Sy[k] / A[k];
    for (let i = 0; i < u.m; i++) {
      const wi = u.w[i];
      if (wi === 0) continue;
      fillB(i);
      for (let k = 0; k < K; k++) {
        const r = u.y[i] - est[K + k];
        s2[k] += wi * bk[k] * r * r;
      }
    }
    if (mod.common) {
      let ss = 0;
      for (let k = 0; k < K; k++) ss += s2[k];
      s2.fill(ss / Atot);
      est[2 * K] = s2[0];
    } else
      for (let k = 0; k < K; k++) {
        s2[k] /= A[k];
        est[2 * K + k] = s2[k];
      }
    for (let k = 0; k < (mod.common ? 1 : K); k++) if (!(s2[k] > 0)) warnings.push(`${label}: variance estimate ${formatNumber(s2[k], 3)} ≤ 0 (outside the parameter space)`);
  } else {
    let outside = false;
    for (let k = 0; k < K; k++)
      for (let c = 0; c < C; c++) {
        const p = Sc[k * C + c] / A[k];
        est[K + k * C + c] = p;
        if (p < 0 || p > 1) outside = true;
      }
    if (outside) warnings.push(`${label}: a probability estimate lies outside [0, 1] (negative BCH weights under large classification error)`);
  }
  // bread: A_k for every parameter of class k; W for shares and for a common variance (Σ_k b_k = 1 per row)
  const bread = new Float64Array(Pn);
  for (let k = 0; k < K; k++) bread[k] = u.W;
  if (normal) {
    for (let k = 0; k < K; k++) bread[K + k] = A[k];
    if (mod.common) bread[2 * K] = Atot;
    else for (let k = 0; k < K; k++) bread[2 * K + k] = A[k];
  } else for (let k = 0; k < K; k++) for (let c = 0; c < C; c++) bread[K + k * C + c] = A[k];
  const M = new Float64Array(Pn * Pn);
  const psi = new Float64Array(Pn);
  for (let i = 0; i < u.m; i++) {
    const wi = u.w[i];
    if (wi === 0) continue;
    fillB(i);
    for (let k = 0; k < K; k++) psi[k] = bk[k] - est[k];
    if (normal) {
      if (mod.common) psi[2 * K] = 0;
      for (let k = 0; k < K; k++) {
        const r = u.y[i] - est[K + k];
        psi[K + k] = bk[k] * r;
        const v = bk[k] * (r * r - s2[k]);
        if (mod.common) psi[2 * K] += v;
        else psi[2 * K + k] = v;
      }
    } else {
      for (let k = 0; k < K; k++) for (let c = 0; c < C; c++) psi[K + k * C + c] = bk[k] * ((u.y[i] === c ? 1 : 0) - est[K + k * C + c]);
    }
    for (let a = 0; a < Pn; a++) {
      const pa = wi * psi[a];
      if (pa === 0) continue;
      for (let c = a; c < Pn; c++) M[a * Pn + c] += pa * psi[c];
    }
  }
  const vcov = Array.from({ length: Pn }, () => new Array<number>(Pn).fill(0));
  for (let a = 0; a < Pn; a++)
    for (let c = a; c < Pn; c++) {
      const v = M[a * Pn + c] / (bread[a] * bread[c]);
      vcov[a][c] = v;
      vcov[c][a] = v;
    }
  return { est, vcov };
}

/** Map θ-covariance to the natural parameters (shares, outcome parameters; standardised units). */
export function deltaToNatural(nat: Natural, mod: Model, Vtheta: number[][]): { est: Float64Array; vcov: number[][] } {
  const { K, C } = mod;
  const P = nThetaParams(mod);
  const Pn = K + nOutcomeParams(mod);
  const J = Array.from({ length: Pn }, () => new Array<number>(P).fill(0));
  const est = new Float64Array(Pn);
  for (let k = 0; k < K; k++) {
    est[k] = nat.pi[k];
    for (let j = 1; j < K; j++) J[k][j - 1] = nat.pi[k] * ((k === j ? 1 : 0) - nat.pi[j]);
  }
  const o = K - 1;
  if (mod.kind === 'normal') {
    for (let k = 0; k < K; k++) {
      est[K + k] = nat.mu[k];
      J[K + k][o + k] = 1;
    }
    if (mod.common) {
      est[2 * K] = nat.s2[0];
      J[2 * K][o + K] = nat.s2[0];
    } else
      for (let k = 0; k < K; k++) {
        est[2 * K + k] = nat.s2[k];
        J[2 * K + k][o + K + k] = nat.s2[k];
      }
  } else {
    for (let k = 0; k < K; k++)
      for (let c = 0; c < C; c++) {
        est[K + k * C + c] = nat.p[k * C + c];
        for (let d = 1; d < C; d++) J[K + k * C + c][o + k * (C - 1) + d - 1] = nat.p[k * C + c] * ((c === d ? 1 : 0) - nat.p[k * C + d]);
      }
  }
  const Jm = new Matrix(J);
  const vcov = Jm.mmul(new Matrix(Vtheta)).mmul(Jm.transpose()).to2DArray();
  return { est, vcov };
}
