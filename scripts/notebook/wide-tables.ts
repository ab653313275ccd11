/**
 * Which tables of the rendered notebooks scroll sideways at a reviewer's window width: opens each
 * out/NN-*.html in headless Chromium at 1280 px (JS off: tables are static HTML) and lists every
 * output table wider than the output area it sits in, with its caption, rendered column count and
 * widths. Exits 1 when any table overflows, so a run can be checked after `npm run notebooks`.
 *
 * Usage: tsx scripts/notebook/wide-tables.ts [html dir = out] [viewport width = 1280]
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { DEFAULT_CHROMIUM } from './png';

interface Wide { caption: string; columns: number; tableWidth: number; areaWidth: number }

async function main(): Promise<void> {
  const htmlDir = process.argv[2] ?? 'out';
  const width = Number(process.argv[3] ?? 1280);
  const pages = fs.readdirSync(htmlDir).filter((f) => /^\d\d-.*\.html$/.test(f)).sort();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM, args: ['--no-sandbox'] });
  let overflowing = 0;
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width, height: 1000 } });
    const page = await context.newPage();
    for (const f of pages) {
      await page.goto('file://' + path.resolve(htmlDir, f), { waitUntil: 'load', timeout: 120_000 });
      const wide: Wide[] = await page.evaluate(() => {
        const out: Wide[] = [];
        for (const t of Array.from(document.querySelectorAll('.outputs table'))) {
          const area = t.closest('.out') as HTMLElement | null;
          if (!area) continue;
          const tableWidth = (t as HTMLElement).getBoundingClientRect().width;
          const areaWidth = area.clientWidth;
          const head = t.querySelector('thead tr:last-child') ?? t.querySelector('tr');
          const columns = head ? Array.from(head.children).reduce((s, c) => s + ((c as HTMLTableCellElement).colSpan || 1), 0) : 0;
          if (tableWidth > areaWidth + 1) out.push({ caption: (t.querySelector('caption')?.textContent ?? '').slice(0, 90), columns, tableWidth: Math.round(tableWidth), areaWidth });
        }
        return out;
      });
      for (const w of wide) console.log(`${f}: "${w.caption}" ${w.columns} columns, ${w.tableWidth} px in ${w.areaWidth} px`);
      overflowing += wide.length;
    }
    await context.close();
  } finally {
    await browser.close();
  }
  console.log(`${overflowing} table(s) wider than their output area at ${width} px`);
  if (overflowing > 0) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
