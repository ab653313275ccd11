// Figure styling shared by the plotly figure builders: colour-blind-safe colours, line styles,
// the base layout and the disclosure metadata the output checker reads.
import { SdcRules, sdcNote } from './sdc';

export interface PlotlyFigure {
  data: Array<Record<string, unknown>>;
  layout: Record<string, unknown>;
}

/**
 * Colour-blind-safe series colours: Okabe & Ito (2008) without its yellow (too pale for lines and
 * text on white), then Paul Tol's "muted" wine, teal, olive, indigo and purple — 12 colours. A 13th
 * and later series repeat the colours with a dashed line (seriesStyle), so no two series match.
 */
export const PALETTE: readonly string[] = [
  '#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000',
  '#882255', '#44AA99', '#999933', '#332288', '#AA4499',
];

/** The i-th series colour (0-based; wraps around PALETTE, see seriesStyle for the dash that tells repeats apart). */
export function colour(i: number): string {
  return PALETTE[i % PALETTE.length];
}

/** Line style of series i: colour, and a dash pattern once the colours are used up. */
export function seriesStyle(i: number): { color: string; dash: string } {
  return { color: colour(i), dash: ['solid', 'dash', 'dot', 'dashdot'][Math.floor(i / PALETTE.length) % 4] };
}

/** The Plotly layout every figure starts from (white template, fonts, margins), with `extra` merged in. */
export function baseLayout(title: string | undefined, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: title ? { text: title, font: { size: 15 } } : undefined,
    template: 'plotly_white',
    font: { family: 'Helvetica, Arial, sans-serif', size: 12 },
    margin: { l: 70, r: 20, t: title ? 50 : 20, b: 60 },
    ...extra,
  };
}

/** Figure metadata for the output checker: the disclosure rules applied and which traces carry counts (none without rules). */
export function sdcMeta(rules: SdcRules | null, countTraces: number[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return rules ? { sdc: { rules, countTraces, note: sdcNote(rules), ...extra } } : { sdc: { rules: null, countTraces: [] } };
}

/** '#rrggbb' as an rgba() colour with the given opacity (0–1). */
export function hexAlpha(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
}
