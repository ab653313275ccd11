/**
 * Journal-size SVG and PNG files of every plotly figure, drawn by plotly.js's own exporter
 * (Plotly.toImage) in Debian's headless Chromium through playwright-core: offline, no browser
 * download. (Kaleido, plotly's Python exporter, also drives a Chromium; there is no maintained
 * offline Node exporter, so this is the same route the PNG fallbacks take.)
 *
 * Size: `widthMm` (default 174 mm, a two-column journal figure) and the figure's own aspect ratio
 * unless `heightMm` is given. The SVG states its physical size (width/height in mm, viewBox in CSS px
 * at 96 px/in); the PNG is rendered at `dpi` (default 300) and carries a pHYs chunk with that density,
 * so both open at the stated size in Word, LaTeX and image editors.
 *
 * CLI: tsx scripts/notebook/figure-export.ts [out/NN.ipynb ...] [--out out/figures] [--width-mm 174] [--dpi 300]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { PLOTLY_MIME, PLOT_METADATA_KEY, plotlyScriptSource } from '../../kernel-helpers/plotly-inline';
import { DEFAULT_CHROMIUM } from './png';

export interface ExportSize { widthMm: number; heightMm: number; dpi: number }
export interface FigureIn { name: string; figure: { data: unknown[]; layout?: Record<string, unknown> }; aspect: number }
export interface ExportedFigure { name: string; svg: string; png: string; size: ExportSize; pngPixels: { width: number; height: number } }

const CSS_PX_PER_MM = 96 / 25.4;

/** Sets the root <svg>'s width/height to millimetres, keeping its pixel coordinate system as the viewBox. */
export function svgAtSize(svg: string, widthMm: number, heightMm: number): string {
  const m = svg.match(/<svg\b[^>]*>/);
  if (!m) throw new Error('svgAtSize: no <svg> element');
  const tag = m[0];
  const num = (a: string) => Number((tag.match(new RegExp(`\\s${a}="([\\d.]+)(?:px)?"`)) ?? [])[1]);
  const w = num('width');
  const h = num('height');
  if (!(w > 0 && h > 0)) throw new Error('svgAtSize: the <svg> element has no pixel width/height');
  let out = tag.replace(/\swidth="[^"]*"/, ` width="${widthMm}mm"`).replace(/\sheight="[^"]*"/, ` height="${heightMm}mm"`);
  if (!/\sviewBox=/.test(out)) out = out.replace(/>$/, ` viewBox="0 0 ${w} ${h}">`);
  return svg.replace(tag, out);
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** PNG width and height in pixels (from IHDR), and the density in dots per inch if a pHYs chunk states it. */
export function pngInfo(png: Buffer): { width: number; height: number; dpi: number | null } {
  if (png.subarray(0, 8).toString('hex') !== '89504e470d0a1a0a') throw new Error('not a PNG file');
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  let dpi: number | null = null;
  for (let at = 8; at + 8 <= png.length;) {
    const len = png.readUInt32BE(at);
    const type = png.subarray(at + 4, at + 8).toString('latin1');
    if (type === 'pHYs' && png[at + 16] === 1) dpi = Math.round(png.readUInt32BE(at + 8) * 0.0254);
    if (type === 'IEND') break;
    at += 12 + len;
  }
  return { width, height, dpi };
}

/** Inserts (or replaces) the pHYs chunk so the PNG states `dpi` (PNG stores pixels per metre). */
export function pngWithDpi(png: Buffer, dpi: number): Buffer {
  const ppm = Math.round(dpi / 0.0254);
  const body = Buffer.alloc(13);
  body.write('pHYs', 0, 'latin1');
  body.writeUInt32BE(ppm, 4);
  body.writeUInt32BE(ppm, 8);
  body[12] = 1;
  const chunk = Buffer.alloc(21);
  chunk.writeUInt32BE(9, 0);
  body.copy(chunk, 4);
  chunk.writeUInt32BE(crc32(body), 17);
  const parts: Buffer[] = [png.subarray(0, 8)];
  for (let at = 8; at + 8 <= png.length;) {
    const len = png.readUInt32BE(at);
    const type = png.subarray(at + 4, at + 8).toString('latin1');
    const whole = png.subarray(at, at + 12 + len);
    if (type !== 'pHYs') parts.push(whole);
    if (type === 'IHDR') parts.push(chunk);
    at += 12 + len;
  }
  return Buffer.concat(parts);
}

/** Renders each figure to `<outDir>/<name>.svg` and `.png` at journal size in one Chromium session. */
export async function exportFigures(figures: FigureIn[], outDir: string, opts: { widthMm?: number; heightMm?: number; dpi?: number; chromiumPath?: string } = {}): Promise<ExportedFigure[]> {
  const widthMm = opts.widthMm ?? 174;
  const dpi = opts.dpi ?? 300;
  const exe = opts.chromiumPath ?? process.env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM;
  if (!fs.existsSync(exe)) throw new Error(`figure export needs Chromium: none at ${exe} (set CHROMIUM_PATH)`);
  fs.mkdirSync(outDir, { recursive: true });
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csc-figures-'));
  const context = await chromium.launchPersistentContext(userDataDir, { executablePath: exe, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'], timeout: 60_000 });
  const done: ExportedFigure[] = [];
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
    await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>');
    await page.addScriptTag({ content: plotlyScriptSource() });
    for (const f of figures) {
      const heightMm = opts.heightMm ?? Math.round(widthMm * f.aspect * 10) / 10;
      const w = Math.round(widthMm * CSS_PX_PER_MM);
      const h = Math.round(heightMm * CSS_PX_PER_MM);
      const [svgUrl, pngUrl] = await page.evaluate(async ({ figure, w, h, scale }) => {
        const Plotly = (globalThis as unknown as { Plotly: { toImage: (fig: unknown, o: unknown) => Promise<string> } }).Plotly;
        const fig = { data: figure.data, layout: { ...(figure.layout ?? {}), width: w, height: h }, config: { staticPlot: true } };
        return [await Plotly.toImage(fig, { format: 'svg', width: w, height: h }), await Plotly.toImage(fig, { format: 'png', width: w, height: h, scale })];
      }, { figure: f.figure, w, h, scale: dpi / 96 });
      const svg = svgAtSize(decodeURIComponent(svgUrl.replace(/^data:image\/svg\+xml,/, '')), widthMm, heightMm);
      const png = pngWithDpi(Buffer.from(pngUrl.replace(/^data:image\/png;base64,/, ''), 'base64'), dpi);
      const svgFile = path.join(outDir, `${f.name}.svg`);
      const pngFile = path.join(outDir, `${f.name}.png`);
      fs.writeFileSync(svgFile, svg);
      fs.writeFileSync(pngFile, png);
      const info = pngInfo(png);
      done.push({ name: f.name, svg: svgFile, png: pngFile, size: { widthMm, heightMm, dpi }, pngPixels: { width: info.width, height: info.height } });
    }
  } finally {
    await context.close().catch(() => undefined);
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
  return done;
}

/** Every plotly figure in an executed notebook, named <notebook>-fig<NN>. */
export function figuresOfNotebook(file: string): FigureIn[] {
  const nb = JSON.parse(fs.readFileSync(file, 'utf8')) as { cells: Array<{ outputs?: Array<{ data?: Record<string, unknown>; metadata?: Record<string, unknown> }> }> };
  const base = path.basename(file).replace(/\.ipynb$/, '');
  const out: FigureIn[] = [];
  for (const c of nb.cells) for (const o of c.outputs ?? []) {
    const fig = o.data?.[PLOTLY_MIME] as FigureIn['figure'] | undefined;
    if (!fig) continue;
    const meta = (o.metadata?.[PLOT_METADATA_KEY] ?? {}) as { width?: number; height?: number };
    out.push({ name: `${base}-fig${String(out.length + 1).padStart(2, '0')}`, figure: fig, aspect: (meta.height ?? 450) / (meta.width ?? 720) });
  }
  return out;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (k: string) => { const i = args.indexOf(k); return i >= 0 ? args.splice(i, 2)[1] : undefined; };
  const outDir = opt('--out') ?? 'out/figures';
  const widthMm = Number(opt('--width-mm') ?? 174);
  const dpi = Number(opt('--dpi') ?? 300);
  const files = args.length ? args : fs.readdirSync('out').filter((f) => f.endsWith('.ipynb')).map((f) => path.join('out', f));
  const figs = files.flatMap(figuresOfNotebook);
  const done = await exportFigures(figs, outDir, { widthMm, dpi });
  for (const d of done) process.stdout.write(`${d.svg} + .png  ${d.size.widthMm} × ${d.size.heightMm} mm, ${d.pngPixels.width} × ${d.pngPixels.height} px at ${dpi} dpi\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename ?? '')) {
  main().catch((e) => { process.stderr.write(`${(e as Error).message}\n`); process.exit(1); });
}
