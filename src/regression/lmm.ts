/**
 * Linear mixed model with random intercepts for one grouping level, or two nested levels
 * (e.g. school within LA), fitted by REML or ML as lme4 does: the fixed effects and σ² are
 * profiled out and the exact profiled (restricted) deviance is minimised over θ = σ_u / σ_e
 * (Brent in 1-D, Nelder–Mead polished by coordinate Brent in 2-D). Every deviance evaluation
 * works on per-group sums of [X y] (O(groups · p²)), so its cost does not grow with n.
 */
import { coefTable, tidyRows, type FitBase, type RegressionInputBase, type TidyRow } from './fitBase';
import { cholesky, cholInverse, subMatrix as coreSubMatrix } from '../core/linalg';
import { brentMin, nelderMead } from '../core/optimise';
import { fitLmmSlopes } from './lmmSlopes';
import type { FitLmmInput, LmmFit, RandomSlopesInput, VarianceComponent } from './lmmTypes';
import { lmerGlance, lmmInputs, profiledDeviance } from './lmmProfile';
import { labelCodes } from '../core/groups';

/** The leading p × p block of a q × q matrix. */
const subMatrix = (C: Float64Array, q: number, p: number): Float64Array => coreSubMatrix(C, q, Array.from({ length: p }, (_, j) => j));

export type { FitLmmInput, LmmFit, VarianceComponent } from './lmmTypes';

interface GroupIndex { codes: Int32Array; ids: unknown[]; G: number; outerOf?: Int32Array }

/**
 * Groups coded by core/groups (levels sorted as R's factor(), so BLUPs come out in lme4's order).
 * An inner level nested in `outer` is coded on (outer code, inner level), sorted by outer then
 * inner; `ids` keeps each group's raw id as given (its first row's value).
 */
function indexGroups(v: ArrayLike<unknown>, n: number, what: string, outer?: Int32Array): GroupIndex {
  const own = labelCodes(v, n, `fitLmm: ${what}`);
  let codes = own.codes;
  let outerOf: Int32Array | undefined;
  if (outer) {
    const L = own.levels.length;
    const pair = new Float64Array(n);
    for (let i = 0; i < n; i++) pair[i] = outer[i] * L + own.codes[i];
    const nested = labelCodes(pair, n, `fitLmm: ${what}`);
    codes = nested.codes;
    outerOf = Int32Array.from(nested.levels, (l) => Math.floor(Number(l) / L));
  }
  const G = outer ? (outerOf as Int32Array).length : own.levels.length;
  const ids: unknown[] = new Array(G);
  const seen = new Uint8Array(G);
  for (let i = 0; i < n; i++) if (!seen[codes[i]]) { seen[codes[i]] = 1; ids[codes[i]] = v[i]; }
  return { codes, ids, G, outerOf };
}

/**
 * fitLmm. Inputs: y (n), x (n × p fixed-effects design, no implicit intercept), groups (one
 * array, or [outer, inner] nested), reml (default true). Output: frozen LmmFit with fixed
 * effects, SEs (σ² (XᵀV⁻¹X)⁻¹ at the estimates, as lme4's vcov), variance components, θ,
 * logLik (restricted under REML), ICC, BLUPs. Preconditions: X full column rank (checked),
 * every group id present. Failure flags: converged = false if the optimiser hit its limits;
 * a warning when θ is at the boundary 0 (singular fit).
 */
