/**
 * Display helpers for notebooks (imported as "./kernel-helpers/index" from notebooks/, through
 * the notebooks/kernel-helpers symlink; see notebooks/README.md).
 */
export { show, extractTable, renderTableHtml, renderTableText } from './show';
export type { ShowOptions, Row, TableLike } from './show';
export { plot, resetPlotlyEmbedding } from './plot';
export { insertPngFallback, plotlyScriptSource, plotlyScriptElement, stripInlinedPlotly, inlineScriptSafe, jsonForScript, PLOTLY_MIME, PLOT_METADATA_KEY } from './plotly-inline';
export type { PlotlyFigure, PlotOptions } from './plot';
export { formatNumber, formatP, formatCell, formatNumericColumn, isPValueColumn, escapeHtml } from './format';
export type { CellFormatter } from './format';
export { emitDisplay, setDisplaySink } from './display';
export type { DisplayBundle } from './display';
export { reprBundle } from './repr';
export type { ReprBundle } from './repr';
export { progressDisplay, progressBundle, progressDoneBundle, progressClearedBundle, isClearedBundle } from './progress';
export type { ProgressCallback, ProgressEvent, ProgressDisplay, ProgressDisplayOptions } from './progress';
