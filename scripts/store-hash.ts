/**
 * npx tsx scripts/store-hash.ts <store.duckdb> [...]
 * Prints, for every table of a study store, its row count and a SHA-1 of its content compared by value:
 * every column cast to text (so an ENUM and a VARCHAR holding the same strings hash alike), rows in
 * ORDER BY ALL order; and a second SHA-1 of the rows in stored order (the order a table is read in). Two stores built from the same inputs by two versions of the ingest must print
 * the same lines (meta_inputs, which names the layout version and input paths, is left out).
 */
import * as crypto from 'crypto';
import { DuckDBInstance } from '@duckdb/node-api';

async function hashStore(file: string): Promise<string[]> {
  const inst = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY', threads: '1' });
  const conn = await inst.connect();
  const out: string[] = [];
  try {
    const tables = (await conn.runAndReadAll(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' AND table_name <> 'meta_inputs' ORDER BY 1`)).getRowsJS().map((r) => String(r[0]));
    for (const t of tables) {
      const cols = (await conn.runAndReadAll(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = '${t}' ORDER BY ordinal_position`)).getRowsJS().map((r) => String(r[0]));
      const q = (c: string): string => `"${c.replace(/"/g, '""')}"`;
      const sel = cols.map((c) => `CAST(${q(c)} AS VARCHAR) AS ${q(c)}`).join(', ');
      const digest = async (tail: string): Promise<[number, string]> => {
        const h = crypto.createHash('sha1');
        h.update(cols.join('\u0001') + '\n');
        let n = 0;
        const r = await conn.run(`SELECT ${sel} FROM main.${q(t)} ${tail}`);
        for (;;) {
          const ch = await r.fetchChunk();
          if (!ch || ch.rowCount === 0) break;
          for (const row of ch.getRows()) { h.update(row.map((v: unknown) => (v === null ? '\u0002' : String(v))).join('\u0001') + '\n'); n++; }
        }
        return [n, h.digest('hex')];
      };
      const [n, byValue] = await digest('ORDER BY ALL');
      const [, inOrder] = await digest('');
      out.push(`${t}\t${n}\t${byValue}\t${inOrder}`);
    }
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
  return out;
}

for (const f of process.argv.slice(2)) {
  console.log(`# ${f}`);
  for (const l of await hashStore(f)) console.log(l);
}