export function fitLmm(input: FitLmmInput): LmmFit {
  if (input.randomSlopes !== undefined) return fitLmmSlopes(input as FitLmmInput & Required<RandomSlopesInput>);
  const { X, n, p, y, names, reml, level } = lmmInputs(input);
  const warnings: string[] = [];
  const groupArrays: ArrayLike<unknown>[] = Array.isArray(input.groups) && input.groups.length > 0 && typeof input.groups[0] === 'object' && input.groups[0] !== null && typeof (input.groups[0] as ArrayLike<unknown>).length === 'number'
    ? (input.groups as ArrayLike<unknown>[]) : [input.groups as ArrayLike<unknown>];
  if (groupArrays.length < 1 || groupArrays.length > 2) throw new Error('fitLmm: groups must be one array or [outer, inner] (two nested levels)');
  const nLevels = groupArrays.length;
  const levelNames = input.groupNames ? input.groupNames.slice() : nLevels === 1 ? ['group'] : ['outer', 'inner'];
  if (levelNames.length !== nLevels) throw new Error(`fitLmm: groupNames has ${levelNames.length} names for ${nLevels} levels`);
  const outer = indexGroups(groupArrays[0], n, `groups (${levelNames[0]})`);
  const inner = nLevels === 2 ? indexGroups(groupArrays[1], n, `groups (${levelNames[1]})`, outer.codes) : null;

  // Sufficient statistics of the augmented matrix [X y] (q = p + 1 columns).
  const q = p + 1;
  const C = new Float64Array(q * q);
  const Sout = new Float64Array(outer.G * q); const nOut = new Float64Array(outer.G);
  const Sin = inner ? new Float64Array(inner.G * q) : null; const nIn = inner ? new Float64Array(inner.G) : null;
  const row = new Float64Array(q);
  for (let i = 0; i < n; i++) {
    const off = i * p;
    for (let j = 0; j < p; j++) row[j] = X.data[off + j];
    row[p] = y[i];
    for (let a = 0; a < q; a++) {
      const ra = row[a];
      if (ra === 0) continue;
      for (let b = a; b < q; b++) C[a * q + b] += ra * row[b];
    }
    const go = outer.codes[i] * q;
    for (let a = 0; a < q; a++) Sout[go + a] += row[a];
    nOut[outer.codes[i]]++;
    if (inner && Sin && nIn) {
      const gi = inner.codes[i] * q;
      for (let a = 0; a < q; a++) Sin[gi + a] += row[a];
      nIn[inner.codes[i]]++;
    }
  }
  for (let a = 0; a < q; a++) for (let b = 0; b < a; b++) C[a * q + b] = C[b * q + a];
  const xtxL = cholesky(subMatrix(C, q, p), p);
  if (!xtxL) throw new Error('fitLmm: the fixed-effects design is rank deficient; drop collinear columns first (buildDesign does)');
  const innerByOuter: number[][] = Array.from({ length: outer.G }, () => []);
  if (inner) for (let s = 0; s < inner.G; s++) innerByOuter[inner.outerOf![s]].push(s);

  // The diagonal blocks' contribution Σ_g θ²/(θ² n_g + 1) S_g S_gᵀ depends on θ only through the
  // group size n_g, so groups of equal size are pooled once: Σ_m θ²/(θ² m + 1) M_m with
  // M_m = Σ_{g: n_g = m} S_g S_gᵀ. A deviance evaluation then costs O((#sizes + #outer) q² + #inner q).
  const poolBySize = (S: Float64Array, sizes: Float64Array, G: number) => {
    const index = new Map<number, number>();
    const mats: Float64Array[] = []; const sz: number[] = []; const cnt: number[] = [];
    for (let g = 0; g < G; g++) {
      let k = index.get(sizes[g]);
      if (k === undefined) { k = mats.length; index.set(sizes[g], k); mats.push(new Float64Array(q * q)); sz.push(sizes[g]); cnt.push(0); }
      cnt[k]++;
      const M = mats[k]; const go = g * q;
      for (let a2 = 0; a2 < q; a2++) { const sa = S[go + a2]; if (sa === 0) continue; for (let b2 = a2; b2 < q; b2++) M[a2 * q + b2] += sa * S[go + b2]; }
    }
    return { mats, sizes: sz, counts: cnt };
  };
  const pooled = inner ? poolBySize(Sin!, nIn!, inner.G) : poolBySize(Sout, nOut, outer.G);

  // P(θ) = C − Q(θ) with Q the random-effects correction; returns logdet of the RE system too.
  const P = new Float64Array(q * q);
  const wstar = new Float64Array(q);
  const evalSystem = (thIn: number, thOut: number): number => {
    P.set(C);
    let logdet = 0;
    const t2o = thOut * thOut;
    const t2d = inner ? thIn * thIn : t2o; // θ² of the level whose blocks are diagonal
    for (let k = 0; k < pooled.mats.length; k++) {
      const D = t2d * pooled.sizes[k] + 1;
      logdet += pooled.counts[k] * Math.log(D);
      const f = t2d / D;
      if (f === 0) continue;
      const M = pooled.mats[k];
      for (let a = 0; a < q; a++) for (let b = a; b < q; b++) P[a * q + b] -= f * M[a * q + b];
    }
    if (inner) {
      const t2i = thIn * thIn;
      for (let g = 0; g < outer.G; g++) {
        let Dstar = t2o * nOut[g] + 1;
        const go = g * q;
        for (let a = 0; a < q; a++) wstar[a] = thOut * Sout[go + a];
        for (const s2 of innerByOuter[g]) {
          const ns = nIn![s2];
          const d = t2i * ns + 1;
          const bs = thIn * thOut * ns;
          Dstar -= (bs * bs) / d;
          const h = (bs * thIn) / d;
          if (h === 0) continue;
          const gs = s2 * q;
          for (let a = 0; a < q; a++) wstar[a] -= h * Sin![gs + a];
        }
        logdet += Math.log(Dstar);
        for (let a = 0; a < q; a++) { const wa = wstar[a] / Dstar; if (wa === 0) continue; for (let b = a; b < q; b++) P[a * q + b] -= wa * wstar[b]; }
      }
    }
    for (let a = 0; a < q; a++) for (let b = 0; b < a; b++) P[a * q + b] = P[b * q + a];
    return logdet;
  };
  const A = new Float64Array(p * p); const c = new Float64Array(p);
  let evaluations = 0;
  const profiled = (thIn: number, thOut: number): { dev: number; beta: Float64Array; L: Float64Array; r2: number } | null => {
    evaluations++;
    return profiledDeviance(P, p, n, reml, evalSystem(thIn, thOut), A, c);
  };
  const devAt = (thIn: number, thOut: number): number => { const r = profiled(Math.abs(thIn), Math.abs(thOut)); return r ? r.dev : Infinity; };

  let thOut: number; let thIn = 0; let converged = true;
  if (!inner) {
    // Bracket: the deviance is even in θ; search [0, U] with U grown until the minimum is inside.
    let U = 4;
    let fU = devAt(0, U);
    while (U < 1e4 && devAt(0, U * 2) < fU) { U *= 2; fU = devAt(0, U); }
    const r = brentMin((t) => devAt(0, t), 0, U * 2);
    thOut = Math.abs(r.x);
    // Brent stops at the deviance's rounding floor (~√ε relative in θ); refine by Newton on a
    // central-difference derivative, whose root is located far more precisely than the flat minimum.
    if (thOut > 1e-6) {
      for (let it = 0; it < 4; it++) {
        const h = 1e-4 * thOut;
        const fp = devAt(0, thOut + h); const fm = devAt(0, thOut - h); const f0 = devAt(0, thOut);
        const d1 = (fp - fm) / (2 * h); const d2 = (fp - 2 * f0 + fm) / (h * h);
        if (!(d2 > 0)) break;
        const next = thOut - d1 / d2;
        if (!(next > 0) || devAt(0, next) > f0 + 1e-9 * Math.abs(f0)) break;
        if (Math.abs(next - thOut) < 1e-14 * thOut) { thOut = next; break; }
        thOut = next;
      }
    }
    // At the boundary the optimiser creeps towards 0 without reaching it; snap as lme4 reports it.
    const d0 = devAt(0, 0);
    if (d0 <= devAt(0, thOut) || (thOut < 1e-5 && d0 - devAt(0, thOut) < 1e-8)) thOut = 0;
  } else {
    const nm = nelderMead((v) => devAt(v[0], v[1]), [1, 1], 0.5);
    thIn = Math.abs(nm.x[0]); thOut = Math.abs(nm.x[1]);
    // Coordinate Brent polish, then Newton on central-difference derivatives: Brent alone stops
    // at the deviance's rounding floor, the derivative's root is located far more precisely.
    let prev = nm.fx;
    for (let cycle = 0; cycle < 30; cycle++) {
      const ui = Math.max(4, thIn * 4); const uo = Math.max(4, thOut * 4);
      const ri = brentMin((t) => devAt(t, thOut), 0, ui); if (ri.fx <= devAt(thIn, thOut)) thIn = Math.abs(ri.x);
      const ro = brentMin((t) => devAt(thIn, t), 0, uo); if (ro.fx <= devAt(thIn, thOut)) thOut = Math.abs(ro.x);
      const cur = devAt(thIn, thOut);
      if (Math.abs(prev - cur) < 1e-12 * Math.abs(cur)) break;
      prev = cur;
    }
    if (thIn > 1e-6 && thOut > 1e-6) {
      for (let it = 0; it < 8; it++) {
        const hi = 1e-4 * thIn; const ho = 1e-4 * thOut;
        const f0 = devAt(thIn, thOut);
        const fip = devAt(thIn + hi, thOut); const fim = devAt(thIn - hi, thOut);
        const fop = devAt(thIn, thOut + ho); const fom = devAt(thIn, thOut - ho);
        const fpp = devAt(thIn + hi, thOut + ho); const fpm = devAt(thIn + hi, thOut - ho);
        const fmp = devAt(thIn - hi, thOut + ho); const fmm = devAt(thIn - hi, thOut - ho);
        const gi = (fip - fim) / (2 * hi); const go = (fop - fom) / (2 * ho);
        const hii = (fip - 2 * f0 + fim) / (hi * hi); const hoo = (fop - 2 * f0 + fom) / (ho * ho);
        const hio = (fpp - fpm - fmp + fmm) / (4 * hi * ho);
        const det = hii * hoo - hio * hio;
        if (!(hii > 0 && det > 0)) break;
        const di = -(hoo * gi - hio * go) / det; const dO = -(hii * go - hio * gi) / det;
        const ni = thIn + di; const no = thOut + dO;
        if (!(ni > 0 && no > 0) || devAt(ni, no) > f0 + 1e-9 * Math.abs(f0)) break;
        thIn = ni; thOut = no;
        if (Math.abs(di) < 1e-13 * thIn && Math.abs(dO) < 1e-13 * thOut) break;
      }
    }
    if (devAt(thIn, 0) <= devAt(thIn, thOut)) thOut = 0;
    if (devAt(0, thOut) <= devAt(thIn, thOut)) thIn = 0;
  }
  const fin = profiled(thIn, thOut);
  if (!fin) throw new Error('fitLmm: the profiled deviance is not finite at the optimum');
  const { dev, beta, L, r2 } = fin;
  const sigma2 = r2 / (reml ? n - p : n);
  const Ainv = cholInverse(L, p);
  const V = new Float64Array(p * p);
  for (let i = 0; i < p * p; i++) V[i] = sigma2 * Ainv[i];
  if (thOut === 0 || (inner && thIn === 0)) warnings.push('boundary (singular) fit: a random-intercept variance is estimated as 0');

  // BLUPs (conditional modes) from the group residual sums.
  const resOut = new Float64Array(outer.G);
  for (let g = 0; g < outer.G; g++) { let s = Sout[g * q + p]; for (let a = 0; a < p; a++) s -= Sout[g * q + a] * beta[a]; resOut[g] = s; }
  const ranef: { level: string; ids: unknown[]; values: Float64Array }[] = [];
  const bOut = new Float64Array(outer.G);
  if (!inner) {
    for (let g = 0; g < outer.G; g++) bOut[g] = (thOut * thOut * resOut[g]) / (thOut * thOut * nOut[g] + 1);
    ranef.push({ level: levelNames[0], ids: outer.ids, values: bOut });
  } else {
    const bIn = new Float64Array(inner.G);
    const rIn = new Float64Array(inner.G);
    for (let s = 0; s < inner.G; s++) { let v = Sin![s * q + p]; for (let a = 0; a < p; a++) v -= Sin![s * q + a] * beta[a]; rIn[s] = thIn * v; }
    for (let g = 0; g < outer.G; g++) {
      let Dstar = thOut * thOut * nOut[g] + 1;
      let rstar = thOut * resOut[g];
      for (const s of innerByOuter[g]) {
        const d = thIn * thIn * nIn![s] + 1; const bs = thIn * thOut * nIn![s];
        Dstar -= (bs * bs) / d; rstar -= (bs * rIn[s]) / d;
      }
      const uo = rstar / Dstar;
      bOut[g] = thOut * uo;
      for (const s of innerByOuter[g]) {
        const d = thIn * thIn * nIn![s] + 1; const bs = thIn * thOut * nIn![s];
        bIn[s] = (thIn * (rIn[s] - bs * uo)) / d;
      }
    }
    ranef.push({ level: levelNames[0], ids: outer.ids, values: bOut });
    ranef.push({ level: levelNames[1], ids: inner.ids, values: bIn });
  }

  const varOut = thOut * thOut * sigma2;
  const varIn = thIn * thIn * sigma2;
  const vcs: VarianceComponent[] = [{ group: levelNames[0], variance: varOut, sd: Math.sqrt(varOut), theta: thOut }];
  if (inner) vcs.push({ group: levelNames[1], variance: varIn, sd: Math.sqrt(varIn), theta: thIn });
  vcs.push({ group: 'Residual', variance: sigma2, sd: Math.sqrt(sigma2), theta: null });
  const total = varOut + varIn + sigma2;
  const icc: Record<string, number> = { [levelNames[0]]: varOut / total };
  if (inner) icc[levelNames[1]] = (varOut + varIn) / total;
  const dfLogLik = p + 1 + nLevels;
  const logLik = -dev / 2;
  const tab = coefTable(names, beta, V, reml ? 'REML' : 'ML', 'z', Infinity, level, warnings, 'fitLmm');
  const fit: LmmFit = {
    model: 'lmm',
    ...tab,
    aliased: Object.freeze([]),
    n, reml, deviance: dev, logLik, aic: dev + 2 * dfLogLik, bic: dev + Math.log(n) * dfLogLik, dfLogLik,
    theta: Object.freeze(inner ? [thOut, thIn] : [thOut]),
    sigma: Math.sqrt(sigma2),
    varianceComponents: Object.freeze(vcs.map((v) => Object.freeze(v))),
    icc: Object.freeze(icc),
    nGroups: Object.freeze(inner ? [outer.G, inner.G] : [outer.G]),
    ranef: Object.freeze(ranef.map((r) => Object.freeze(r))),
    converged,
    warnings: Object.freeze(warnings),
    options: Object.freeze({ reml, level, groupNames: levelNames }),
    evaluations,
    summary(): TidyRow[] { return tidyRows(tab); },
    tidy(): TidyRow[] { return tidyRows(tab); },
    glance(): TidyRow { return lmerGlance(sigma2, logLik, dev, dfLogLik, n, reml, tab.vcovType); },
    varianceType: tab.vcovType,
    spec: Object.freeze({ reml, level, groupNames: levelNames }),
  };
  return Object.freeze(fit);
}
