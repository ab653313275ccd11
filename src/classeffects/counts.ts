/**
 * Referrals tallied by demand class (the saved typology's modal class of the referral's
 * assessment), IDACI decile and census year, in the layout `classGradients` (src/inequality)
 * reads, so the gradient by demand type uses notebook 01's classes rather than a generator's truth.
 */
import * as aq from 'arquero';
import type { TableLike } from '../formula/index';

/**
 * Inputs: the LCA matrix table (assessment_id, episode_id, census_year per row), the modal class of
 * each of its rows (0-based), the CIN table (episode_id, idaci_decile) and a table of population by
 * idaci_decile and year (e.g. the area panel's classCounts; extra columns ignored).
 * Output: rows idaci_decile, year, true_class (1-based class index: the column name classGradients
 * reads; here it is the modal class of the saved model), referrals, population; plus `dropped`:
 * assessments without an IDACI decile or whose decile/year has no population.
 */
export function demandClassCounts(lcaTable: TableLike, modal: ArrayLike<number>, cin: TableLike, population: TableLike): { table: aq.ColumnTable; dropped: { noDecile: number; noPopulation: number } } {
  const epDecile = new Map<string, number>();
  const cEp = cin.array('episode_id') as ArrayLike<string>;
  const cDec = cin.array('idaci_decile') as ArrayLike<number | null>;
  for (let i = 0; i < cEp.length; i++) if (cDec[i] !== null && cDec[i] !== undefined) epDecile.set(cEp[i], Number(cDec[i]));
  const pop = new Map<string, number>();
  const pDec = population.array('idaci_decile') as ArrayLike<number>;
  const pYear = population.array('year') as ArrayLike<number>;
  const pPop = population.array('population') as ArrayLike<number>;
  for (let i = 0; i < pDec.length; i++) pop.set(`${pDec[i]}|${pYear[i]}`, Number(pPop[i]));
  const ep = lcaTable.array('episode_id') as ArrayLike<string>;
  const yr = lcaTable.array('census_year') as ArrayLike<number>;
  if (modal.length !== ep.length) throw new Error(`demandClassCounts: ${modal.length} modal classes for ${ep.length} LCA rows`);
  const counts = new Map<string, number>();
  let noDecile = 0;
  let noPopulation = 0;
  for (let i = 0; i < ep.length; i++) {
    const d = epDecile.get(ep[i]);
    if (d === undefined) { noDecile++; continue; }
    if (!pop.has(`${d}|${yr[i]}`)) { noPopulation++; continue; }
    const key = `${d}|${yr[i]}|${modal[i] + 1}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const rows = { idaci_decile: [] as number[], year: [] as number[], true_class: [] as number[], referrals: [] as number[], population: [] as number[] };
  for (const [key, n] of [...counts.entries()].sort()) {
    const [d, y, k] = key.split('|').map(Number);
    rows.idaci_decile.push(d); rows.year.push(y); rows.true_class.push(k); rows.referrals.push(n); rows.population.push(pop.get(`${d}|${y}`)!);
  }
  return { table: aq.table(rows), dropped: { noDecile, noPopulation } };
}
