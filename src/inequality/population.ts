/**
 * Real-data child population denominators: an ONS mid-year small-area population estimates CSV (one
 * row per LSOA, single-year-of-age columns such as F0..F90 / M0..M90 or 0..90+) and an LSOA → IDACI
 * decile lookup (English Indices of Deprivation), read through the store's CSV ingest (declared
 * dialect, physical lines counted from bytes, rejects) and a column mapping. Ages 0–17 are summed
 * into the synthetic generator's age bands, giving the same long table loadAreaPanel reads from
 * population.csv. Every data line is analysed, excluded with a named finding, or merged as a copy.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as aq from 'arquero';
import type { ColumnTable } from 'arquero';
import { DataError } from '../data/errors';
import { Store, lit, ident } from '../data/store/db';
import { createFindings } from '../data/store/findings';
import { ingestCsv } from '../data/store/csv';
import type { CsvDialect } from '../data/store/csv';
import type { Finding } from '../data/staging';
import { AGE_BANDS } from '../data/synth/population';

export interface PopulationMapping {
  /** LSOA code column of the population file; default 'LSOA 2021 Code' */
  lsoa?: string;
  /** LA code column of the population file; default 'LAD 2023 Code' */
  la?: string;
  /** year column of the population file; when absent from the header, options.year is used */
  year?: string;
  /**
   * Single-year-of-age column names: a regex with a named group `age` and an optional group `sex`.
   * Default /^(?<sex>[FM])?(?<age>\d{1,2})\+?$/ (F0..F90, M0..M90, or 0..90+ for persons).
   */
  ageColumn?: RegExp;
  /** LSOA code and decile columns of the IDACI lookup; defaults 'LSOA code (2021)' and 'IDACI decile' */
  lookupLsoa?: string;
  lookupDecile?: string;
}

export interface PopulationOptions {
  population: string;
  idaciLookup: string;
  mapping?: PopulationMapping;
  /** census year the estimates stand for, when the file has no year column */
  year?: number;
  dialect?: CsvDialect;
}

export interface PopulationData {
  /** Long table: area, la, idaci_decile, age_band (AGE_BANDS), sex ('F', 'M', or 'all' when the file has persons only), year, population. */
  readonly table: ColumnTable;
  /** Every rule that fired, with file, physical line, field and value. */
  readonly findings: readonly Finding[];
  readonly exclusions: readonly Finding[];
  /** Per file: physical_lines (data lines), rows_read, rows_excluded, rows_merged, rows_analysed. */
  readonly dataFlow: readonly Record<string, number | string>[];
}

const DEFAULT_AGE = /^(?<sex>[FM])?(?<age>\d{1,2})\+?$/;
const BAND_OF = (age: number): number => (age < 5 ? 0 : age < 10 ? 1 : age < 16 ? 2 : 3);

/** Header names as ingestCsv will see them (first physical line, BOM dropped, declared delimiter; quotes stripped). */
function readHeader(file: string, delim: string, what: string): string[] {
  if (!fs.existsSync(file)) throw new DataError(`${what} not found: expected a file at ${file}`, { file });
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.alloc(1 << 16);
  const n = fs.readSync(fd, buf, 0, buf.length, 0);
  fs.closeSync(fd);
  const first = buf.subarray(0, n).toString('utf8').replace(/^\uFEFF/, '').split(/\r\n|\n|\r/)[0];
  // quote-aware split, as the ingest splits it ("LSOA name, 2021" is one column)
  const out: string[] = [];
  let cur = '', inQ = false;
  for (let i = 0; i < first.length; i++) {
    const c = first[i];
    if (inQ) { if (c === '"' && first[i + 1] === '"') { cur += c; i++; } else if (c === '"') inQ = false; else cur += c; }
    else if (c === '"') inQ = true;
    else if (c === delim) { out.push(cur.trim()); cur = ''; }
    else cur += c;
  }
  out.push(cur.trim());
  return out;
}

