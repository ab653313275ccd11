/**
 * lme4's default glmer vcov for a Laplace fit (nAGQ = 1), reproduced for a Poisson model with one
 * scalar random intercept per group.
 *
 * What lme4 (1.1-31) does: `optwrap` calls `deriv12(devfun, opt$par)`, a central finite-difference
 * Hessian with step 1e-4 of the deviance in (θ, β). `vcov(fit)` then takes the β block of 2 H⁻¹.
 * devfun is not the exact Laplace deviance, though. Each call:
 *   1. resets μ to the start linear predictor lp0, with β in the offset;
 *   2. runs PIRLS over u only (C++ `pwrssUpdate`, uOnly = true for nAGQ = 1). It stops when the
 *      penalised deviance changes by less than tolPwrss relative. Each iteration factors
 *      L = Λ'Z'WZΛ + I with the weights W = diag(μ) it starts from, and only then updates u and μ;
 *   3. returns −2 Σ log dpois(y, μ) + ‖u‖² + log|L|² (`glmResp::Laplace`).
 * So log|L|² uses the weights from the iterate BEFORE the last update. At θ̂ + δ, the first PIRLS
 * step starts from lp0, which is O(δ) away, so the iterate whose weights enter log|L|² misses the
 * new mode by O(δ²). The deviance is then off by c·δ², with c independent of δ, so the second
 * difference carries a bias c that no step size removes. On the glmer_poisson_random_intercept
 * fixture that bias moves the SEs by up to 5.8e-4 relative from the exact Laplace Hessian. A
 * replica of this devfun in R matches lme4's to 1e-12, and its deriv12 SEs match vcov(fit) to
 * 3.5e-6, for any tolPwrss from 1e-12 to 1e-7 (PIRLS stops after two iterations at deriv12's
 * points). The AGQ integral with 10 nodes hardly depends on the scale it is given, so the
 * analytic Hessian serves there (7.9e-8 from lme4).
 *
 * This module runs that devfun and deriv12 as lme4 does, with two shortcuts. (a) Every PIRLS
 * quantity is a group sum. One evaluation is one pass over the rows for the exp(Xβ + offset)
 * group sums (products of tabulated exp(±δx) at deriv12's points), plus O(G) per iteration.
 * (b) lp0 is the linear predictor at the fitted optimum, Xβ̂ + σ̂û. lme4 uses the nAGQ = 0
 * stage-1 fit, which this function does not have. The bias is second order in the start, so the
 * SEs change by 1.3e-7 relative (checked in R on the same fixture).
 */

/** A fitted Poisson random-intercept model, as the Laplace devfun needs it. */
export interface LaplaceDevfunModel {
  readonly n: number; readonly p: number; readonly G: number;
  /** n × p design, row-major. */
  readonly x: Float64Array;
  /** Group code 0..G−1 per row. */
  readonly code: Int32Array;
  /** Per-row offset + x'β̂ at the estimate. */
  readonly etaHat: Float64Array;
  readonly beta: Float64Array;
  /** σ̂ (lme4's θ) and the spherical conditional modes û_g = b̂_g / σ̂ at the estimate. */
  readonly theta: number;
  readonly u: Float64Array;
  /** Per-group Σy and X'y. */
  readonly Yg: Float64Array;
  readonly Xty: Float64Array;
  /** Σ (y log y − y) (0 log 0 = 0) and Σ y·etaHat: they put the PIRLS deviance on lme4's scale. */
  readonly yLogYMinusY: number;
  readonly yEtaHat: number;
  /** PIRLS relative tolerance; lme4's glmerControl default is 1e-7. */
  readonly tolPwrss?: number;
  readonly maxit?: number;
  /**
   * deriv12's step. With it, exp(±δ·x_ij) is tabulated once (2 × n × p doubles), and a
   * point whose β moves by exactly ±δ is evaluated without exp per row. Other points use exp.
   */
  readonly step?: number;
}

/**
 * lme4's nAGQ = 1 devfun. Input: par = (θ, β₁..β_p), lme4's order. Output: the deviance without
 * the Σ log y! constant and up to a further constant, or NaN when PIRLS fails as lme4 would
 * (no convergence in maxit iterations, or step halving that does not reduce the deviance).
 */
