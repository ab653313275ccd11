import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fitLca, simulateLca } from '../../src/lca/index';
import {
  demandTypology, lcaFitFromTypology, lcaMatrixFingerprint, loadDemandClasses, readDemandTypology, writeDemandTypology,
  DEMAND_TYPOLOGY_DEFAULTS, typologyFitOptions, type DemandTypologySettings,
} from '../../src/classeffects/index';

const shares = [0.5, 0.3, 0.2];
const pat = [[1, 1, 1, 1, 0, 0, 0, 0], [0, 0, 1, 1, 1, 1, 0, 0], [0, 0, 0, 0, 0, 1, 1, 1]];
const itemProbs = pat.map((r) => r.map((v) => (v ? [0.15, 0.85] : [0.85, 0.15])));
const items = Array.from({ length: 8 }, (_, j) => `f${j + 1}`);
const sim = simulateLca(1200, shares, itemProbs, 42, 0.02);
const X = { codes: sim.codes, nRows: sim.nRows, nItems: sim.nItems };
const settings = { seed: 7, starts: 3, maxIter: 500, tol: 1e-8, relTol: 1e-11, preRun: { iterations: 10, keep: 2 }, extendUnconverged: true, replicate: { minCount: 2, maxStarts: 9 }, chosenK: 3 };
const fit = fitLca(X, { classes: 3, ...typologyFitOptions(settings), itemNames: items });
const labels = ['one', 'two', 'three'];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'typology-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('demand typology artefact', () => {
  const fp = lcaMatrixFingerprint(X, items);
  const file = path.join(dir, 'sub', 'demand-typology.json');

  it('round-trips through JSON, written atomically (no temporary file left)', () => {
    writeDemandTypology(file, demandTypology(fit, { fingerprint: fp, items, classLabels: labels, settings }));
    expect(fs.readdirSync(path.dirname(file))).toEqual(['demand-typology.json']);
    const t = readDemandTypology(file)!;
    expect(t.fingerprint).toBe(fp);
    expect(t.classLabels).toEqual(labels);
    expect(t.logLik).toBe(fit.logLik);
    expect(t.itemProbs).toEqual(fit.itemProbs.map((c) => c.map((p) => Array.from(p))));
    expect(t.settings.seed).toBe(7);
  });

  it('posteriors from the loaded parameters equal those of the fit (no refit)', () => {
    const got = loadDemandClasses(file, X, { items, fallback: settings, label: () => { throw new Error('must not refit'); } });
    expect(got.source).toBe('artefact');
    expect(got.classLabels).toEqual(labels);
    expect(got.fit.logLik).toBeCloseTo(fit.logLik, 8);
    const a = got.fit.posterior.data;
    const b = fit.posterior.data;
    let maxDiff = 0;
    for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
    expect(maxDiff).toBeLessThan(1e-12);
    expect(Array.from(got.fit.modal)).toEqual(Array.from(fit.modal));
    expect(got.fit.warnings.some((w) => /converge/.test(w))).toBe(false);
  });

  it('the fingerprint changes with any code and with the item names', () => {
    const codes = Int16Array.from(X.codes);
    codes[17] = codes[17] === 1 ? 0 : 1;
    expect(lcaMatrixFingerprint({ ...X, codes }, items)).not.toBe(fp);
    expect(lcaMatrixFingerprint(X, items.map((s) => s + 'x'))).not.toBe(fp);
  });

  it('fingerprint mismatch: refits deterministically with the fallback settings, says so, writes nothing', () => {
    const other = simulateLca(1200, shares, itemProbs, 43, 0.02);
    const Y = { codes: other.codes, nRows: other.nRows, nItems: other.nItems };
    const before = fs.readFileSync(file, 'utf8');
    const got = loadDemandClasses(file, Y, { items, fallback: settings, label: (f) => f.shares.map((_, k) => `c${k + 1}`) });
    expect(got.source).toBe('refit');
    expect(got.message).toMatch(/WARNING: .*different data.*refitted the 3-class model/);
    expect(got.classLabels).toEqual(['c1', 'c2', 'c3']);
    const direct = fitLca(Y, { classes: 3, starts: 3, seed: 7, maxIter: 500, tol: 1e-8, relTol: 1e-11, preRun: settings.preRun, extendUnconverged: true, replicate: { minCount: 2, maxStarts: 9 }, itemNames: items, workers: false });
    expect(got.fit.logLik).toBe(direct.logLik);
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
  });

  it('absent artefact: refits and says the file does not exist', () => {
    const got = loadDemandClasses(path.join(dir, 'none.json'), X, { items, fallback: settings, label: () => labels });
    expect(got.source).toBe('refit');
    expect(got.message).toMatch(/does not exist/);
    expect(got.fit.logLik).toBe(fit.logLik);
    expect(got.fit.bestLogLikReplicated).toEqual(fit.bestLogLikReplicated);
    expect(fs.existsSync(path.join(dir, 'none.json'))).toBe(false);
  });

  it('rejects a file that is not an artefact', () => {
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ format: 'other' }));
    expect(() => readDemandTypology(bad)).toThrow(/not a demand-typology artefact/);
  });
});

describe("DEMAND_TYPOLOGY_DEFAULTS is notebook 01's selection (a refit in 02–04 reproduces 01's model)", () => {
  // Read the notebook's own source: its parameters cell and the settings object of its selection cell.
  const source = fs.readFileSync(path.join(__dirname, '../../scripts/nb-sources/01-demand-types.md'), 'utf8');
  const cells = [...source.matchAll(/```ts[^\n]*\n([\s\S]*?)```/g)].map((m) => m[1]);
  const paramsCell = cells.find((c) => /^const seed = /m.test(c))!;
  const params: Record<string, unknown> = {};
  for (const m of paramsCell.matchAll(/^const (\w+)(?:: [^=]+)? = (.+?);(?:\s*\/\/.*)?$/gm)) {
    params[m[1]] = new Function(...Object.keys(params), `return (${m[2]});`)(...Object.values(params));
  }
  const settingsText = /const lcaSettings: DemandTypologySettings = (\{[\s\S]*?\n\});/.exec(cells.join('\n'))?.[1];

  it('finds the parameters and the settings object in the notebook source', () => {
    expect(Object.keys(params)).toEqual(expect.arrayContaining(['seed', 'years', 'kRange', 'lcaStarts', 'lcaMaxIter', 'lcaTol', 'lcaRelTol', 'factorGrouping']));
    expect(settingsText).toBeDefined();
  });

  it('every fitting setting, the K range and the matrix options agree', () => {
    const nbSettings = new Function(...Object.keys(params), `return (${settingsText});`)(...Object.values(params)) as DemandTypologySettings;
    const { kRange, chosenK, matrix, ...fitting } = DEMAND_TYPOLOGY_DEFAULTS;
    expect(nbSettings).toEqual(fitting);
    expect(kRange).toEqual(params.kRange);
    expect(chosenK).toBe(params.chosenK);
    expect(matrix).toEqual({ grouping: params.factorGrouping, years: params.years });
  });

  it('a refit with the defaults passes every fitting setting to fitLca', () => {
    const opts = typologyFitOptions(DEMAND_TYPOLOGY_DEFAULTS);
    const { kRange: _k, chosenK: _c, matrix: _m, ...fitting } = DEMAND_TYPOLOGY_DEFAULTS;
    for (const [key, value] of Object.entries(fitting)) expect(opts[key as keyof typeof opts]).toEqual(value);
  });
});
