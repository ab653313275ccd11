// Reading numbers out of rendered outputs: HTML tables, free text and strings inside figures.
// The checker does not trust tags alone, so everything here works on what a reader would see.

export interface HtmlCell {
  text: string;
  /** Cell carries data-sdc="count". */
  tagged: boolean;
  header: boolean;
  /**
   * Header carries data-sdc="name": the column is named after a row of the source table (a table
   * turned on its side, display/tableLayout), so what its cells hold is told by each row's label.
   */
  names?: boolean;
}

export interface HtmlTable {
  /** Parsed data-sdc-rules of the <table>, undefined if absent, null if unreadable. */
  rules: Record<string, unknown> | null | undefined;
  rawRules?: string;
  caption: string;
  headers: HtmlCell[];
  rows: HtmlCell[][];
}

export function decodeEntities(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#x27;/g, "'")
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

export function stripTags(s: string): string {
  return decodeEntities(s.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
}

function cellsOf(row: string): HtmlCell[] {
  const cells = row.match(/<t[hd]\b[^>]*>[\s\S]*?<\/t[hd]>/gi) ?? [];
  return cells.map((c) => {
    const open = c.match(/^<t[hd]\b[^>]*>/i)![0];
    const names = /data-sdc\s*=\s*["']?name\b/i.test(open);
    return { text: stripTags(c), tagged: /data-sdc\s*=\s*["']?count/i.test(open), header: /^<th/i.test(open), ...(names ? { names } : {}) };
  });
}

/** Every <table> in an HTML fragment, with header row, body rows and SDC attributes. */
export function parseTables(html: string): HtmlTable[] {
  const out: HtmlTable[] = [];
  for (const table of html.match(/<table\b[\s\S]*?<\/table>/gi) ?? []) {
    const open = table.match(/^<table\b[^>]*>/i)![0];
    const attr = open.match(/data-sdc-rules\s*=\s*"([^"]*)"/i) ?? open.match(/data-sdc-rules\s*=\s*'([^']*)'/i);
    let rules: HtmlTable['rules'];
    if (attr) {
      try {
        const parsed = JSON.parse(decodeEntities(attr[1]));
        rules = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : null;
      } catch {
        rules = null;
      }
    }
    const caption = stripTags(table.match(/<caption\b[^>]*>([\s\S]*?)<\/caption>/i)?.[1] ?? '');
    const rowsHtml = table.match(/<tr\b[^>]*>[\s\S]*?<\/tr>/gi) ?? [];
    const rows = rowsHtml.map(cellsOf);
    let headers: HtmlCell[] = [];
    const body: HtmlCell[][] = [];
    for (const r of rows) {
      if (headers.length === 0 && r.length > 0 && r.every((c) => c.header)) headers = r;
      else if (r.length > 0) body.push(r);
    }
    out.push({ rules, rawRules: attr?.[1], caption, headers, rows: body });
  }
  return out;
}

/** Plain text of an HTML fragment outside its tables and scripts (captions, notes, paragraphs). */
export function htmlProse(html: string): string {
  return stripTags(html.replace(/<script\b[\s\S]*?<\/script>/gi, ' ').replace(/<style\b[\s\S]*?<\/style>/gi, ' ').replace(/<table\b[\s\S]*?<\/table>/gi, ' '));
}

/** Plotly figures embedded in an HTML fallback (`var fig = {...};` as kernel-helpers' plot writes). */
export function embeddedFigures(html: string): unknown[] {
  const figs: unknown[] = [];
  const re = /\bvar\s+fig\s*=\s*/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(html)) !== null) {
    const start = m.index + m[0].length;
    const end = matchingBrace(html, start);
    if (end < 0) continue;
    try {
      figs.push(JSON.parse(html.slice(start, end + 1).replace(/<\\\//g, '</')));
    } catch {
      /* not JSON: the checker reports the figure via its JSON mime type, if any */
    }
  }
  return figs;
}

function matchingBrace(s: string, start: number): number {
  if (s[start] !== '{') return -1;
  let depth = 0;
  let inStr = false;
  for (let i = start; i < s.length; i++) {
    const ch = s[i];
    if (inStr) {
      if (ch === '\\') i++;
      else if (ch === '"') inStr = false;
    } else if (ch === '"') inStr = true;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return i;
  }
  return -1;
}

export interface ShownNumber {
  value: number;
  /** Digits after the decimal point as printed. */
  decimals: number;
  percent: boolean;
  raw: string;
}

// A sign is ASCII '-' or U+2212 (the library's typographic minus, display/numbers), in the exponent too.
const NUMBER = /(?<![\w.])[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:e[-+−]?\d+)?\s*%?/gi;

/** Every number printed in a string, with whether it is a percentage. */
export function numbersIn(text: string): ShownNumber[] {
  const out: ShownNumber[] = [];
  for (const m of text.matchAll(NUMBER)) {
    const raw = m[0].trim();
    const percent = raw.endsWith('%');
    const body = raw.replace(/%$/, '').trim().replace(/,/g, '').replace(/−/g, '-');
    const value = Number(body);
    if (!Number.isFinite(value)) continue;
    const dot = body.indexOf('.');
    out.push({ value, decimals: dot < 0 ? 0 : body.length - dot - 1, percent, raw });
  }
  return out;
}

/** A cell that is one number and nothing else (thousands separators allowed), or null. */
export function soleNumber(text: string): number | null {
  const t = text.trim().replace(/,/g, '');
  if (!/^[-−]?\d+(\.\d+)?$/.test(t)) return null;
  return Number(t.replace(/−/g, '-'));
}

const COUNT_NOUN = String.raw`(?:episodes?|children|child|pupils?|referrals?|re-referrals?|events?|cases?|people|persons?|young people|records?|families|households|assessments?|plans?|placements?|individuals?|learners?|students?|deaths?|rows?|contributors?|respondents?|girls?|boys?|carers?|parents?|adults?|members?)`;

/** Counts stated in prose: "7 episodes", "n = 3", "n at risk = 3", "3 of 40", "events: 4". */
export function countPhrases(text: string): Array<{ value: number; phrase: string }> {
  const out: Array<{ value: number; phrase: string }> = [];
  const num = String.raw`(\d{1,3}(?:,\d{3})+|\d+)(?![.\d])`;
  const patterns = [
    new RegExp(String.raw`(?<![\w.,])(?<!\b(?:attainment|stage|year|level|progress|class|decile|quintile|table|figure|model|cell|step|version|ks|wave|grade|key stage|m) )${num} (?:[a-z-]+ )?${COUNT_NOUN}\b`, 'gi'),
    new RegExp(String.raw`\b(?:n|N|count|total|number(?: at risk)?|n at risk|at risk|events?|episodes|children|pupils|frequency|freq|denominator|numerator)["']?[ \t]*(?:=|:|was|is|of)[ \t]*${num}`, 'g'),
    new RegExp(String.raw`(?<![\w.,])${num} (?:of|out of|in) (?:the )?${num} (?:[a-z-]+ ){0,2}?${COUNT_NOUN}\b`, 'gi'),
  ];
  for (const re of patterns) {
    for (const m of text.matchAll(re)) {
      for (const g of m.slice(1)) if (g !== undefined) out.push({ value: Number(g.replace(/,/g, '')), phrase: m[0].trim() });
    }
  }
  return out;
}

/** Column or row labels whose numbers are counts (or count-like magnitudes). */
export const COUNT_LABEL = /(^|[^a-z])(n|count|counts|freq|frequency|number|no\.|total|totals|episodes|children|pupils|referrals|re-referrals|events|cases|people|persons|records|rows|at risk|n at risk|deaths|observations|obs|contributors|respondents|families|households|assessments|plans|placements|sample size|size|denominator|numerator)([^a-z]|$)/i;
export const PERSON_TIME_LABEL = /person[-\s_]?(time|years?|days?|months?|weeks?)|episode[-\s_]?(years?|days?|months?)|child[-\s_]?(years?|days?)|exposure|pyears|time at risk/i;
/** Labels of accuracy checks against known truth (synthetic data), not of records' values. */
export const TRUTH_LABEL = /truth|true |error|bias|differen|−|\|/i;
export const MIN_MAX_LABEL = /(^|[^a-z])(min|max|minimum|maximum|oldest|youngest|highest|lowest|earliest|latest|smallest|largest|range)([^a-z]|$)/i;
// "share" as a word: a "Shared frailty" column holds no percentages.
export const PERCENT_LABEL = /%|percent|pct|(^|[^a-z])shares?([^a-z]|$)|proportion|rate \(%\)/i;
export const CI_LABEL = /\bci\b|conf|interval|lower|upper|low|high|se\b|std/i;
export const MEAN_LABEL = /(^|[^a-z])(mean|average|avg|median|sd|total score|sum)([^a-z]|$)/i;
export const TOTAL_ROW = /^(all|total|totals|overall|all episodes|all children|all pupils|england|grand total)\b/i;
export const DF_LABEL = /(^|[^a-z])(residual df|df\.residual|df residual|resid(?:ual)? df|events per (?:coefficient|parameter|variable)|epv)([^a-z]|$)/i;

/** A value shaped like a person identifier: an alphanumeric code with a long digit run,
 *  UPN-like, or a full date (possible date of birth). ONS area codes (E09000001) are excluded. */
export function isIdentifierValue(v: string): boolean {
  const s = v.trim();
  if (s.length < 6 || s.length > 40) return false;
  if (/^[EWSNK]\d{8}$/.test(s)) return false;
  if (/^[A-Z]\d{11}[0-9A-Z]$/.test(s)) return true; // UPN
  if (/^\d{4}-\d{2}-\d{2}$/.test(s) || /^\d{2}\/\d{2}\/\d{4}$/.test(s)) return true;
  if (/^[A-Za-z]{1,4}[-_]?\d{5,}$/.test(s)) return true;
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(s)) return true; // uuid
  if (/^\d{7,}$/.test(s)) return true;
  return false;
}

/** Column names that identify a child, pupil, episode or date of birth. */
const IDENTIFIER_EXACT = /^(id|ids|upn|pmr|dob|date[_ .]?of[_ .]?birth|birth[_ .]?date|postcode|name|surname|pupil[_ .]?matching[_ .]?ref(erence)?|unique[_ .]?pupil[_ .]?number|nhs[_ .]?number)$/i;
const IDENTIFIER_KEYED = /^(child|pupil|person|la[_ .]?child|episode|referral|assessment|cin|cla|npd|case|record|student|learner)[_ .-]?(id|key|ref|number|no)$/i;

/** True when a column name identifies a child, pupil, episode or birth date (such columns must never appear in an output). */
export function isIdentifierColumn(name: string): boolean {
  const n = name.trim();
  return IDENTIFIER_EXACT.test(n) || IDENTIFIER_KEYED.test(n);
}

export const TEXT_IDENTIFIER = /(["']?)\b(child_?id|pupil_?id|la_child_id|upn|pmr|pupil_matching_ref(erence)?|date_of_birth|dob|episode_?id|person_?id)\1\s*[:=│|]/i;

/** Tables printed as text (console.table's box drawing, markdown pipes): header row and body rows,
 *  in the shape the HTML table check reads. */
export function textTables(text: string): HtmlTable[] {
  const out: HtmlTable[] = [];
  let block: string[][] = [];
  const flush = () => {
    if (block.length >= 2) {
      const [head, ...body] = block;
      out.push({ rules: undefined, caption: '', headers: head.map((t) => ({ text: t, tagged: false, header: true })), rows: body.map((r) => r.map((t) => ({ text: t, tagged: false, header: false }))) });
    }
    block = [];
  };
  for (const line of text.split('\n')) {
    if (/^[\s─┌┐└┘├┤┬┴┼│|:=+-]+$/.test(line) && line.trim() !== '') continue; // rule lines
    const sep = line.includes('│') ? '│' : line.includes('|') ? '|' : null;
    if (!sep) {
      flush();
      continue;
    }
    const cells = line.split(sep).map((c) => c.trim().replace(/^'(.*)'$/, '$1'));
    if (cells[0] === '') cells.shift();
    if (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
    if (cells.length >= 2) block.push(cells);
  }
  flush();
  return out;
}