export function laplaceDevfun(m: LaplaceDevfunModel): (par: Float64Array) => number {
  const { n, p, G, x, code, etaHat, beta, theta: th0, u: u0, Yg, Xty } = m;
  const tol = m.tolPwrss ?? 1e-7; const maxit = m.maxit ?? 100;
  // Start state: μ⁰ = exp(offset + lp0) with lp0 = Xβ̂ + σ̂û.
  const S0 = new Float64Array(G); const B0 = new Float64Array(G * p);
  for (let i = 0; i < n; i++) {
    const g = code[i]; const mu = Math.exp(etaHat[i] + th0 * u0[g]);
    S0[g] += mu; const o = i * p; const go = g * p;
    for (let j = 0; j < p; j++) B0[go + j] += mu * x[o + j];
  }
  // pdev on lme4's scale (resDev + ‖u‖²) = pdevRel + K; the relative stopping rule needs it.
  const K = 2 * (m.yLogYMinusY - m.yEtaHat);
  const step = m.step;
  const eHat = new Float64Array(n); for (let i = 0; i < n; i++) eHat[i] = Math.exp(etaHat[i]);
  let up: Float64Array | null = null; let down: Float64Array | null = null;
  if (step !== undefined) {
    up = new Float64Array(n * p); down = new Float64Array(n * p);
    for (let k = 0; k < n * p; k++) { const v = Math.exp(step * x[k]); up[k] = v; down[k] = 1 / v; }
  }
  const E = new Float64Array(G); const u = new Float64Array(G); const uOld = new Float64Array(G); const Sw = new Float64Array(G);
  const nzIdx = new Int32Array(p); const nzVal = new Float64Array(p);
  const pdevRel = (th: number, xtyD: number): number => {
    let s = -xtyD; let uu = 0;
    for (let g = 0; g < G; g++) { s += E[g] * Math.exp(th * u[g]) - th * Yg[g] * u[g]; uu += u[g] * u[g]; }
    return 2 * s + uu;
  };
  /** E_g = Σ exp(offset + x'β) over the group's rows. */
  const fillE = (nz: number, par: Float64Array): void => {
    E.fill(0);
    let tab = up !== null && nz <= 2;
    // fl(β̂ ± δ) − β̂ is δ to within an ulp of β̂: the tabulated point is β̂ ± δ exactly.
    for (let k = 0; k < nz && tab; k++) tab = Math.abs(Math.abs(nzVal[k]) - step!) <= 1e-8 * step!;
    if (tab) {
      const f1 = nz > 0 ? (nzVal[0] > 0 ? up! : down!) : null; const j1 = nz > 0 ? nzIdx[0] : 0;
      const f2 = nz > 1 ? (nzVal[1] > 0 ? up! : down!) : null; const j2 = nz > 1 ? nzIdx[1] : 0;
      if (f2) for (let i = 0; i < n; i++) E[code[i]] += eHat[i] * f1![i * p + j1] * f2[i * p + j2];
      else if (f1) for (let i = 0; i < n; i++) E[code[i]] += eHat[i] * f1[i * p + j1];
      else for (let i = 0; i < n; i++) E[code[i]] += eHat[i];
      return;
    }
    for (let i = 0; i < n; i++) {
      let e = etaHat[i]; const o = i * p;
      for (let k = 0; k < nz; k++) e += nzVal[k] * x[o + nzIdx[k]];
      E[code[i]] += Math.exp(e);
    }
  };
  return (par: Float64Array): number => {
    const th = par[0];
    let nz = 0; let xtyD = 0;
    for (let j = 0; j < p; j++) {
      const d = par[1 + j] - beta[j];
      if (d !== 0) { nzIdx[nz] = j; nzVal[nz] = d; nz++; xtyD += Xty[j] * d; }
    }
    fillE(nz, par);
    let old = Number.MAX_VALUE; let cvgd = false;
    for (let it = 0; it < maxit; it++) {
      uOld.set(u);
      for (let g = 0; g < G; g++) {
        let S: number; let rhs: number;
        if (it === 0) {
          // Working response from μ⁰ with the new offset: z = lp0 − Xβ + (y − μ⁰)/μ⁰.
          S = S0[g]; let bd = 0;
          for (let k = 0; k < nz; k++) bd += B0[g * p + nzIdx[k]] * nzVal[k];
          rhs = -bd + th0 * u0[g] * S + Yg[g] - S;
        } else {
          S = E[g] * Math.exp(th * u[g]);
          rhs = th * u[g] * S + Yg[g] - S;
        }
        Sw[g] = S; u[g] = th * rhs / (1 + th * th * S);
      }
      let pdev = pdevRel(th, xtyD) + K;
      if (Math.abs((old - pdev) / pdev) < tol) { cvgd = true; break; }
      if (pdev > old) {
        for (let k = 0; k < 10 && pdev > old; k++) {
          for (let g = 0; g < G; g++) u[g] = (uOld[g] + u[g]) / 2;
          pdev = pdevRel(th, xtyD) + K;
        }
        if (pdev - old > tol) return NaN;
      }
      old = pdev;
    }
    if (!cvgd) return NaN;
    let ldL2 = 0; for (let g = 0; g < G; g++) ldL2 += Math.log(1 + th * th * Sw[g]);
    return pdevRel(th, xtyD) + ldL2;
  };
}

/**
 * lme4::deriv12's Hessian (no bounds): central differences with step delta, diagonal
 * (f(x+δeⱼ) − 2f(x) + f(x−δeⱼ))/δ², off-diagonal from the four points x ± δeᵢ ± δeⱼ over (2δ)².
 * Input: f, the point x (length q). Output: q × q row-major, symmetric by construction.
 */
export function deriv12Hessian(f: (x: Float64Array) => number, x0: ArrayLike<number>, delta = 1e-4): Float64Array {
  const q = x0.length; const H = new Float64Array(q * q);
  const x = Float64Array.from(x0); const fx = f(x);
  const at = (i: number, si: number, j: number, sj: number): number => {
    x.set(x0 as ArrayLike<number>);
    x[i] = x0[i] + si * delta;
    if (j >= 0) x[j] = x0[j] + sj * delta;
    return f(x);
  };
  for (let j = 0; j < q; j++) {
    H[j * q + j] = (at(j, 1, -1, 0) - 2 * fx + at(j, -1, -1, 0)) / (delta * delta);
    for (let i = 0; i < j; i++) {
      const v = (at(i, 1, j, 1) - at(i, 1, j, -1) - at(i, -1, j, 1) + at(i, -1, j, -1)) / (4 * delta * delta);
      H[i * q + j] = v; H[j * q + i] = v;
    }
  }
  return H;
}
