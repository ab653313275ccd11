/**
 * The one place that turns the machine names of shown columns into headers a reader expects:
 * broom's tidy/glance names (std.error → "SE", p.value → "p", conf.low + conf.high → one "95% CI"
 * column), survival names (hazard.ratio → "HR", n.risk → "At risk") and data columns in
 * snake_case (rows_read → "Rows read", idaci_decile → "IDACI decile"). A header that is already
 * written for reading ("% by 1y", "SD of relative hazard") is kept as it is.
 *
 * Tables keep their machine names (ProtectedTable.columns, the checker's tags); only what is
 * rendered (tableHtml, tableText, figure axis titles) goes through here.
 */

/** Names whose reading form is not their words capitalised. */
const KNOWN: Readonly<Record<string, string>> = {
  term: 'Term', estimate: 'Estimate', 'std.error': 'SE', 'robust.se': 'Robust SE', statistic: 'Statistic',
  'p.value': 'p', p_value: 'p', pvalue: 'p', 'p.adjusted': 'p (adjusted)', 'p.adj': 'p (adjusted)',
  'conf.low': '95% CI (lower)', 'conf.high': '95% CI (upper)',
  'hazard.ratio': 'HR', 'hr.conf.low': 'HR 95% CI (lower)', 'hr.conf.high': 'HR 95% CI (upper)',
  'odds.ratio': 'OR', 'or.conf.low': 'OR 95% CI (lower)', 'or.conf.high': 'OR 95% CI (upper)',
  'exp.estimate': 'exp(Estimate)', 'exp(coef)': 'exp(coef)',
  n: 'N', nobs: 'N', 'n.obs': 'N', 'n.event': 'Events', nevent: 'Events', n_event: 'Events', 'n.risk': 'At risk', 'n.censor': 'Censored',
  df: 'df', 'df.residual': 'Residual df', chisq: 'χ²', 'chi.sq': 'χ²', loglik: 'Log-likelihood', logLik: 'Log-likelihood',
  aic: 'AIC', bic: 'BIC', AIC: 'AIC', BIC: 'BIC', deviance: 'Deviance', 'null.deviance': 'Null deviance',
  'r.squared': 'R²', 'adj.r.squared': 'Adjusted R²', sigma: 'Residual SD',
  p: 'p', P: 'p', pct: '%', k: 'K', nParams: 'Parameters', sabic: 'SABIC', caic: 'CAIC', 'logLik.lme4': 'Log-likelihood (lme4)',
  'n.groups': 'Groups', 'n.clusters': 'Clusters', 'df.null': 'Null df', 'vcov.type': 'Variance', 'pearson.chisq': 'Pearson χ²',
  nAGQ: 'Quadrature points (nAGQ)', 'deviance.conditional': 'Conditional deviance', 'theta.se': 'SE of θ', theta: 'θ', 'sd.random': 'SD (random intercept)', 'sd.random.se': 'SE of SD (random intercept)',
  'change.prev': 'Change from previous stage', 'pct.change.prev': '% change from previous stage',
  'change.first': 'Change from first stage', 'pct.change.first': '% change from first stage',
  // NPD attainment measures (KS2, KS4)
  att8: 'Attainment 8', p8: 'Progress 8', read_score: 'Reading scaled score', maths_score: 'Maths scaled score',
  gps_score: 'GPS scaled score', rwm_expected: 'Expected standard in RWM',
};

/** Summaries of a column named in the header ("mean read_score", "% rwm_expected"). */
const SUMMARY = /^(mean|median|sd|min|max|total|%|n) (\S+)$/i;

/** Words written in capitals (acronyms of the field) when a snake_case name is read out. */
const ACRONYMS: Readonly<Record<string, string>> = {
  idaci: 'IDACI', la: 'LA', las: 'LAs', cin: 'CIN', cpp: 'CPP', cla: 'CLA', fsm: 'FSM', sen: 'SEN', eal: 'EAL',
  ks1: 'KS1', ks2: 'KS2', ks4: 'KS4', ehc: 'EHC', hr: 'HR', se: 'SE', ci: 'CI', id: 'ID', sd: 'SD', icc: 'ICC',
  aic: 'AIC', bic: 'BIC', lca: 'LCA', bch: 'BCH', pwp: 'PWP', nfa: 'NFA', ari: 'ARI', npd: 'NPD', lsoa: 'LSOA',
  ssda903: 'SSDA903', dfe: 'DfE', csc: 'CSC', ks: 'KS', p8: 'P8', lac: 'LAC', imd: 'IMD', n: 'N', pct: '%', uasc: 'UASC', lrt: 'LRT', ml: 'ML', reml: 'REML',
};

/** A machine name: lower-case words joined by '_' or '.' (rows_read, std.error, idaci_decile, episodes). */
const MACHINE = /^[a-z][a-z0-9]*([._][a-z0-9]+)*$/;

