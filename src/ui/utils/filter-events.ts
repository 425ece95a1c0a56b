import type { ClusterEvent } from '../../core/types.js';
import { safe } from './safe-text.js';

export interface EventRow {
  event: ClusterEvent;
  /** Sanitised node name and event type. */
  node: string;
  type: string;
  /** Sanitised text shown for the event's subject (member, manager, address). */
  subject: string;
  /** Sanitised message. */
  message: string;
  /** Lower-case text the filter matches against. */
  haystack: string;
}

function subjectOf(e: ClusterEvent): string {
  if (e.member) return e.member.name || `${e.member.host}:${e.member.port}`;
  if (e.manager) return e.manager;
  if (e.address) return e.port !== undefined ? `${e.address}:${e.port}` : e.address;
  return '';
}

/** The last `limit` events in time order, each with its sanitised display text. */
export function toEventRows(events: readonly ClusterEvent[], limit: number): EventRow[] {
  const tail = events.slice(Math.max(0, events.length - limit));
  const rows = tail.map((event, i) => {
    const subject = safe(subjectOf(event));
    const message = safe(event.message);
    const node = safe(event.node);
    const type = safe(event.type);
    return {
      i,
      row: {
        event,
        node,
        type,
        subject,
        message,
        haystack: `${type} ${node} ${subject} ${message}`.toLowerCase(),
      },
    };
  });
  // Time order; events without a time keep their place relative to their neighbours.
  rows.sort((a, b) => (a.row.event.timeMs ?? 0) - (b.row.event.timeMs ?? 0) || a.i - b.i);
  if (rows.some((r) => r.row.event.timeMs === undefined)) rows.sort((a, b) => a.i - b.i);
  return rows.map((r) => r.row);
}

/** Rows whose text contains every whitespace-separated term of `filter` (case-insensitive). */
export function filterEventRows(rows: readonly EventRow[], filter: string): readonly EventRow[] {
  const terms = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return rows;
  return rows.filter((r) => terms.every((t) => r.haystack.includes(t)));
}
