/**
 * The per-group integral of a Poisson random-intercept model. With a random intercept b = σv,
 * v ~ N(0, 1), the group's likelihood depends on the fixed part only through
 * E = Σ exp(xβ + offset) over its rows (c = log E) and Y = Σ y:
 *   F(c, σ) = log ∫ φ(v) exp(σvY − e^(c+σv)) dv   (+ Σ y(xβ + offset) − log y!, added by the caller).
 * Laplace (one node) and adaptive Gauss–Hermite centre the rule at the conditional mode v̂ and
 * scale it by 1/√h''(v̂), as lme4's glmer (Bates et al. 2015, JSS 67(1), section 5).
 */
export interface GroupValue { F: number; v: number; curv: number }

/** h(v) = −(σvY − e^(c+σv)) + v²/2, the negative log integrand up to constants. */
function h(v: number, c: number, s: number, Y: number): number {
  return -(s * v * Y - Math.exp(c + s * v)) + 0.5 * v * v;
}

/** Conditional mode by safeguarded Newton (h is strictly convex: h'' ≥ 1). */
export function groupMode(c: number, s: number, Y: number, v0: number): number {
  let v = Number.isFinite(v0) ? v0 : 0;
  let hv = h(v, c, s, Y);
  for (let it = 0; it < 200; it++) {
    const e = Math.exp(c + s * v);
    const g = -s * (Y - e) + v;
    const step = g / (s * s * e + 1);
    let t = 1; let vn = v - step; let hn = h(vn, c, s, Y);
    while (!(hn <= hv + 1e-15 * Math.abs(hv)) && t > 1e-10) { t /= 2; vn = v - t * step; hn = h(vn, c, s, Y); }
    const done = Math.abs(vn - v) < 1e-14 * (1 + Math.abs(v));
    v = vn; hv = hn;
    if (done) break;
  }
  return v;
}

/** F(c, σ) with `z`, `w` a normal-density Gauss–Hermite rule (one node = Laplace); v0 warm-starts the mode. */
export function groupValue(c: number, s: number, Y: number, v0: number, z: Float64Array, w: Float64Array): GroupValue {
  const v = groupMode(c, s, Y, v0);
  const curv = s * s * Math.exp(c + s * v) + 1;
  const sc = 1 / Math.sqrt(curv);
  const h0 = h(v, c, s, Y);
  let F = Math.log(sc) - h0;
  if (z.length > 1) {
    let acc = 0;
    for (let k = 0; k < z.length; k++) acc += w[k] * Math.exp(-(h(v + sc * z[k], c, s, Y) - h0) + 0.5 * z[k] * z[k]);
    F += Math.log(acc);
  }
  return { F, v, curv };
}

export interface GroupDerivs { F: number; Fc: number; Fs: number; Fcc: number; Fss: number; Fcs: number; v: number; curv: number }

const HC = 1e-4; const HS = 1e-4;

/** F and its first and second derivatives in (c, σ) by central differences on the scalar F. */
export function groupDerivs(c: number, s: number, Y: number, v0: number, z: Float64Array, w: Float64Array): GroupDerivs {
  const o = groupValue(c, s, Y, v0, z, w);
  const v = o.v;
  const f = (dc: number, ds: number) => groupValue(c + dc, s + ds, Y, v, z, w).F;
  const fcp = f(HC, 0); const fcm = f(-HC, 0); const fsp = f(0, HS); const fsm = f(0, -HS);
  const fpp = f(HC, HS); const fpm = f(HC, -HS); const fmp = f(-HC, HS); const fmm = f(-HC, -HS);
  return {
    F: o.F, v, curv: o.curv,
    Fc: (fcp - fcm) / (2 * HC), Fs: (fsp - fsm) / (2 * HS),
    Fcc: (fcp - 2 * o.F + fcm) / (HC * HC), Fss: (fsp - 2 * o.F + fsm) / (HS * HS),
    Fcs: (fpp - fpm - fmp + fmm) / (4 * HC * HS),
  };
}
