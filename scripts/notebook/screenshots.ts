/**
 * Screenshots of rendered notebooks (out/*.html) with JS on and off, for review of tables and
 * figures: the top of each page, and the outputs of chosen cells. Headless Debian Chromium via
 * playwright-core (no browser download).
 *
 * Usage: tsx scripts/notebook/screenshots.ts <html dir> <png dir> <label> <notebook>:<cell index> ...
 *   e.g. ... out /tmp/shots after 02-re-referral:11 02-re-referral:15
 * Writes <png dir>/<label>-<notebook>-<top|cellN>-js-<on|off>.png (and -full- pages with SHOTS_FULL=1).
 *        tsx scripts/notebook/screenshots.ts --all <html dir> <png dir>   (every page, see allPages)
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { DEFAULT_CHROMIUM } from './png';

/**
 * Every page of a run (`--all <html dir> <png dir>`): each out/NN-*.html as 1280 × 1400 slices of the
 * whole page, with JS on and off, into <png dir>/js/NN-name-pK.png and <png dir>/nojs/… (what a
 * reviewer scrolls through; with JS off the figures show their static PNG fallbacks).
 */
async function allPages(htmlDir: string, pngDir: string): Promise<void> {
  const pages = fs.readdirSync(htmlDir).filter((f) => /^\d\d-.*\.html$/.test(f)).sort();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM, args: ['--no-sandbox'] });
  try {
    for (const js of [true, false]) {
      const dir = path.join(pngDir, js ? 'js' : 'nojs');
      fs.mkdirSync(dir, { recursive: true });
      const context = await browser.newContext({ javaScriptEnabled: js, viewport: { width: 1280, height: 1400 } });
      const page = await context.newPage();
      for (const f of pages) {
        await page.goto('file://' + path.resolve(htmlDir, f), { waitUntil: 'load', timeout: 180_000 });
        if (js) await page.waitForTimeout(2000);
        const height = await page.evaluate(() => document.documentElement.scrollHeight);
        for (let y = 0, k = 1; y < height; y += 1400, k++) {
          const clip = { x: 0, y, width: 1280, height: Math.min(1400, height - y) };
          await page.screenshot({ path: path.join(dir, `${f.replace(/\.html$/, '')}-p${String(k).padStart(2, '0')}.png`), fullPage: true, clip, timeout: 180_000 });
        }
      }
      await context.close();
    }
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === '--all') return allPages(process.argv[3], process.argv[4]);
  const [htmlDir, pngDir, label, ...targets] = process.argv.slice(2);
  if (!htmlDir || !pngDir || !label) throw new Error('usage: screenshots.ts <html dir> <png dir> <label> <notebook>:<cell> ...');
  fs.mkdirSync(pngDir, { recursive: true });
  const byNotebook = new Map<string, number[]>();
  for (const t of targets) {
    const [nb, cell] = t.split(':');
    byNotebook.set(nb, [...(byNotebook.get(nb) ?? []), Number(cell)]);
  }
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM, args: ['--no-sandbox'] });
  try {
    for (const js of [true, false]) {
      const context = await browser.newContext({ javaScriptEnabled: js, viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      for (const [nb, cells] of byNotebook) {
        await page.goto('file://' + path.resolve(htmlDir, `${nb}.html`), { waitUntil: 'load', timeout: 120_000 });
        if (js) await page.waitForTimeout(1500);
        const suffix = `js-${js ? 'on' : 'off'}`;
        await page.screenshot({ path: path.join(pngDir, `${label}-${nb}-top-${suffix}.png`) });
        // The whole page too (SHOTS_FULL=1): the review covers every table and figure, not just chosen cells.
        if (process.env.SHOTS_FULL === '1') {
          const height = await page.evaluate(() => document.documentElement.scrollHeight);
          for (let y = 0, k = 1; y < height; y += 1400, k++) {
            const clip = { x: 0, y, width: 1280, height: Math.min(1400, height - y) };
            await page.screenshot({ path: path.join(pngDir, `${label}-${nb}-page${String(k).padStart(2, '0')}-${suffix}.png`), fullPage: true, clip, timeout: 120_000 });
          }
        }
        for (const c of cells) {
          const out = page.locator('div.cell').nth(c).locator('.outputs');
          try {
            await out.scrollIntoViewIfNeeded({ timeout: 5000 });
            if (js) await page.waitForTimeout(500);
            await out.screenshot({ path: path.join(pngDir, `${label}-${nb}-cell${c}-${suffix}.png`), timeout: 10_000 });
          } catch {
            // e.g. a figure without its PNG fallback shows nothing with JS off
            process.stderr.write(`${nb} cell ${c} (${suffix}): output not visible, no screenshot\n`);
          }
        }
      }
      await context.close();
    }
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
