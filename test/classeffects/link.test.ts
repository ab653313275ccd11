/** linkPupilClasses: the one-call linkage notebook 03 uses, on a tiny generated set. */
import { describe, it, expect, afterAll } from 'vitest';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateSynthetic, loadStudyData, buildLcaMatrix, buildPupilLinked } from '../../src/data/index';
import { lcaRowClasses, linkPupilClasses, withModalClass } from '../../src/classeffects/index';

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
  }, 120_000);
});