/**
 * Loads ONS-style small-area population estimates and an IDACI decile lookup.
 * Rules (each a finding naming file, line, field, value): count_not_numeric and count_negative
 * (row excluded), missing_code, duplicate_area (identical copies merged, conflicting copies all
 * excluded), not_in_lookup (excluded); in the lookup: decile_range (1–10 integers), duplicate_lookup
 * (same decile merged, different deciles all excluded). Only the age columns 0–17 are validated.
 * Throws DataError on a missing file or column, a missing age 0–17, or a broken accounting identity.
 */
export async function loadPopulation(options: PopulationOptions): Promise<PopulationData> {
  const m = options.mapping ?? {};
  const lsoaCol = m.lsoa ?? 'LSOA 2021 Code', laCol = m.la ?? 'LAD 2023 Code';
  const lkLsoa = m.lookupLsoa ?? 'LSOA code (2021)', lkDec = m.lookupDecile ?? 'IDACI decile';
  const P = options.population, L = options.idaciLookup;
  const delim = options.dialect?.delimiter ?? ',';
  const header = readHeader(P, delim, 'population estimates file');
  const ageRe = m.ageColumn ?? DEFAULT_AGE;
  const ages: { col: string; sex: string; age: number; field: string }[] = [];
  for (const h of header) {
    const g = ageRe.exec(h)?.groups;
    if (!g || g.age === undefined) continue;
    const age = Number(g.age);
    if (age <= 17) ages.push({ col: h, sex: g.sex ?? 'all', age, field: `a${ages.length}` });
  }
  // a file with both by-sex and persons columns: the by-sex ones are used (persons would double count)
  if (ages.some((a) => a.sex !== 'all') && ages.some((a) => a.sex === 'all')) ages.splice(0, ages.length, ...ages.filter((a) => a.sex !== 'all'));
  const sexes = Array.from(new Set(ages.map((a) => a.sex))).sort();
  if (!ages.length) throw new DataError(`population estimates file: no single-year-of-age columns match ${ageRe} in the header (${header.join(', ')}); pass mapping.ageColumn`, { file: P, row: 1 });
  for (const s of sexes) {
    const miss = [...Array(18).keys()].filter((a) => !ages.some((x) => x.sex === s && x.age === a));
    if (miss.length) throw new DataError(`population estimates file: ages ${miss.join(', ')}${s === 'all' ? '' : ` (sex ${s})`} have no column, so 0–17 cannot be summed`, { file: P, row: 1 });
  }
  const hasYear = m.year !== undefined && header.includes(m.year);
  if (!hasYear && options.year === undefined) throw new DataError(`population estimates file: no year column${m.year ? ` '${m.year}'` : ''} and no options.year; say which mid-year the estimates are for`, { file: P });
  const store = await Store.open(':memory:');
  try {
    await createFindings(store);
    const cols: Record<string, string> = { lsoa: lsoaCol, la: laCol, ...(hasYear ? { year: m.year as string } : {}) };
    for (const a of ages) cols[a.field] = a.col;
    const pr = await ingestCsv(store, { source: 'population', what: 'population estimates file', file: P, columns: cols, required: Object.keys(cols), dialect: options.dialect, table: 'pop' });
    const lr = await ingestCsv(store, { source: 'population', what: 'IDACI lookup file', file: L, columns: { lsoa: lkLsoa, decile: lkDec }, required: ['lsoa', 'decile'], dialect: options.dialect, table: 'lk' });
    const finding = async (table: string, file: string, field: string, value: string, rule: string, action: string, message: string, where: string): Promise<void> => {
      await store.exec(`INSERT INTO findings SELECT 'population', ${lit(file)}, line, ${lit(field)}, ${value}, ${lit(rule)}, ${lit(action)}, ${message}, NULL
        FROM ${table} t WHERE ${where} AND line NOT IN (SELECT line FROM findings WHERE file = ${lit(file)} AND action IN ('excluded', 'merged'))`);
    };
    // population: codes, then counts (thousands separators allowed: ONS tables print 1,234)
    const num = (f: string): string => `TRY_CAST(replace(${ident(f)}, ',', '') AS DOUBLE)`;
    await finding('pop', P, lsoaCol, `coalesce(lsoa, '')`, 'missing_code', 'excluded', `'line ' || line || ': the LSOA code is blank'`, `coalesce(lsoa, '') = ''`);
    if (hasYear) await finding('pop', P, m.year as string, `coalesce(year, '')`, 'year_not_numeric', 'excluded', `'line ' || line || ': year ''' || coalesce(year, '') || ''' is not a year'`, `TRY_CAST(year AS INTEGER) IS NULL`);
    for (const a of ages) {
      const f = ident(a.field);
      await finding('pop', P, a.col, `coalesce(${f}, '')`, 'count_not_numeric', 'warning', `'line ' || line || ': ${a.col.replace(/'/g, "''")} = ''' || coalesce(${f}, '') || ''' is not a count; the area is excluded'`, `${num(a.field)} IS NULL OR ${num(a.field)} <> floor(${num(a.field)})`);
      await finding('pop', P, a.col, `${f}`, 'count_negative', 'warning', `'line ' || line || ': ${a.col.replace(/'/g, "''")} = ' || ${f} || ' is negative; the area is excluded'`, `${num(a.field)} < 0`);
    }
    // a count finding excludes the row once; the per-field rows above say which fields
    await store.exec(`UPDATE findings SET action = 'excluded' WHERE file = ${lit(P)} AND rule IN ('count_not_numeric', 'count_negative')`);
    const popKept = `(SELECT * FROM pop WHERE line NOT IN (SELECT line FROM findings WHERE file = ${lit(P)} AND action IN ('excluded', 'merged')))`;
    const sig = ['la', ...(hasYear ? ['year'] : []), ...ages.map((a) => a.field)].map((f) => `coalesce(${ident(f)}, '')`).join(` || '|' || `);
    const dupKey = hasYear ? 'lsoa, year' : 'lsoa';
    await store.exec(`CREATE TEMP TABLE popd AS SELECT line, lsoa, count(*) OVER w AS n, count(DISTINCT s) OVER (PARTITION BY ${dupKey}) AS nsig, row_number() OVER (w ORDER BY line) AS k, min(line) OVER w AS first_line
      FROM (SELECT *, ${sig} AS s FROM ${popKept}) WINDOW w AS (PARTITION BY ${dupKey})`);
    await finding('popd', P, lsoaCol, 'lsoa', 'duplicate_area', 'merged', `'LSOA ' || lsoa || ' appears again (first at line ' || first_line || ') with the same counts; this copy is merged'`, `n > 1 AND nsig = 1 AND k > 1`);
    await finding('popd', P, lsoaCol, 'lsoa', 'duplicate_area', 'excluded', `'LSOA ' || lsoa || ' appears ' || n || ' times with different counts; which is right cannot be told, so every copy is excluded'`, `n > 1 AND nsig > 1`);
    // lookup: decile range, then copies
    await finding('lk', L, lkLsoa, `coalesce(lsoa, '')`, 'missing_code', 'excluded', `'line ' || line || ': the LSOA code is blank'`, `coalesce(lsoa, '') = ''`);
    await finding('lk', L, lkDec, `coalesce(decile, '')`, 'decile_range', 'excluded', `'line ' || line || ': IDACI decile ''' || coalesce(decile, '') || ''' is not an integer 1–10'`, `coalesce(TRY_CAST(decile AS DOUBLE) NOT IN (1,2,3,4,5,6,7,8,9,10), true)`);
    const lkKept = `(SELECT * FROM lk WHERE line NOT IN (SELECT line FROM findings WHERE file = ${lit(L)} AND action IN ('excluded', 'merged')))`;
    await store.exec(`CREATE TEMP TABLE lkd AS SELECT line, lsoa, decile, count(*) OVER w AS n, count(DISTINCT CAST(decile AS DOUBLE)) OVER w AS nd, row_number() OVER (w ORDER BY line) AS k, min(line) OVER w AS first_line
      FROM ${lkKept} WINDOW w AS (PARTITION BY lsoa)`);
    await finding('lkd', L, lkLsoa, 'lsoa', 'duplicate_lookup', 'merged', `'LSOA ' || lsoa || ' appears again (first at line ' || first_line || ') with the same decile; this copy is merged'`, `n > 1 AND nd = 1 AND k > 1`);
    await finding('lkd', L, lkLsoa, 'lsoa', 'duplicate_lookup', 'excluded', `'LSOA ' || lsoa || ' has ' || nd || ' different IDACI deciles in the lookup; every copy is excluded'`, `n > 1 AND nd > 1`);
    const lkFinal = `(SELECT lsoa, CAST(decile AS DOUBLE)::INTEGER AS decile FROM ${lkKept})`;
    await finding('pop', P, lsoaCol, 'lsoa', 'not_in_lookup', 'excluded', `'LSOA ' || lsoa || CASE WHEN lsoa IN (SELECT lsoa FROM lk) THEN ' has no usable IDACI decile in ${path.basename(L).replace(/'/g, "''")} (see its findings)' ELSE ' is not in ${path.basename(L).replace(/'/g, "''")}' END || '; no deprivation decile, so the area is excluded'`, `lsoa NOT IN (SELECT lsoa FROM ${lkFinal})`);
    // the long table: one row per area × sex × age band
    const yearExpr = hasYear ? 'TRY_CAST(p.year AS INTEGER)' : String(options.year);
    const parts: string[] = [];
    for (const s of sexes) {
      AGE_BANDS.forEach((band, b) => {
        const sum = ages.filter((a) => a.sex === s && BAND_OF(a.age) === b).map((a) => `CAST(replace(p.${ident(a.field)}, ',', '') AS DOUBLE)`).join(' + ');
        parts.push(`SELECT p.line, p.lsoa AS area, p.la, l.decile AS idaci_decile, ${lit(band)} AS age_band, ${b} AS band_index, ${lit(s)} AS sex, ${yearExpr} AS year, ${sum} AS population
          FROM ${popKept} p JOIN ${lkFinal} l ON l.lsoa = p.lsoa`);
      });
    }
    const out = await store.columns(`SELECT area, la, idaci_decile, age_band, sex, year, population FROM (${parts.join(' UNION ALL ')}) ORDER BY line, sex, band_index`);
    const table = aq.table({
      area: out.area as string[], la: out.la as string[], idaci_decile: (out.idaci_decile as number[]).map(Number),
      age_band: out.age_band as string[], sex: out.sex as string[], year: (out.year as number[]).map(Number), population: (out.population as number[]).map(Number),
    });
    const fr = await store.rows(`SELECT source, file, line, field, value, rule, action, message FROM findings ORDER BY file, line, field`);
    const findings = fr.map((r) => ({ ...r, line: r.line === null ? null : Number(r.line), value: String(r.value ?? '') })) as unknown as Finding[];
    const flow: Record<string, number | string>[] = [];
    for (const [file, r, analysedSql] of [[P, pr, `SELECT count(DISTINCT line) FROM ${popKept} p WHERE lsoa IN (SELECT lsoa FROM ${lkFinal})`], [L, lr, `SELECT count(*) FROM ${lkKept}`]] as const) {
      const c = await store.rows(`SELECT count(DISTINCT line) FILTER (WHERE action = 'excluded') AS ex, count(DISTINCT line) FILTER (WHERE action = 'merged') AS mg FROM findings WHERE file = ${lit(file)} AND line IS NOT NULL`);
      const ex = Number(c[0].ex), mg = Number(c[0].mg), an = Number(await store.scalar(analysedSql));
      const row = { source: path.basename(file), physical_lines: r.scan.lines - 1, rows_read: r.rowsRead, rows_excluded: ex, rows_merged: mg, rows_analysed: an };
      if (row.physical_lines !== row.rows_read || row.rows_read !== ex + mg + an) {
        throw new DataError(`loadPopulation: accounting identity broken: ${row.physical_lines} data lines, ${row.rows_read} read, ${an} analysed + ${ex} excluded + ${mg} merged`, { file });
      }
      flow.push(row);
    }
    return { table, findings, exclusions: findings.filter((f) => f.action === 'excluded'), dataFlow: flow };
  } finally {
    store.close();
  }
}
