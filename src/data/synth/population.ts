/**
 * Child population denominators for the synthetic data, tallied from the same child draws as the
 * CIN / CPP / CLA records (so every referred child is in the population of its small area), with
 * no draws from the generator's random stream (areas come from a hash of the child index), so the
 * other outputs are unchanged.
 *
 * Files: population.csv — children aged 0–17 on 30 September (ONS mid-year convention) by small
 * area (LSOA-like id nested in an LA, one IDACI decile per area), age band, sex and census year;
 * area_counts.csv — per area, age band (at the event), sex and census year: children referred
 * (cin: episodes starting), first referrals (cin_first), CPP starts (cpp), care starts (cla);
 * class_counts.csv — referrals by IDACI decile, census year and true demand class.
 * Truth (returned for truth.json): the expected first-referral counts E implied by the referral
 * hazard (exact integral of the first-event density, pandemic thinning included) and the
 * population estimands computed from E with the same estimators the notebook applies to counts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { censusYearOfDay, civilFromDay, dayFromCivil, birthdayDay } from '../dates';
import { fitGlm } from '../../regression/count/glm';
import { inequalityIndices } from '../../inequality/indices';

export const AGE_BANDS = ['0-4', '5-9', '10-15', '16-17'] as const;
export const CHILDREN_PER_AREA = 350;
const SEXES = ['F', 'M'] as const;

function ageBand(age: number): number { return age < 5 ? 0 : age < 10 ? 1 : age < 16 ? 2 : 3; }
function ageOn(birth: number, day: number): number {
  const [by, bm, bd] = civilFromDay(birth); const [y, m, d] = civilFromDay(day);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

export interface PopulationTruth { [key: string]: unknown }

export class PopulationTally {
  private readonly years: readonly number[];
  private readonly midDays: number[];
  private readonly yearStart: number[];
  private readonly areaBase: Int32Array; // first area index of each (la, decile) cell
  private readonly areaCount: Int32Array;
  readonly nAreas: number;
  private readonly pop: Int32Array; private readonly cin: Int32Array; private readonly cinFirst: Int32Array;
  private readonly cpp: Int32Array; private readonly cla: Int32Array;
  private readonly expected: Float64Array; // area × year
  private readonly classCounts: Int32Array; // decile × year × class(0..12)
  private cur = { area: 0, sex: 0, birth: 0, decile: 1 };

  /** laShares: each LA's expected share of children; nChildren: children simulated in total. */
  constructor(private readonly laNames: readonly string[], laShares: ArrayLike<number>, nChildren: number, years: readonly number[], private readonly dip: { from: number; to: number; keep: number }) {
    this.years = years;
    this.midDays = years.map((y) => dayFromCivil(y - 1, 9, 30));
    this.yearStart = years.map((y) => dayFromCivil(y - 1, 4, 1));
    const L = laNames.length;
    this.areaBase = new Int32Array(L * 10); this.areaCount = new Int32Array(L * 10);
    // Children aged 0–17 at a date ≈ 18 of the 23.6 birth-cohort years simulated.
    let next = 0;
    for (let l = 0; l < L; l++) for (let d = 0; d < 10; d++) {
      const k = Math.max(1, Math.round(nChildren * laShares[l] / 10 * (18 / 23.6) / CHILDREN_PER_AREA));
      this.areaBase[l * 10 + d] = next; this.areaCount[l * 10 + d] = k; next += k;
    }
    this.nAreas = next;
    const cells = next * 4 * 2 * years.length;
    this.pop = new Int32Array(cells); this.cin = new Int32Array(cells); this.cinFirst = new Int32Array(cells);
    this.cpp = new Int32Array(cells); this.cla = new Int32Array(cells);
    this.expected = new Float64Array(next * years.length);
    this.classCounts = new Int32Array(10 * years.length * 13);
  }

  private cell(area: number, band: number, sex: number, yi: number): number { return ((area * 4 + band) * 2 + sex) * this.years.length + yi; }
  private yearIndex(day: number): number { return this.years.indexOf(censusYearOfDay(day)); }

  /**
   * One simulated child: counted in its area's population each census year it is 0–17 on 30
   * September; `rate` (per year), `from`, `to` (days) and `referral` describe its first referral.
   */
  child(i: number, birth: number, male: boolean, la: number, decile: number, rate: number, from: number, to: number, referral: number): void {
    const c = la * 10 + decile - 1;
    const area = this.areaBase[c] + (Math.imul(i + 1, 0x9e3779b1) >>> 0) % this.areaCount[c];
    const sex = male ? 1 : 0;
    this.cur = { area, sex, birth, decile };
    const day18 = birthdayDay(birth, 18);
    this.midDays.forEach((mid, yi) => { if (birth <= mid && mid < day18) this.pop[this.cell(area, ageBand(ageOn(birth, mid)), sex, yi)]++; });
    if (referral >= 0) { const yi = this.yearIndex(referral); if (yi >= 0) this.cinFirst[this.cell(area, ageBand(ageOn(birth, referral)), sex, yi)]++; }
    if (from > to) return;
    // P(first referral on a day in [a, b]) = S(a) − S(b + 1), S(t) = exp(−rate (t − from)/365.25), thinned in the dip.
    const S = (t: number) => Math.exp(-rate * (t - from) / 365.25);
    const segment = (a: number, b: number) => (a > b ? 0 : S(a) - S(b + 1));
    for (let yi = 0; yi < this.years.length; yi++) {
      const a = Math.max(from, this.yearStart[yi]); const b = Math.min(to, (yi + 1 < this.years.length ? this.yearStart[yi + 1] : dayFromCivil(this.years[yi], 4, 1)) - 1);
      if (a > b) continue;
      const dA = Math.max(a, this.dip.from); const dB = Math.min(b, this.dip.to);
      const inDip = segment(dA, dB);
      this.expected[area * this.years.length + yi] += segment(a, b) - (1 - this.dip.keep) * inDip;
    }
  }

  /** One written episode of the current child: referral day, CPP and care start days (−1 = none), true class. */
  episode(referral: number, cppStart: number, careStart: number, trueClass: number): void {
    const { area, sex, birth, decile } = this.cur;
    const add = (arr: Int32Array, day: number) => { if (day < 0) return; const yi = this.yearIndex(day); if (yi >= 0) arr[this.cell(area, ageBand(ageOn(birth, day)), sex, yi)]++; };
    add(this.cin, referral); add(this.cpp, cppStart); add(this.cla, careStart);
    const yi = this.yearIndex(referral);
    if (yi >= 0) this.classCounts[((decile - 1) * this.years.length + yi) * 13 + trueClass]++;
  }

  private areaCode(a: number): string { return 'E01' + String(a + 1).padStart(6, '0'); }

  /** Writes the three CSVs into `dir` and returns the truth for truth.json. */
  write(dir: string): PopulationTruth {
    const Y = this.years.length;
    const laOf = new Int32Array(this.nAreas); const decOf = new Int32Array(this.nAreas);
    for (let c = 0; c < this.areaBase.length; c++) for (let k = 0; k < this.areaCount[c]; k++) { laOf[this.areaBase[c] + k] = Math.floor(c / 10); decOf[this.areaBase[c] + k] = (c % 10) + 1; }
    const popLines = ['area,la,idaci_decile,age_band,sex,year,population'];
    const cntLines = ['area,la,idaci_decile,age_band,sex,year,cin,cin_first,cpp,cla'];
    for (let a = 0; a < this.nAreas; a++) for (let b = 0; b < 4; b++) for (let s = 0; s < 2; s++) for (let yi = 0; yi < Y; yi++) {
      const k = this.cell(a, b, s, yi);
      const key = `${this.areaCode(a)},${this.laNames[laOf[a]]},${decOf[a]},${AGE_BANDS[b]},${SEXES[s]},${this.years[yi]}`;
      popLines.push(`${key},${this.pop[k]}`);
      if (this.cin[k] || this.cinFirst[k] || this.cpp[k] || this.cla[k]) cntLines.push(`${key},${this.cin[k]},${this.cinFirst[k]},${this.cpp[k]},${this.cla[k]}`);
    }
    fs.writeFileSync(path.join(dir, 'population.csv'), popLines.join('\n') + '\n');
    fs.writeFileSync(path.join(dir, 'area_counts.csv'), cntLines.join('\n') + '\n');
    const clsLines = ['idaci_decile,year,true_class,referrals'];
    for (let d = 0; d < 10; d++) for (let yi = 0; yi < Y; yi++) for (let k = 0; k < 13; k++) clsLines.push(`${d + 1},${this.years[yi]},${k},${this.classCounts[(d * Y + yi) * 13 + k]}`);
    fs.writeFileSync(path.join(dir, 'class_counts.csv'), clsLines.join('\n') + '\n');
    return this.truth(decOf);
  }

  /** Per-decile log-rate slope within LAs: Poisson fit to E aggregated by LA × decile × year, with LA and year effects. */
  private withinLaGradient(decOf: Int32Array): number {
    const Y = this.years.length; const L = this.laNames.length;
    const E = new Float64Array(L * 10 * Y); const P = new Float64Array(L * 10 * Y);
    for (let c = 0; c < L * 10; c++) for (let k = 0; k < this.areaCount[c]; k++) {
      const a = this.areaBase[c] + k;
      for (let yi = 0; yi < Y; yi++) {
        E[c * Y + yi] += this.expected[a * Y + yi];
        for (let b = 0; b < 4; b++) for (let s = 0; s < 2; s++) P[c * Y + yi] += this.pop[this.cell(a, b, s, yi)];
      }
    }
    void decOf;
    const p = 2 + (Y - 1) + (L - 1);
    const keep: number[] = [];
    for (let r = 0; r < L * 10 * Y; r++) if (P[r] > 0) keep.push(r);
    const x = new Float64Array(keep.length * p);
    keep.forEach((r, i) => {
      const yi = r % Y; const c = Math.floor(r / Y); const l = Math.floor(c / 10); const d = (c % 10) + 1;
      x[i * p] = 1; x[i * p + 1] = d;
      if (yi > 0) x[i * p + 1 + yi] = 1;
      if (l > 0) x[i * p + Y + l] = 1;
    });
    const fit = fitGlm({ y: keep.map((r) => E[r]), x: { nrow: keep.length, ncol: p, data: x }, family: 'poisson', offset: keep.map((r) => Math.log(P[r])) });
    return fit.coef[1];
  }

  /** Population estimands from the expected first-referral counts E (noise-free). */
  private truth(decOf: Int32Array): PopulationTruth {
    const Y = this.years.length;
    const E = Array.from({ length: 10 }, () => new Float64Array(Y)); const P = Array.from({ length: 10 }, () => new Float64Array(Y));
    for (let a = 0; a < this.nAreas; a++) for (let yi = 0; yi < Y; yi++) {
      E[decOf[a] - 1][yi] += this.expected[a * Y + yi];
      for (let b = 0; b < 4; b++) for (let s = 0; s < 2; s++) P[decOf[a] - 1][yi] += this.pop[this.cell(a, b, s, yi)];
    }
    const pooled = (d: number) => ({ count: E[d].reduce((x, v) => x + v, 0), population: P[d].reduce((x, v) => x + v, 0) });
    const leastToMost = Array.from({ length: 10 }, (_, k) => pooled(9 - k));
    const idx = inequalityIndices(leastToMost);
    // Log-linear gradients fitted to E by decile × year (quasi-Poisson point estimates).
    const rows: { e: number; p: number; d: number; yi: number }[] = [];
    for (let d = 0; d < 10; d++) for (let yi = 0; yi < Y; yi++) rows.push({ e: E[d][yi], p: P[d][yi], d: d + 1, yi });
    const pan = Y - 1; // 2020/21 is the last census year
    const x = rows.map((r) => [1, r.d, ...this.years.slice(1).map((_, k) => (r.yi === k + 1 ? 1 : 0)), r.yi === pan ? r.d : 0]);
    const names = ['(Intercept)', 'idaci_decile', ...this.years.slice(1).map((y) => `year${y}`), 'idaci_decile:pandemic'];
    const fit = fitGlm({ y: rows.map((r) => r.e), x, names, family: 'poisson', offset: rows.map((r) => Math.log(r.p)) });
    const b = (nm: string) => fit.coef[fit.names.indexOf(nm)];
    // Population-weighted SD of the decile: the notebook's deprivation score is (mean − decile)/SD.
    const Ptot = P.reduce((s, p) => s + p.reduce((x, v) => x + v, 0), 0);
    const mean = P.reduce((s, p, d) => s + (d + 1) * p.reduce((x, v) => x + v, 0), 0) / Ptot;
    const sd = Math.sqrt(P.reduce((s, p, d) => s + (d + 1 - mean) ** 2 * p.reduce((x, v) => x + v, 0), 0) / Ptot);
    const within = this.withinLaGradient(decOf);
    return {
      logRatePerSdDeprivationWithinLa: -within * sd,
      modelWithinLa: 'cin_first ~ idaci_decile + factor(year) + factor(la) + offset(log(population)), fitted to E (the estimand of the LA random-intercept GLMM)',
      note: 'Estimands of the first-referral rate (area_counts.cin_first / population), computed from the expected counts E implied by the referral hazard (REFERRAL_RATE: base × exp(idaciLogRatePerDecile·(decile−1)) × LA multiplier, first referral only, pandemic thinning) — depletion of never-referred children makes them differ from the hazard parameters',
      files: ['population.csv', 'area_counts.csv', 'class_counts.csv'], childrenPerArea: CHILDREN_PER_AREA, nAreas: this.nAreas,
      firstReferralRatePer10000: Object.fromEntries(this.years.map((y, yi) => [y, E.map((e, d) => e[yi] / P[d][yi] * 1e4)])),
      rateRatioMostVsLeast: pooled(0).count / pooled(0).population / (pooled(9).count / pooled(9).population),
      sii: idx.sii.estimate, rii: idx.rii.estimate,
      logRatePerDecile: b('idaci_decile'), decileMean: mean, decileSd: sd,
      logRatePerSdDeprivation: -b('idaci_decile') * sd, pandemicInteractionPerDecile: b('idaci_decile:pandemic'),
      modelForGradients: 'cin_first ~ idaci_decile * pandemic(2020/21) + factor(year) + offset(log(population)), fitted to E',
      hazardLogRatePerDecile: -0.26,
    };
  }
}
