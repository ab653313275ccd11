// Derivative-free minimisers for small smooth problems (variance parameters of mixed models).

/** Brent's minimiser on [a, b] (golden section + parabolic steps). */
export function brentMin(f: (x: number) => number, a: number, b: number, tol = 1e-12, maxIter = 500): { x: number; fx: number } {
  const g = 0.3819660112501051;
  let x = a + g * (b - a); let w = x; let v = x;
  let fx = f(x); let fw = fx; let fv = fx;
  let d = 0; let e = 0;
  for (let it = 0; it < maxIter; it++) {
    const m = 0.5 * (a + b);
    const tol1 = tol * Math.abs(x) + 1e-14; const tol2 = 2 * tol1;
    if (Math.abs(x - m) <= tol2 - 0.5 * (b - a)) break;
    let useGolden = true;
    if (Math.abs(e) > tol1) {
      let r = (x - w) * (fx - fv); let q = (x - v) * (fx - fw); let p = (x - v) * q - (x - w) * r;
      q = 2 * (q - r); if (q > 0) p = -p; else q = -q;
      const etemp = e; e = d;
      if (!(Math.abs(p) >= Math.abs(0.5 * q * etemp) || p <= q * (a - x) || p >= q * (b - x))) {
        d = p / q; const u = x + d;
        if (u - a < tol2 || b - u < tol2) d = x < m ? tol1 : -tol1;
        useGolden = false;
      }
    }
    if (useGolden) { e = (x >= m ? a : b) - x; d = g * e; }
    const u = Math.abs(d) >= tol1 ? x + d : x + (d > 0 ? tol1 : -tol1);
    const fu = f(u);
    if (fu <= fx) {
      if (u >= x) a = x; else b = x;
      v = w; fv = fw; w = x; fw = fx; x = u; fx = fu;
    } else {
      if (u < x) a = u; else b = u;
      if (fu <= fw || w === x) { v = w; fv = fw; w = u; fw = fu; } else if (fu <= fv || v === x || v === w) { v = u; fv = fu; }
    }
  }
  return { x, fx };
}

/**
 * Brent's root finder (R's uniroot / zeroin: bisection, secant and inverse quadratic steps) for a
 * sign change of f on [a, b], given f(a) = fa and f(b) = fb of opposite signs (or one zero).
 * Stops when the bracket is within tol·|x| + 1e-300 or f is exactly 0. Returns the root and f there.
 * Failure: throws when fa and fb have the same sign.
 */
export function brentRoot(f: (x: number) => number, a: number, b: number, fa: number, fb: number, tol = 1e-12, maxIter = 200): { x: number; fx: number } {
  if (fa === 0) return { x: a, fx: 0 };
  if (fb === 0) return { x: b, fx: 0 };
  if ((fa > 0) === (fb > 0)) throw new Error('brentRoot: f(a) and f(b) must have opposite signs');
  let c = a; let fc = fa; let d = b - a; let e = d;
  for (let it = 0; it < maxIter; it++) {
    if ((fb > 0) === (fc > 0)) { c = a; fc = fa; d = b - a; e = d; }
    if (Math.abs(fc) < Math.abs(fb)) { a = b; b = c; c = a; fa = fb; fb = fc; fc = fa; }
    const tol1 = 2 * Number.EPSILON * Math.abs(b) + 0.5 * tol * Math.abs(b) + 1e-300;
    const m = 0.5 * (c - b);
    if (Math.abs(m) <= tol1 || fb === 0) break;
    if (Math.abs(e) >= tol1 && Math.abs(fa) > Math.abs(fb)) {
      const s = fb / fa; let p: number; let q: number;
      if (a === c) { p = 2 * m * s; q = 1 - s; } else {
        const qq = fa / fc; const r = fb / fc;
        p = s * (2 * m * qq * (qq - r) - (b - a) * (r - 1)); q = (qq - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q; else p = -p;
      if (2 * p < Math.min(3 * m * q - Math.abs(tol1 * q), Math.abs(e * q))) { e = d; d = p / q; } else { d = m; e = m; }
    } else { d = m; e = m; }
    a = b; fa = fb;
    b += Math.abs(d) > tol1 ? d : m > 0 ? tol1 : -tol1;
    fb = f(b);
  }
  return { x: b, fx: fb };
}

/** Nelder–Mead in k dimensions (used for the 2-D θ search before a coordinate-Brent polish). */
export function nelderMead(f: (x: number[]) => number, x0: number[], step: number, tol = 1e-12, maxEval = 4000): { x: number[]; fx: number } {
  const k = x0.length;
  let simplex = [x0.slice()];
  for (let i = 0; i < k; i++) { const x = x0.slice(); x[i] += step; simplex.push(x); }
  let fs = simplex.map(f);
  let evals = k + 1;
  while (evals < maxEval) {
    const idx = fs.map((_, i) => i).sort((a, b) => fs[a] - fs[b]);
    simplex = idx.map((i) => simplex[i]); fs = idx.map((i) => fs[i]);
    if (Math.abs(fs[k] - fs[0]) <= tol * (Math.abs(fs[0]) + 1e-10)) break;
    const c = new Array(k).fill(0);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) c[j] += simplex[i][j] / k;
    const pt = (t: number) => c.map((cj, j) => cj + t * (simplex[k][j] - cj));
    const xr = pt(-1); const fr = f(xr); evals++;
    if (fr < fs[0]) {
      const xe = pt(-2); const fe = f(xe); evals++;
      if (fe < fr) { simplex[k] = xe; fs[k] = fe; } else { simplex[k] = xr; fs[k] = fr; }
    } else if (fr < fs[k - 1]) { simplex[k] = xr; fs[k] = fr; }
    else {
      const xc = fr < fs[k] ? pt(-0.5) : pt(0.5); const fc = f(xc); evals++;
      if (fc < Math.min(fr, fs[k])) { simplex[k] = xc; fs[k] = fc; }
      else {
        for (let i = 1; i <= k; i++) { simplex[i] = simplex[i].map((v, j) => simplex[0][j] + 0.5 * (v - simplex[0][j])); fs[i] = f(simplex[i]); evals++; }
      }
    }
  }
  let best = 0;
  for (let i = 1; i <= k; i++) if (fs[i] < fs[best]) best = i;
  return { x: simplex[best], fx: fs[best] };
}
