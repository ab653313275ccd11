// Day numbers of src/data/dates against JavaScript's own calendar (Date.UTC), an independent
// implementation of the proleptic Gregorian calendar; census years end on 31 March.
import { describe, expect, it } from 'vitest';
import { birthdayDay, censusYearOfDay, civilFromDay, dayFromCivil, isoFromDay, parseDay } from '../../src/data/dates';

const DAY_MS = 86_400_000;

describe('dayFromCivil / civilFromDay / isoFromDay', () => {
  it('agree with Date.UTC on every day from 1899 to 2101', () => {
    const base = dayFromCivil(1970, 1, 1);
    for (let t = Date.UTC(1899, 0, 1); t <= Date.UTC(2101, 0, 1); t += DAY_MS) {
      const d = new Date(t);
      const z = dayFromCivil(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
      if (z - base !== t / DAY_MS) throw new Error(`dayFromCivil differs at ${d.toISOString()}`);
      const [y, m, dd] = civilFromDay(z);
      if (y !== d.getUTCFullYear() || m !== d.getUTCMonth() + 1 || dd !== d.getUTCDate()) throw new Error(`civilFromDay differs at ${d.toISOString()}`);
    }
    expect(isoFromDay(dayFromCivil(2020, 2, 29))).toBe('2020-02-29');
  });
});

describe('parseDay', () => {
  it('reads ISO and UK dates, rejects impossible ones, and returns null for blank', () => {
    expect(parseDay('2019-03-31')).toBe(dayFromCivil(2019, 3, 31));
    expect(parseDay('31/03/2019')).toBe(dayFromCivil(2019, 3, 31));
    expect(parseDay('2019-03-31T10:00:00')).toBe(dayFromCivil(2019, 3, 31));
    expect(parseDay('2019-02-29')).toBeNaN();
    expect(parseDay('2020-02-29')).toBe(dayFromCivil(2020, 2, 29));
    expect(parseDay('31/04/2019')).toBeNaN();
    expect(parseDay('2019-13-01')).toBeNaN();
    expect(parseDay('  ')).toBeNull();
    expect(parseDay(null)).toBeNull();
  });
});

describe('census year and birthdays', () => {
  it('census year is the year ending 31 March', () => {
    expect(censusYearOfDay(dayFromCivil(2020, 3, 31))).toBe(2020);
    expect(censusYearOfDay(dayFromCivil(2020, 4, 1))).toBe(2021);
  });
  it('a 29 February birthday falls on 1 March in a non-leap year', () => {
    expect(birthdayDay(dayFromCivil(2004, 2, 29), 18)).toBe(dayFromCivil(2022, 3, 1));
    expect(birthdayDay(dayFromCivil(2004, 2, 29), 16)).toBe(dayFromCivil(2020, 2, 29));
    expect(birthdayDay(dayFromCivil(2001, 7, 15), 18)).toBe(dayFromCivil(2019, 7, 15));
  });
});
