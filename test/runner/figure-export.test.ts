import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { exportFigures, pngInfo, pngWithDpi, svgAtSize } from '../../scripts/notebook/figure-export';
import { DEFAULT_CHROMIUM } from '../../scripts/notebook/png';

function tinyPng(): Buffer {
  const chunk = (type: string, body: Buffer) => {
    const b = Buffer.alloc(12 + body.length);
    b.writeUInt32BE(body.length, 0); b.write(type, 4, 'latin1'); body.copy(b, 8);
    return b; // CRC left 0: pngInfo/pngWithDpi do not check other chunks' CRCs
  };
  const ihdr = Buffer.alloc(13); ihdr.writeUInt32BE(3, 0); ihdr.writeUInt32BE(2, 4); ihdr[8] = 8; ihdr[9] = 0;
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(Buffer.alloc(8))), chunk('IEND', Buffer.alloc(0))]);
}

describe('journal-size figure export', () => {
  it('svgAtSize states millimetres and keeps the pixel viewBox', () => {
    const out = svgAtSize('<svg xmlns="http://www.w3.org/2000/svg" width="658" height="411" style="x"><g/></svg>', 174, 108.8);
    expect(out).toMatch(/<svg[^>]* width="174mm" height="108.8mm"[^>]* viewBox="0 0 658 411">/);
    expect(() => svgAtSize('<svg><g/></svg>', 10, 10)).toThrow(/pixel width/);
  });
  it('pngWithDpi writes a pHYs chunk that pngInfo reads back, replacing an old one', () => {
    const p = pngWithDpi(tinyPng(), 300);
    expect(pngInfo(p)).toEqual({ width: 3, height: 2, dpi: 300 });
    expect(pngInfo(pngWithDpi(p, 600)).dpi).toBe(600);
    expect(pngInfo(tinyPng()).dpi).toBeNull();
  });
  it.skipIf(!fs.existsSync(process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM))('renders a plotly figure to a valid SVG and a PNG of the stated size', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fig-'));
    const figure = { data: [{ type: 'scatter', x: [1, 2, 3], y: [2, 1, 3] }], layout: { title: { text: 'test' } } };
    const [f] = await exportFigures([{ name: 'f', figure, aspect: 0.5 }], dir, { widthMm: 84, dpi: 300 });
    const svg = fs.readFileSync(f.svg, 'utf8');
    expect(svg).toMatch(/^<svg[^>]* width="84mm" height="42mm"/);
    expect(svg).toContain('</svg>');
    const info = pngInfo(fs.readFileSync(f.png));
    // 84 mm at 300 dpi = 992 px; 42 mm = 496 px (±1 px from rounding CSS pixels)
    expect(Math.abs(info.width - 992)).toBeLessThanOrEqual(2);
    expect(Math.abs(info.height - 496)).toBeLessThanOrEqual(2);
    expect(info.dpi).toBe(300);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 120_000);
});
