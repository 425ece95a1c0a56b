// `analyze --csv`: one row per state transfer, RFC 4180 (CRLF line ends, fields quoted when needed).

import type { ClusterSnapshot } from '../core/snapshot.js';

export const TRANSFER_CSV_HEADER = ['node', 'manager', 'member', 'provider', 'requestedAt', 'outcome', 'durationMs', 'file', 'line'] as const;

export function csvField(value: unknown): string {
  if (value === undefined || value === null) return '';
  let text = String(value);
  // Spreadsheet formula injection: a leading = + - @ (or tab/CR) in log-derived text is neutralised.
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function renderTransfersCsv(snapshot: ClusterSnapshot): string {
  const rows = [TRANSFER_CSV_HEADER.join(',')];
  for (const t of snapshot.transfers) {
    rows.push([t.node, t.manager, t.member, t.provider, t.requestedAt, t.outcome, t.durationMs, t.file, t.line].map(csvField).join(','));
  }
  return rows.join('\r\n') + '\r\n';
}
