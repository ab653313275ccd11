/**
 * plot(figure, options?): shows a plotly figure ({data, layout, config?}) as ONE display_data with
 * - application/vnd.plotly.v1+json: the figure itself (JupyterLab's plotly renderer, re-plotting);
 * - text/html: a div plus a script; the first plot of the process (= of the notebook, since the
 *   runner uses one process per notebook) carries plotly.js inline, so the output is offline in a
 *   live kernel (the runner removes it from saved .ipynb files and inlines it once per HTML page);
 * - text/plain: a one-line description;
 * - metadata["csc-plot"] = {id, width, height}: the runner renders the image/png fallback from it
 *   after execution (headless Chromium) and inserts that image into the div as well, where it stays
 *   visible when JS is off and is hidden once plotly has drawn the interactive figure.
 */
import { emitDisplay } from './display';
import { PLOT_METADATA_KEY, PLOTLY_MIME, plotDrawScript, plotlyScriptElement } from './plotly-inline';

export { PLOT_METADATA_KEY, PLOTLY_MIME } from './plotly-inline';

export interface PlotlyFigure {
  data: unknown[];
  layout?: Record<string, unknown>;
  config?: Record<string, unknown>;
}

export interface PlotOptions {
  /** Pixel size of the figure and of its PNG fallback. */
  width?: number;
  height?: number;
}

let plotlyEmbedded = false;
let plotCounter = 0;

/** Makes the next plot embed plotly.js again (e.g. after outputs were cleared interactively). */
export function resetPlotlyEmbedding(): void {
  plotlyEmbedded = false;
}

function validateFigure(figure: unknown): PlotlyFigure {
  if (typeof figure !== 'object' || figure === null || !Array.isArray((figure as PlotlyFigure).data)) {
    throw new Error('plot(): expected a plotly figure {data: [...traces], layout?: {...}}');
  }
  const layout = (figure as PlotlyFigure).layout;
  if (layout !== undefined && (typeof layout !== 'object' || layout === null)) {
    throw new Error('plot(): figure.layout must be an object');
  }
  // A round trip through JSON catches typed arrays/functions early and freezes the figure's content.
  return JSON.parse(JSON.stringify(figure)) as PlotlyFigure;
}

/** plotly.js ≥ 3 dropped the string shorthand for titles; accept it, as most examples use it. */
function normaliseTitles(layout: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...layout };
  if (typeof out.title === 'string') out.title = { text: out.title };
  for (const key of Object.keys(out)) {
    const axis = out[key];
    if (/^[xy]axis\d*$/.test(key) && axis && typeof axis === 'object' && typeof (axis as { title?: unknown }).title === 'string') {
      out[key] = { ...(axis as Record<string, unknown>), title: { text: (axis as { title: string }).title } };
    }
  }
  return out;
}

function titleOf(layout: Record<string, unknown> | undefined): string {
  const t = layout?.title;
  if (typeof t === 'string') return t;
  if (t && typeof t === 'object' && typeof (t as { text?: unknown }).text === 'string') return (t as { text: string }).text;
  return 'untitled';
}

export function plot(figure: PlotlyFigure, options: PlotOptions = {}): void {
  const fig = validateFigure(figure);
  const width = options.width ?? (typeof fig.layout?.width === 'number' ? (fig.layout.width as number) : 720);
  const height = options.height ?? (typeof fig.layout?.height === 'number' ? (fig.layout.height as number) : 450);
  const id = `csc-plot-${++plotCounter}`;
  const layout = { ...normaliseTitles(fig.layout ?? {}), width, height };
  const config = { displaylogo: false, responsive: false, ...(fig.config ?? {}) };

  const parts: string[] = [];
  if (!plotlyEmbedded) {
    parts.push(plotlyScriptElement());
    plotlyEmbedded = true;
  }
  parts.push(`<div class="csc-plot" id="${id}" style="max-width:100%;overflow-x:auto"></div>`);
  parts.push(plotDrawScript(id, { data: fig.data, layout, config }, height));

  const traces = fig.data.length;
  emitDisplay({
    data: {
      [PLOTLY_MIME]: { data: fig.data, layout, config },
      'text/html': parts.join('\n'),
      'text/plain': `Plotly figure: ${titleOf(fig.layout)} (${traces} trace${traces === 1 ? '' : 's'})`,
    },
    metadata: { [PLOT_METADATA_KEY]: { id, width, height } },
  });
}
