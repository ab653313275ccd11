// Class labels for units (src/display/classLabels): the modal class of each unit's LCA row, as the
// "01. label" column the unit builders attach from modalClassTable.
import { describe, expect, it } from 'vitest';
import { modalClassLabels, modalClassTable, numberedClassLabels } from '../../src/display/classLabels';

describe('modal class labels', () => {
  const names = ['Domestic violence', 'Neglect', 'Mental health'];
  const modal = Int32Array.from([2, 0, 1, 1, 0]);

  it('numbers labels from 01 so they sort in class order', () => {
    expect(numberedClassLabels(names)).toEqual(['01. Domestic violence', '02. Neglect', '03. Mental health']);
  });

  it('modalClassTable labels each assessment by its modal class', () => {
    const t = modalClassTable(['a1', 'a2', 'a3', 'a4', 'a5'], modal, names);
    expect(t.array('class')).toEqual(['03. Mental health', '01. Domestic violence', '02. Neglect', '02. Neglect', '01. Domestic violence']);
  });

  it('modalClassLabels gives a unit the label its LCA row has in modalClassTable; no row stays null', () => {
    const table = modalClassTable(['a1', 'a2', 'a3', 'a4', 'a5'], modal, names).array('class') as string[];
    const rows = [4, null, 0, Number.NaN, 2, 2];
    expect(modalClassLabels(rows, modal, names)).toEqual([table[4], null, table[0], null, table[2], table[2]]);
  });

  it('rejects a row outside the LCA matrix, naming the unit', () => {
    expect(() => modalClassLabels([0, 5], modal, names)).toThrow('modalClassLabels: row 1 points at LCA row 5, outside 0..4');
    expect(() => modalClassLabels([1.5], modal, names)).toThrow(/row 0 points at LCA row 1.5/);
  });
});

describe('modalClassTable', () => {
  it('labels each assessment with its zero-padded modal class', () => {
    const t = modalClassTable(['a1', 'a2'], Int32Array.from([0, 9]), Array.from({ length: 10 }, (_, k) => `C${k + 1}`));
    expect(t.objects()).toEqual([{ assessment_id: 'a1', class: '01. C1' }, { assessment_id: 'a2', class: '10. C10' }]);
  });
});
