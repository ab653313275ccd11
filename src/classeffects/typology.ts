/**
 * One demand typology for the whole study: notebook 01 saves its chosen latent class model as a
 * plain JSON artefact, and notebooks 02–04 load it and compute each unit's posterior class
 * membership from the saved parameters (no refit). Only when the artefact is absent, or was
 * made from different data (its fingerprint differs), do they refit with the saved settings,
 * and the result says so. Refitting is deterministic (seeded starts), so a notebook that runs
 * before 01 has finished gets the same model 01 will save; refitters never write the file.
 */
import { formatEstimate } from '../display/numbers';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fitLca, type LcaFit, type LcaOptions } from '../lca/index';

/** The LCA matrix: n × J codes (−1 = missing), as `itemCodes` returns it. */
export interface LcaMatrixCodes {
  codes: Int16Array;
  nRows: number;
  nItems: number;
}

/**
 * Settings of the LCA model selection: what a refit needs to reproduce the chosen fit exactly. The
 * fitting part (seed … replicate) goes to `fitLca` through `typologyFitOptions`, in notebook 01 and in a
 * loader's refit alike, so the two cannot drift apart.
 */
export interface DemandTypologySettings {
  seed: number;
  starts: number;
  maxIter: number;
  /** EM stops when an iteration gains ≤ max(tol, relTol·|logLik|) */
  tol: number;
  relTol?: number;
  preRun?: { iterations: number; keep: number };
  /** continue a start still unconverged after maxIter once more */
  extendUnconverged?: boolean;
  /** further batches of starts until the best log-likelihood is reached by minCount starts */
  replicate?: { minCount?: number; maxStarts?: number };
  /** K range compared by BIC and the K chosen (null = lowest BIC) */
  kRange?: number[];
  chosenK?: number | null;
  /** how the matrix was built (buildLcaMatrix options), so loaders build the same one */
  matrix?: { grouping?: 'harmonised' | 'grouped'; years?: number[] };
}

/** The `fitLca` options (all but classes, item names and progress) that `s` stands for. */
export function typologyFitOptions(s: DemandTypologySettings): Pick<LcaOptions, 'seed' | 'starts' | 'maxIter' | 'tol' | 'relTol' | 'preRun' | 'extendUnconverged' | 'replicate' | 'workers'> {
  return {
    seed: s.seed, starts: s.starts, maxIter: s.maxIter, tol: s.tol, relTol: s.relTol, preRun: s.preRun,
    extendUnconverged: s.extendUnconverged, replicate: s.replicate, workers: false,
  };
}

export interface DemandTypology {
  format: 'csc-outcomes/demand-typology';
  version: 1;
  /** sha256 of the LCA matrix (item names, dimensions and codes) */
  fingerprint: string;
  nRows: number;
  items: string[];
  nCategories: number[];
  nClasses: number;
  classLabels: string[];
  shares: number[];
  /** itemProbs[class][item][category] */
  itemProbs: number[][][];
  logLik: number;
  bic: number;
  converged: boolean;
  bestLogLikReplicated: { count: number; total: number };
  settings: DemandTypologySettings;
}

/** sha256 (hex) over the item names, the dimensions and the codes of the LCA matrix. */
export function lcaMatrixFingerprint(X: LcaMatrixCodes, items: readonly string[]): string {
  if (items.length !== X.nItems) throw new Error(`lcaMatrixFingerprint: ${items.length} item names for ${X.nItems} items`);
  const h = createHash('sha256');
  h.update(JSON.stringify({ items, nRows: X.nRows, nItems: X.nItems }));
  h.update(new Uint8Array(X.codes.buffer, X.codes.byteOffset, X.codes.byteLength));
  return h.digest('hex');
}

/** The artefact for a fitted model: parameters, labels, fit statistics, settings and fingerprint. */
export function demandTypology(fit: LcaFit, o: { fingerprint: string; items: string[]; classLabels: string[]; settings: DemandTypologySettings }): DemandTypology {
  if (o.classLabels.length !== fit.nClasses) throw new Error(`demandTypology: ${o.classLabels.length} labels for ${fit.nClasses} classes`);
  if (o.items.length !== fit.nItems) throw new Error(`demandTypology: ${o.items.length} item names for ${fit.nItems} items`);
  return {
    format: 'csc-outcomes/demand-typology', version: 1, fingerprint: o.fingerprint, nRows: fit.nRows,
    items: o.items.slice(), nCategories: fit.nCategories.slice(), nClasses: fit.nClasses, classLabels: o.classLabels.slice(),
    shares: Array.from(fit.shares), itemProbs: fit.itemProbs.map((c) => c.map((p) => Array.from(p))),
    logLik: fit.logLik, bic: fit.bic, converged: fit.converged,
    bestLogLikReplicated: { count: fit.bestLogLikReplicated.count, total: fit.bestLogLikReplicated.total },
    settings: JSON.parse(JSON.stringify(o.settings)) as DemandTypologySettings,
  };
}

/**
 * Writes the artefact atomically (a temporary file in the same folder, then rename), so a reader
 * running in parallel sees either no file or the whole file. Creates the folder.
 */
export function writeDemandTypology(file: string, t: DemandTypology): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(t, null, 1) + '\n');
  fs.renameSync(tmp, file);
}

