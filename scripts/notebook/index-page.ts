/** out/index.html: one row per notebook with its status and run time. */
import { escapeHtml } from './html';

export interface IndexEntry {
  name: string;
  title: string;
  status: 'ok' | 'failed' | 'timeout' | 'error' | 'not run';
  detail: string;
  durationMs: number;
  htmlFile: string | null;
  ipynbFile: string | null;
}

export function renderIndexHtml(entries: IndexEntry[], info: { startedAt: Date; totalMs: number; warnings: string[]; parameters: Record<string, unknown> }): string {
  const colour = (s: IndexEntry['status']) => (s === 'ok' ? '#1a7f37' : s === 'not run' ? '#57606a' : '#cf222e');
  const rows = entries.map((e) => `<tr>
<td>${e.htmlFile ? `<a href="${escapeHtml(e.htmlFile)}">${escapeHtml(e.name)}</a>` : escapeHtml(e.name)}</td>
<td>${escapeHtml(e.title)}</td>
<td style="color:${colour(e.status)};font-weight:600">${escapeHtml(e.status)}</td>
<td>${escapeHtml(e.detail)}</td>
<td style="text-align:right">${(e.durationMs / 1000).toFixed(1)} s</td>
<td>${e.ipynbFile ? `<a href="${escapeHtml(e.ipynbFile)}">.ipynb</a>` : ''}</td>
</tr>`).join('\n');
  const params = Object.keys(info.parameters).length > 0 ? `<p>Parameters: <code>${escapeHtml(JSON.stringify(info.parameters))}</code></p>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>csc-outcomes notebooks</title>
<style>body{font-family:-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#1f2328}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #d0d7de;padding:0.3em 0.6em;text-align:left;vertical-align:top}
.warn{background:#fff8e6;padding:0.5em;border-left:3px solid #d4a72c}</style></head>
<body><h1>csc-outcomes notebooks</h1>
<p>Run started ${escapeHtml(info.startedAt.toISOString())}, total ${(info.totalMs / 1000).toFixed(1)} s.</p>
${params}${info.warnings.map((w) => `<p class="warn">⚠ ${escapeHtml(w)}</p>`).join('\n')}
<table><thead><tr><th>Notebook</th><th>Title</th><th>Status</th><th>Detail</th><th>Run time</th><th>Notebook file</th></tr></thead>
<tbody>
${rows}
</tbody></table></body></html>
`;
}
