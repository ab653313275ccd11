/**
 * Calendar helpers on integer day numbers (days since 1970-01-01, proleptic Gregorian, no time zone).
 * Pure integer arithmetic (Hinnant's civil-from-days), so results do not depend on the host's TZ.
 */
export function dayFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** day number -> [year, month, day] */
export function civilFromDay(z: number): [number, number, number] {
  const zz = z + 719468;
  const era = Math.floor(zz / 146097);
  const doe = zz - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const y = yoe + era * 400;
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [m <= 2 ? y + 1 : y, m, d];
}

function digits(s: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

// ISO strings for 1900-01-01..2099-12-31 are made once and shared: tables hold millions of dates
// over a few thousand distinct days, and one string per cell is most of their memory.
const ISO_CACHE_FROM = -25567; // 1900-01-01
const ISO_CACHE_SIZE = 73049;  // through 2099-12-31
const isoCache: Array<string | undefined> = new Array(ISO_CACHE_SIZE);

/** 'YYYY-MM-DD' of day number z (days since 1970-01-01, proleptic Gregorian); strings for 1900–2099 are cached and shared. */
export function isoFromDay(z: number): string {
  const k = z - ISO_CACHE_FROM;
  if (k >= 0 && k < ISO_CACHE_SIZE && (k | 0) === k) {
    const hit = isoCache[k];
    if (hit !== undefined) return hit;
  }
  const [y, m, d] = civilFromDay(z);
  const s = `${y}-${pad2(m)}-${pad2(d)}`;
  if (k >= 0 && k < ISO_CACHE_SIZE && (k | 0) === k) isoCache[k] = s;
  return s;
}

/**
 * Parse an ISO date (YYYY-MM-DD, optionally followed by a time) or DD/MM/YYYY into a day number.
 * Returns null for an empty string; NaN for text that is not a valid date.
 */
export function parseDay(text: string | null | undefined): number | null {
  if (text == null) return null;
  const s = text.trim();
  if (s === '') return null;
  let y: number, m: number, d: number;
  // fast path for YYYY-MM-DD without allocating (extracts hold millions of dates)
  if (s.length === 10 && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45) {
    y = digits(s, 0, 4); m = digits(s, 5, 7); d = digits(s, 8, 10);
    if (y >= 0 && m >= 1 && m <= 12 && d >= 1 && d <= 31) {
      const z0 = dayFromCivil(y, m, d);
      if (d <= 28 || civilFromDay(z0)[2] === d) return z0;
    }
    return NaN;
  }
  let match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(s);
  if (match) {
    y = +match[1]; m = +match[2]; d = +match[3];
  } else if ((match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s))) {
    d = +match[1]; m = +match[2]; y = +match[3];
  } else return NaN;
  if (m < 1 || m > 12 || d < 1 || d > 31) return NaN;
  const z = dayFromCivil(y, m, d);
  const back = civilFromDay(z);
  if (back[1] !== m || back[2] !== d) return NaN;
  return z;
}

/** census (collection) year containing day z: the year ending 31 March, e.g. 2020-04-01..2021-03-31 -> 2021 */
export function censusYearOfDay(z: number): number {
  const [y, m] = civilFromDay(z);
  return m >= 4 ? y + 1 : y;
}

/** the day a child born on `birthDay` turns `years` old (29 Feb births -> 1 March in non-leap years) */
export function birthdayDay(birthDay: number, years: number): number {
  const [y, m, d] = civilFromDay(birthDay);
  const z = dayFromCivil(y + years, m, d);
  return z;
}
