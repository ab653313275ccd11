// Differencing across the tables of one notebook: a suppressed cell must not follow from a shown
// total and the shown parts, nor be shown outright in another output.
import { TOTAL_ROW } from './parse';
import { SeenTable } from './tables';
import { Report } from './report';

const normal = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ');

export function checkDifferencing(tables: Array<{ table: SeenTable; report: Report }>): void {
  for (const { table, report } of tables) {
    table.columns.forEach((col, j) => {
      const kind = table.kinds[j];
      if (kind === 'other' || kind === 'df') return;
      const parts: number[] = [];
      let total = -1;
      table.labels.forEach((l, i) => (TOTAL_ROW.test(l) ? (total = i) : parts.push(i)));
      const hidden = parts.filter((i) => table.values[i][j] === 'suppressed');
      if (hidden.length === 0) return;
      const shownTotal = total >= 0 && typeof table.values[total][j] === 'number';
      // Means and percentages need the hidden group's size to be recovered: a count shown in its row.
      const weightShown = (i: number) =>
        kind === 'count' || kind === 'person-time' || table.kinds.some((k, c) => k === 'count' && typeof table.values[i][c] === 'number');
      if (hidden.length === 1 && shownTotal && weightShown(hidden[0])) {
        report('differencing', `column "${col}" row "${table.labels[hidden[0]]}" is suppressed but follows from the "${table.labels[total]}" row minus the shown rows`, table.labels[hidden[0]]);
      }
      // Another output of the notebook: the same cell shown, or a total over the same column.
      for (const other of tables) {
        if (other.table === table) continue;
        const oj = other.table.columns.findIndex((c) => normal(c) === normal(col));
        if (oj < 0) continue;
        for (const i of hidden) {
          const oi = other.table.labels.findIndex((l) => normal(l) === normal(table.labels[i]));
          if (oi >= 0 && typeof other.table.values[oi][oj] === 'number') {
            report('differencing', `column "${col}" row "${table.labels[i]}" is suppressed here but shown in ${other.table.output}`, table.labels[i]);
          }
        }
        const otherTotal = other.table.labels.findIndex((l) => TOTAL_ROW.test(l));
        if (hidden.length === 1 && total < 0 && otherTotal >= 0 && typeof other.table.values[otherTotal][oj] === 'number' && weightShown(hidden[0])) {
          report('differencing', `column "${col}" row "${table.labels[hidden[0]]}" is suppressed but follows from the total in ${other.table.output} minus the rows shown here`, table.labels[hidden[0]]);
        }
      }
    });
  }
}