/** The header shown for column `name` (see the file comment); names written for reading come back unchanged. */
export function columnHeader(name: string): string {
  const known = KNOWN[name];
  if (known !== undefined) return known;
  const summary = SUMMARY.exec(name);
  if (summary && (KNOWN[summary[2]] !== undefined || MACHINE.test(summary[2]))) {
    const what = columnHeader(summary[2]);
    // "Mean reading scaled score", but "Mean Attainment 8" (a measure's name) and "Mean IDACI decile".
    const lower = /^[A-Z][a-z]/.test(what) && !/^(Attainment|Progress) \d/.test(what) ? what.charAt(0).toLowerCase() + what.slice(1) : what;
    return `${summary[1] === '%' ? '%' : summary[1].charAt(0).toUpperCase() + summary[1].slice(1).toLowerCase()} ${lower}`;
  }
  // lme4-style variance parameters of a glance row: sd.(Intercept), sd.x, cor.(Intercept).x
  const sd = /^sd\.(.+)$/.exec(name);
  if (sd && !MACHINE.test(name)) return `SD (${termWord(sd[1])})`;
  const cor = /^cor\.(\(Intercept\)|[^.]+)\.(.+)$/.exec(name);
  if (cor) return `Correlation (${termWord(cor[1])}, ${termWord(cor[2])})`;
  if (!MACHINE.test(name)) {
    // A header written in words but in lower case ("key stage", "rate %", "follow-up ends at") starts
    // with a capital, as every other header does; p-value columns and symbols keep their case.
    return /^[a-z][a-z-]*[\s-]/.test(name) && !isPHeader(name) ? name.charAt(0).toUpperCase() + name.slice(1) : name;
  }
  if (/^sd\./.test(name)) return `SD (${termWord(name.slice(3))})`;
  const words = name.split(/[._]/).map((w) => ACRONYMS[w] ?? w);
  const first = words[0];
  words[0] = first === first.toLowerCase() ? first.charAt(0).toUpperCase() + first.slice(1) : first;
  return words.join(' ');
}

/** A model term inside a header: "(Intercept)" → "intercept", other names as they are. */
function termWord(t: string): string {
  return t === '(Intercept)' ? 'intercept' : t;
}

/** "p", "p (frailty)", "p.value …": headers that name a p-value keep their lower-case p. */
function isPHeader(name: string): boolean {
  return /^p([._]value)?(\s|$)/.test(name);
}

/**
 * Codes that model summaries and pooled rows carry, in the words a reader expects: R's family names,
 * the variance types of the one result protocol, and the pooled row of a by-year table. A code not
 * listed (and every other column) is shown as it is.
 */
const VALUE_LABELS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  family: { negbin: 'Negative binomial (NB2)', poisson: 'Poisson', binomial: 'Binomial', gaussian: 'Gaussian' },
  'vcov.type': {
    model: 'Model-based', hessian: 'Observed information (Hessian)', classical: 'Classical', cluster: 'Cluster-robust',
    HC0: 'Robust (HC0)', HC1: 'Robust (HC1)', HC2: 'Robust (HC2)', HC3: 'Robust (HC3)',
  },
  year: { all: 'All years' },
};

/** The text shown for a string cell of `column` (see VALUE_LABELS); other values come back unchanged. */
export function cellLabel(column: string, value: string): string {
  return VALUE_LABELS[column]?.[value] ?? value;
}

/** Confidence-limit pairs shown as one "low to high" column, under the header given. */
const CI_PAIRS: ReadonlyArray<readonly [string, string, string]> = [
  ['conf.low', 'conf.high', '95% CI'],
  ['hr.conf.low', 'hr.conf.high', 'HR 95% CI'],
  ['or.conf.low', 'or.conf.high', 'OR 95% CI'],
];

/** A column as rendered: its header, and the machine column(s) its cells come from (two for a CI). */
export interface DisplayColumn {
  readonly header: string;
  readonly key: string;
  /** The upper limit's column when this column shows "low to high". */
  readonly high?: string;
}

/**
 * The columns of a table as they are rendered: each machine name under its columnHeader, and each
 * pair of confidence limits (conf.low/conf.high, hr.conf.low/hr.conf.high, …) present in the table
 * as one "95% CI" column at the lower limit's place.
 */
export function displayColumns(columns: readonly string[]): DisplayColumn[] {
  const named = CI_PAIRS.filter(([lo, hi]) => columns.includes(lo) && columns.includes(hi));
  // Any other "<x>.low" / "<x>.high" pair (RII.low, RII.high) is x's 95% CI.
  const generic = columns
    .filter((c) => /\.low$/.test(c) && !named.some(([lo]) => lo === c) && columns.includes(c.replace(/\.low$/, '.high')))
    .map((c): readonly [string, string, string] => [c, c.replace(/\.low$/, '.high'), `${columnHeader(c.slice(0, -4))} 95% CI`]);
  const pairs = [...named, ...generic];
  const highs = new Set(pairs.map(([, hi]) => hi));
  const out: DisplayColumn[] = [];
  for (const c of columns) {
    if (highs.has(c)) continue;
    const pair = pairs.find(([lo]) => lo === c);
    out.push(pair ? { header: pair[2], key: c, high: pair[1] } : { header: columnHeader(c), key: c });
  }
  return out;
}