/** Reads an artefact; null when the file does not exist. Throws naming the file when it is not one. */
export function readDemandTypology(file: string): DemandTypology | null {
  if (!fs.existsSync(file)) return null;
  const t = JSON.parse(fs.readFileSync(file, 'utf8')) as DemandTypology;
  if (t.format !== 'csc-outcomes/demand-typology' || t.version !== 1) throw new Error(`readDemandTypology: ${file} is not a demand-typology artefact (format ${String(t.format)}, version ${String(t.version)})`);
  const K = t.nClasses;
  if (t.shares.length !== K || t.itemProbs.length !== K || t.classLabels.length !== K || t.itemProbs.some((c) => c.length !== t.items.length)) {
    throw new Error(`readDemandTypology: ${file} has inconsistent dimensions (K = ${K}, ${t.items.length} items)`);
  }
  return t;
}

/**
 * The model at the saved parameters, evaluated on X (no EM step): posterior, modal class and
 * log-likelihood are those of the saved parameters. Classes keep the artefact's order.
 */
export function lcaFitFromTypology(X: LcaMatrixCodes, t: DemandTypology): LcaFit {
  if (X.nItems !== t.items.length) throw new Error(`lcaFitFromTypology: the matrix has ${X.nItems} items, the typology ${t.items.length}`);
  const fit = fitLca(X, {
    classes: t.nClasses, startValues: { itemProbs: t.itemProbs, shares: t.shares }, maxIter: 0, sortClasses: false,
    nCategories: t.nCategories, itemNames: t.items, workers: false,
  });
  // maxIter 0 evaluates the model at its start values; "did not converge" is not news here
  const ws = fit.warnings as string[];
  for (let i = ws.length - 1; i >= 0; i--) if (/did not converge/.test(ws[i])) ws.splice(i, 1);
  return fit;
}

export interface DemandClasses {
  /** the model whose posterior/modal give each row's class membership (rows of X) */
  fit: LcaFit;
  classLabels: string[];
  source: 'artefact' | 'refit';
  /** one sentence for the notebook: where the classes come from */
  message: string;
  typology: DemandTypology;
}

/**
 * Class membership for the rows of X from the saved typology at `file`. If the file is absent or
 * its fingerprint differs from X's, refits with `fallback` settings (K = fallback.chosenK, or the
 * artefact's K) and says so in `message`; labels then come from `label(fit)`. Never writes.
 */
export function loadDemandClasses(file: string, X: LcaMatrixCodes, o: { items: string[]; fallback: DemandTypologySettings & { chosenK: number }; label: (fit: LcaFit) => string[] }): DemandClasses {
  const fingerprint = lcaMatrixFingerprint(X, o.items);
  const saved = readDemandTypology(file);
  if (saved && saved.fingerprint === fingerprint) {
    const fit = lcaFitFromTypology(X, saved);
    return {
      fit, classLabels: saved.classLabels, source: 'artefact', typology: saved,
      message: `Demand classes: the ${saved.nClasses}-class model saved by notebook 01 (log-likelihood ${formatEstimate(saved.logLik, 1)}), applied to the same assessments (fingerprint ${fingerprint.slice(0, 12)}).`,
    };
  }
  const why = saved ? `${file} was made from different data (fingerprint ${saved.fingerprint.slice(0, 12)}, these data ${fingerprint.slice(0, 12)})` : `${file} does not exist (notebook 01 has not saved it yet)`;
  const s = o.fallback;
  const K = s.chosenK ?? saved?.nClasses;
  const fit = fitLca(X, { classes: K, ...typologyFitOptions(s), itemNames: o.items });
  const classLabels = o.label(fit);
  const typology = demandTypology(fit, { fingerprint, items: o.items, classLabels, settings: s });
  return {
    fit, classLabels, source: 'refit', typology,
    message: `WARNING: ${why}; refitted the ${K}-class model here with notebook 01's settings (${s.starts} starts, seed ${s.seed}; log-likelihood ${formatEstimate(fit.logLik, 1)}). Run notebook 01 first to use its saved model.`,
  };
}

/**
 * Notebook 01's default model-selection settings (its parameters and selection cells), for loaders
 * that must refit when the artefact is missing. A test reads notebook 01's source and fails when the
 * two differ.
 */
export const DEMAND_TYPOLOGY_DEFAULTS: Readonly<DemandTypologySettings> = Object.freeze({
  seed: 20240601, starts: 8, maxIter: 800, tol: 1e-6, relTol: 1e-10, preRun: { iterations: 30, keep: 3 },
  extendUnconverged: true, replicate: { minCount: 2, maxStarts: 32 },
  kRange: [10, 11, 12, 13], chosenK: null, matrix: { grouping: 'harmonised' as const, years: [2015, 2016, 2017, 2018, 2019, 2020, 2021] },
});

/**
 * The buildLcaMatrix options the saved typology was made with (grouping, census years), or notebook
 * 01's defaults when there is no artefact, so loaders build the same matrix and fingerprint.
 */
export function typologyMatrixOptions(file: string): { grouping?: 'harmonised' | 'grouped'; years?: number[] } {
  let saved: DemandTypology | null = null;
  try {
    saved = readDemandTypology(file);
  } catch {
    saved = null;
  }
  const m = saved?.settings.matrix ?? DEMAND_TYPOLOGY_DEFAULTS.matrix ?? {};
  return { grouping: m.grouping, years: m.years ? m.years.slice() : undefined };
}
