/** The SQL building blocks: the declared date format (never guessed), census years, the ethnic-group and sex codings. */
import { describe, it, expect } from 'vitest';
import { Store } from '../../../src/data/store/db';
import { createMacros, sqlList } from '../../../src/data/store/sql';
import { ethnicGroup } from '../../../src/data/codes';

async function withMacros<T>(format: Parameters<typeof createMacros>[1], f: (s: Store) => Promise<T>): Promise<T> {
  const s = await Store.open(':memory:');
  try { await createMacros(s, format); return await f(s); } finally { s.close(); }
}

describe('createMacros', () => {
  it('reads only the declared date format: 03/05/2017 is refused under ISO, 3 May under d/m/y, 5 March under m/d/y', async () => {
    const q = `SELECT iso(pdate('2017-05-03')) AS a, iso(pdate('03/05/2017')) AS b, baddate('03/05/2017') AS bad, baddate('') AS blank, datewhy('03/05/2017') AS why`;
    const iso = (await withMacros('YYYY-MM-DD', (s) => s.rows(q)))[0];
    expect(iso).toMatchObject({ a: '2017-05-03', b: null, bad: true, blank: false });
    expect(String(iso.why)).toMatch(/ambiguous.*not guessed/);
    expect((await withMacros('DD/MM/YYYY', (s) => s.rows(q)))[0]).toMatchObject({ a: null, b: '2017-05-03' });
    expect((await withMacros('MM/DD/YYYY', (s) => s.rows(q)))[0]).toMatchObject({ b: '2017-03-05' });
  });

  it('refuses impossible calendar dates and names a date-time as such', async () => {
    const r = (await withMacros('YYYY-MM-DD', (s) => s.rows(`SELECT pdate('2019-02-30') AS d, datewhy('2019-02-03T10:00:00Z') AS why`)))[0];
    expect(r.d).toBeNull();
    expect(String(r.why)).toMatch(/time of day and a time zone offset/);
  });

  it('with d/m/y or m/d/y declared, a value that is no calendar day in that order is refused without telling the user to declare what they declared (kind: date_ambiguous_us)', async () => {
    const q = `SELECT pdate('09/16/2017') AS us, datewhy('09/16/2017') AS us_why, pdate('31/04/2017') AS apr31, datewhy('31/04/2017') AS apr31_why`;
    const dmy = (await withMacros('DD/MM/YYYY', (s) => s.rows(q)))[0];
    expect(dmy).toMatchObject({ us: null, apr31: null });
    expect(String(dmy.us_why)).toMatch(/DD\/MM\/YYYY.*month 16 does not exist.*other day\/month order/);
    expect(String(dmy.us_why)).not.toMatch(/declare dateFormat/);
    expect(String(dmy.apr31_why)).toMatch(/that day does not exist in that month/);
    const mdy = (await withMacros('MM/DD/YYYY', (s) => s.rows(`SELECT datewhy('16/09/2017') AS why`)))[0];
    expect(String(mdy.why)).toMatch(/MM\/DD\/YYYY.*month 16 does not exist/);
  });

  it('census years: YYYY, YYYY/YY and YYYY-YYYY give the year ending 31 March; a date gives the census year holding it', async () => {
    const r = (await withMacros('YYYY-MM-DD', (s) => s.rows(`SELECT cyear('2020') AS a, cyear('2019/20') AS b, cyear('2019-2020') AS c, cyear('20') AS d,
      cy_of(DATE '2020-03-31')::INTEGER AS e, cy_of(DATE '2020-04-01')::INTEGER AS f`)))[0];
    expect(r).toEqual({ a: 2020, b: 2020, c: 2020, d: null, e: 2020, f: 2021 });
  });

  it('ethnic groups as codes.ts ethnicGroup gives them; sex codes 1/2/0/9 and M/F/U to M/F/U', async () => {
    const codes = ['WBRI', 'MWBC', 'APKN', 'BAFR', 'CHNE', 'OOTH', 'REFU', 'NOBT', '', 'XXXX'];
    const r = await withMacros('YYYY-MM-DD', (s) => s.columns(`SELECT c, eth_group(c) AS g FROM (SELECT unnest(${sqlList(codes)}) AS c)`));
    expect(r.g).toEqual((r.c as string[]).map((c) => ethnicGroup(c)));
    const sx = await withMacros('YYYY-MM-DD', (s) => s.columns(`SELECT sex_mfu(x) AS m FROM (SELECT unnest(['1', '2', '0', '9', 'm', 'F', 'U', '3']) AS x)`));
    expect(sx.m).toEqual(['M', 'F', 'U', 'U', 'M', 'F', 'U', null]);
  });

  it('rejects a date format it does not know', async () => {
    const s = await Store.open(':memory:');
    await expect(createMacros(s, 'DD.MM.YYYY' as never)).rejects.toThrow(/dateFormat must be one of/);
    s.close();
  });
});

describe('sqlList', () => {
  it('quotes each code as an SQL literal', () => {
    expect(sqlList(['A', "O'B"])).toBe(`['A', 'O''B']`);
  });
});
