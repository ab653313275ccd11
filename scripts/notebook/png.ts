/**
 * PNG fallbacks for plotly figures, rendered after execution in ONE headless Chromium session
 * (playwright-core driving Debian's chromium; no browser download).
 *
 * Input: figures {key, figure, width, height}. Output: Map key → base64 PNG, or a reason string
 * when no browser could be used (the caller prints one warning and carries on without PNGs).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export interface FigureToRender {
  key: string;
  figure: { data: unknown[]; layout?: Record<string, unknown>; config?: Record<string, unknown> };
  width: number;
  height: number;
}

export type PngResult = { ok: true; images: Map<string, string> } | { ok: false; reason: string };

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

export async function renderPngs(figures: FigureToRender[], plotlySource: string, executablePath: string): Promise<PngResult> {
  if (figures.length === 0) return { ok: true, images: new Map() };
  if (!fs.existsSync(executablePath)) return { ok: false, reason: `no Chromium at ${executablePath}` };
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-chromium-'));
  let context: Awaited<ReturnType<typeof chromium.launchPersistentContext>> | null = null;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      timeout: 60_000,
    });
    const page = context.pages()[0] ?? (await context.newPage());
    // No network is needed or wanted: everything is inlined.
    await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
    await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>');
    await page.addScriptTag({ content: plotlySource });
    const images = new Map<string, string>();
    for (const f of figures) {
      const dataUrl = await page.evaluate(async ({ figure, width, height }) => {
        const Plotly = (globalThis as unknown as { Plotly: { toImage: (fig: unknown, opts: unknown) => Promise<string> } }).Plotly;
        const layout = { ...(figure.layout ?? {}), width, height };
        return Plotly.toImage({ data: figure.data, layout, config: { staticPlot: true } }, { format: 'png', width, height });
      }, { figure: f.figure, width: f.width, height: f.height });
      const prefix = 'data:image/png;base64,';
      if (!dataUrl.startsWith(prefix)) throw new Error(`plotly returned an unexpected image for ${f.key}`);
      images.set(f.key, dataUrl.slice(prefix.length));
    }
    return { ok: true, images };
  } catch (e) {
    return { ok: false, reason: (e as Error).message.split('\n')[0] };
  } finally {
    if (context) await context.close().catch(() => undefined);
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}
