/** linkPupilClasses: the one-call linkage notebook 03 uses, on a tiny generated set. */
import { describe, it, expect, afterAll } from 'vitest';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateSynthetic, loadStudyData, buildLcaMatrix, buildPupilLinked } from '../../src/data/index';
import { DEMAND_TYPOLOGY_DEFAULTS, lcaRowClasses, linkDemandClasses, linkPupilClasses, typologyMatrixOptions, withModalClass } from '../../src/classeffects/index';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-link-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('linkPupilClasses', () => {
  it('gives each pupil its latest referral\'s LCA row and that row\'s modal class label, as buildPupilLinked + withModalClass', async () => {
    const dir = generateSynthetic({ scale: 'tiny', seed: 5, dir: path.join(tmp, 'tiny') }).dir;
    const data = await loadStudyData({ kind: 'synthetic', scale: 'tiny', seed: 5, dir });
    const lca = await buildLcaMatrix(data, {});
    const rows = lcaRowClasses(lca.table);
    const n = lca.table.numRows();
    const fit = { modal: Int32Array.from({ length: n }, (_, r) => (r * 7) % 3) };
    const names = ['alpha', 'beta', 'gamma'];
    const got = await linkPupilClasses(data, 4, rows, fit, names);
    const ref = await buildPupilLinked(data, { keyStage: 4, classes: rows });
    expect(got.matchReport).toEqual(ref.matchReport);
    expect(got.table.objects()).toEqual(withModalClass(ref.table, fit, names).objects());
    const lr = got.table.array('lca_row') as ArrayLike<number | null>;
    const dc = got.table.array('demand_class') as ArrayLike<string | null>;
    let linked = 0;
    for (let i = 0; i < lr.length; i++) {
      if (lr[i] === null) { expect(dc[i]).toBeNull(); continue; }
      linked++;
      const k = fit.modal[lr[i] as number];
      expect(dc[i]).toBe(`0${k + 1}. ${names[k]}`);
    }
    expect(linked).toBeGreaterThan(0);
    await expect(linkPupilClasses(data, 3 as 2, rows, fit, names)).rejects.toThrow(/keyStage must be 2 or 4/);

    // linkDemandClasses: without a saved typology it refits (K = 3 here) and says so; the pupil tables
    // are those linkPupilClasses gives with that fit; refitted classes are named by `label`.
    const file = path.join(tmp, 'absent-typology.json');
    const labelled: string[][] = [];
    const got2 = await linkDemandClasses(data, file, {
      fallback: { ...DEMAND_TYPOLOGY_DEFAULTS, starts: 2, chosenK: 3 },
      label: (f, itemLabels) => { labelled.push(itemLabels); return Array.from({ length: f.nClasses }, (_, k) => `c${k}`); },
    });
    expect(got2.demand.source).toBe('refit');
    expect(got2.demand.message).toMatch(/does not exist/);
    expect(got2.demand.classLabels).toEqual(['c0', 'c1', 'c2']);
    const lca2 = await buildLcaMatrix(data, typologyMatrixOptions(file));
    expect(labelled[0]).toEqual(lca2.items.map((i) => lca2.labels[i] ?? i));
    const rows2 = lcaRowClasses(lca2.table);
    for (const ks of [2, 4] as const) {
      const want = await linkPupilClasses(data, ks, rows2, got2.demand.fit, got2.demand.classLabels);
      expect((ks === 2 ? got2.ks2 : got2.ks4).table.objects()).toEqual(want.table.objects());
    }
  }, 120_000);
});
