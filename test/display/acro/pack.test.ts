import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeOutputPack } from '../../../scripts/notebook/acro-pack';
import { ACRO_SCHEMA_VERSION, exceptionRequests } from '../../../src/display/acro/pack';

const cases = path.join(process.cwd(), '..', 'shared', 'sdc-cases');

/** Shape of ACRO's results.json (ACRO 0.4.x, as SACRO-Viewer reads it): errors, empty when valid. */
function validateAcro(r: unknown): string[] {
  const errs: string[] = [];
  const top = r as { version?: unknown; results?: Record<string, Record<string, unknown>> };
  if (typeof top.version !== 'string') errs.push('version is not a string');
  if (!top.results || typeof top.results !== 'object') return [...errs, 'results is not an object'];
  for (const [uid, o] of Object.entries(top.results)) {
    const need: Array<[string, (v: unknown) => boolean]> = [
      ['uid', (v) => v === uid],
      ['status', (v) => v === 'pass' || v === 'fail' || v === 'review'],
      ['type', (v) => typeof v === 'string'],
      ['properties', (v) => typeof v === 'object' && v !== null],
      ['files', (v) => Array.isArray(v) && v.length > 0 && v.every((f) => typeof f.name === 'string' && typeof f.sdc === 'object')],
      ['outcome', (v) => typeof v === 'object' && v !== null],
      ['command', (v) => typeof v === 'string'],
      ['summary', (v) => typeof v === 'string' && String(v).startsWith(String(o.status))],
      ['timestamp', (v) => typeof v === 'string'],
      ['comments', (v) => Array.isArray(v)],
      ['exception', (v) => typeof v === 'string'],
    ];
    for (const [k, ok] of need) if (!ok(o[k])) errs.push(`${uid}.${k} invalid: ${JSON.stringify(o[k])?.slice(0, 80)}`);
    for (const f of (o.files as Array<{ name: string; sdc: { summary?: Record<string, unknown> } }>) ?? []) {
      const s = f.sdc.summary;
      if (s && !['suppressed', 'negative', 'missing', 'threshold', 'p-ratio', 'nk-rule', 'all-values-are-same'].every((k) => k in s)) errs.push(`${uid} file ${f.name}: sdc.summary lacks ACRO keys`);
    }
  }
  return errs;
}

/** Tables and figures in executed notebooks, by the pack's uid. */
function displayedOutputs(dir: string): string[] {
  const uids: string[] = [];
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.ipynb')).sort()) {
    const nb = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    nb.cells.forEach((c: { cell_type: string; outputs?: Array<{ data?: Record<string, unknown> }> }, ci: number) => {
      (c.outputs ?? []).forEach((o, oi) => {
        const d = o.data ?? {};
        if (d['application/vnd.plotly.v1+json'] || /<table/i.test(String(d['text/html'] ?? ''))) uids.push(`${f.replace(/\.ipynb$/, '')}_cell${ci + 1}_out${oi + 1}`);
      });
    });
  }
  return uids;
}

function tmpWith(files: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acro-pack-'));
  for (const [name, nb] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), JSON.stringify(nb));
  return dir;
}

describe('output-request pack (ACRO layout)', () => {
  it('holds every table and figure with its status, files on disk and a valid results.json', () => {
    const load = (f: string) => JSON.parse(fs.readFileSync(path.join(cases, f), 'utf8'));
    const dir = tmpWith({
      'control.ipynb': load('control-cox-forest.ipynb'),
      'tagged7.ipynb': load('planted-tagged-count-7.ipynb'),
      'scatter.ipynb': load('planted-record-scatter-ids.ipynb'),
    });
    const summary = writeOutputPack(dir);
    const results = JSON.parse(fs.readFileSync(path.join(dir, 'outputs', 'results.json'), 'utf8'));
    expect(validateAcro(results)).toEqual([]);
    expect(results.version).toBe(ACRO_SCHEMA_VERSION);
    for (const uid of displayedOutputs(dir)) expect(Object.keys(results.results), uid).toContain(uid);
    expect(results.results['control_cell2_out1']).toMatchObject({ status: 'pass', type: 'table' });
    expect(results.results['control_cell3_out1'].status).toBe('pass');
    expect(results.results['tagged7_cell2_out1'].status).toBe('fail');
    expect(results.results['tagged7_cell2_out1'].summary).toMatch(/small-count: count 7 below 10/);
    expect(results.results['scatter_cell2_out1'].status).toBe('fail');
    expect(summary.fail).toBe(2);
    for (const r of Object.values(results.results) as Array<{ files: Array<{ name: string }> }>) {
      for (const f of r.files) expect(fs.existsSync(path.join(dir, 'outputs', f.name)), f.name).toBe(true);
    }
    const csv = fs.readFileSync(path.join(dir, 'outputs', 'control_cell2_out1_0.csv'), 'utf8');
    expect(csv.split('\n')[0]).toBe('term,M1 class + pathway,M2 + child,M3 + deprivation,"M4 LA strata, clustered"');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'outputs', 'config.json'), 'utf8')).safe_threshold).toBe(10);
  });

  it('records exception requests declared in the parameters cell, with their reason', () => {
    const nb = {
      metadata: {},
      cells: [
        { cell_type: 'code', metadata: { tags: ['parameters'] }, source: "const seed = 1;\nconst sdcExceptions = { 'ex_cell2_out1': 'structural zero: no child can be both', };\n", outputs: [] },
        { cell_type: 'code', metadata: {}, source: 'console.log(x)', outputs: [{ output_type: 'stream', name: 'stdout', text: 'n = 4\n' }] },
      ],
    };
    expect(exceptionRequests(nb)).toEqual({ ex_cell2_out1: 'structural zero: no child can be both' });
    const dir = tmpWith({ 'ex.ipynb': nb });
    writeOutputPack(dir);
    const r = JSON.parse(fs.readFileSync(path.join(dir, 'outputs', 'results.json'), 'utf8')).results.ex_cell2_out1;
    expect(r).toMatchObject({ status: 'fail', exception: 'structural zero: no child can be both' });
  });

  it('out/outputs/results.json, when the notebooks have been run, lists every table and figure of out/*.ipynb', () => {
    const out = path.join(process.cwd(), 'out');
    const file = path.join(out, 'outputs', 'results.json');
    if (!fs.existsSync(file)) return; // written by `npm run notebooks`; CI runs the notebooks after the tests
    const results = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(validateAcro(results)).toEqual([]);
    for (const uid of displayedOutputs(out)) expect(Object.keys(results.results), uid).toContain(uid);
  });
});
