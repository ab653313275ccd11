/**
 * Term labels from a data dictionary, as gtsummary/modelsummary label model terms: the model's
 * column names (`pathwayCIN plan`, `sexM`, `class02`, `csc_exposure:fsm1`) become the variable's
 * label, its unit, and the level's label from a code list.
 *
 * A term is matched to the longest dictionary (or factor) name it starts with; the rest is the
 * level. Interactions (`a:b`) are labelled part by part and joined with " × ".
 */

import type { TableLabels } from '../display/html';

export interface VariableEntry {
  /** Shown for the variable, e.g. "Age at referral". */
  readonly label: string;
  /** Unit of a continuous variable, shown after the label, e.g. "years". */
  readonly unit?: string;
  /** Code list: level code → label, e.g. { M: 'Male', F: 'Female' }. */
  readonly levels?: Readonly<Record<string, string>>;
}

export type DataDictionary = Readonly<Record<string, VariableEntry>>;

export interface TermLabel {
  /** Variable (or `a:b` for an interaction) the term belongs to. */
  readonly variable: string;
  /** Level code for a factor term, null for a continuous one. */
  readonly level: string | null;
  /** Variable label with unit, e.g. "Age at referral (years)". */
  readonly variableLabel: string;
  /** Level label ("Male") or, for a continuous term, the variable label. */
  readonly label: string;
}

/** The dictionary label of a variable, with its unit in brackets; the name itself when it has no entry. */
export function variableLabel(name: string, dict: DataDictionary): string {
  const e = dict[name];
  if (!e) return name;
  return e.unit ? `${e.label} (${e.unit})` : e.label;
}

/** The dictionary label of a factor level; the level itself when it has none. */
export function levelLabel(variable: string, level: string, dict: DataDictionary): string {
  return dict[variable]?.levels?.[level] ?? level;
}

function labelPart(part: string, dict: DataDictionary, knownVariables: readonly string[]): TermLabel {
  const names = Array.from(new Set([...Object.keys(dict), ...knownVariables])).sort((a, b) => b.length - a.length);
  const variable = names.find((n) => part === n) ?? names.find((n) => part.startsWith(n));
  if (!variable) return { variable: part, level: null, variableLabel: part, label: part };
  const vLabel = variableLabel(variable, dict);
  if (variable === part) return { variable, level: null, variableLabel: vLabel, label: vLabel };
  const level = part.slice(variable.length);
  return { variable, level, variableLabel: vLabel, label: levelLabel(variable, level, dict) };
}

/**
 * Labels one model term. `knownVariables` are the model's factor columns (so that a term is split
 * correctly even when the dictionary has no entry for its variable).
 */
export function labelTerm(term: string, dict: DataDictionary = {}, knownVariables: readonly string[] = []): TermLabel {
  if (term === '(Intercept)') return { variable: term, level: null, variableLabel: 'Intercept', label: 'Intercept' };
  // cox.zph's joint test of all terms (R labels its row GLOBAL)
  if (term === 'GLOBAL') return { variable: term, level: null, variableLabel: 'Global test (all terms)', label: 'Global test (all terms)' };
  const parts = term.split(':').map((p) => labelPart(p, dict, knownVariables));
  if (parts.length === 1) return parts[0];
  const label = parts.map((p) => (p.level === null ? p.variableLabel : `${p.variableLabel}: ${p.label}`)).join(' × ');
  return { variable: parts.map((p) => p.variable).join(':'), level: null, variableLabel: label, label };
}

/**
 * Rows (broom-style, with a `term` column) with each term replaced by its readable label, for
 * figures and ad hoc tables: "Pathway after assessment: Child in need plan" for a factor level, the
 * variable label for a numeric term ("IDACI decile (per decile)"). The raw name is kept in
 * `term_raw`, unless `raw: false` (for a table shown to readers, where it would be noise).
 */
export function labelTerms<R extends object>(rows: readonly R[], dict?: DataDictionary): Array<R & { term: string; term_raw: string }>;
export function labelTerms<R extends object>(rows: readonly R[], dict: DataDictionary, o: { raw: false }): Array<R & { term: string }>;
export function labelTerms<R extends object>(rows: readonly R[], dict: DataDictionary = {}, o: { raw?: boolean } = {}): Array<R & { term: string; term_raw?: string }> {
  return rows.map((r) => {
    const raw = String((r as { term?: unknown }).term);
    const l = labelTerm(raw, dict);
    const term = l.level === null ? l.label : `${l.variableLabel}: ${l.label}`;
    return o.raw === false ? { ...r, term } : { ...r, term, term_raw: raw };
  });
}

/**
 * A term part's label when the dictionary really names it: the variable itself, one of its coded
 * levels, or (a variable without a code list) a level that reads as a code ("class02",
 * "laE09000001"); null for text that only happens to start with a variable's name ("sensitivity").
 */
function knownPart(part: string, dict: DataDictionary): TermLabel | null {
  if (part === '(Intercept)') return labelTerm(part, dict);
  const l = labelPart(part, dict, []);
  if (!(l.variable in dict)) return null;
  if (l.level === null) return l;
  const levels = dict[l.variable].levels;
  return (levels ? l.level in levels : /^[^a-z\s]/.test(l.level)) ? l : null;
}

/** A model term as a reader's label ("Pathway after assessment: Child protection plan"), or undefined when the dictionary does not name every part. */
function termText(term: string, dict: DataDictionary): string | undefined {
  if (/\s/.test(term)) return undefined;
  const parts = term.split(':').map((p) => knownPart(p, dict));
  if (parts.some((p) => p === null)) return undefined;
  const l = labelTerm(term, dict);
  return l.level === null ? l.label : `${l.variableLabel}: ${l.label}`;
}

/** A random-effect term inside a header: "intercept", else the variable's label without its unit. */
function randomTerm(t: string, dict: DataDictionary): string {
  return t === '(Intercept)' ? 'intercept' : dict[t]?.label ?? t;
}

/**
 * The labels every table renderer applies (display's TableLabels) from a data dictionary, so that
 * tables built outside modelTable (tidy() and glance() rows, truth tables, group summaries) read
 * as the publication tables do: a `term` column's model terms labelled as labelTerms labels them
 * ("deprivation" → "Deprivation (per SD)"), lme4-style variance columns `sd.<term>` and
 * `cor.<a>.<b>` as "SD (Deprivation)" and "Correlation (intercept, Deprivation)", a column named
 * after a variable by the variable's label ("csc_exposure" → "CSC exposure"), and that column's
 * codes by the code list ("CIN" → "Child in need"). What the dictionary does not name is left alone.
 */
export function dictionaryLabels(dict: DataDictionary): TableLabels {
  return {
    term: (t) => termText(t, dict),
    column: (name) => {
      if (dict[name]) return dict[name].label;
      const sd = /^sd\.(\(Intercept\)|.+)$/.exec(name);
      if (sd && (sd[1] === '(Intercept)' || dict[sd[1]])) return `SD (${randomTerm(sd[1], dict)})`;
      const cor = /^cor\.(\(Intercept\)|[^.]+)\.(.+)$/.exec(name);
      if (cor && [cor[1], cor[2]].every((x) => x === '(Intercept)' || dict[x])) return `Correlation (${randomTerm(cor[1], dict)}, ${randomTerm(cor[2], dict)})`;
      return undefined;
    },
    value: (column, v) => dict[column]?.levels?.[v],
  };
}
