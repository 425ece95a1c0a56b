import { Box, Text } from 'ink';
import type { TimeFormatter } from '../types.js';
import { fit, truncate } from '../utils/fit-text.js';
import { withMillis } from '../utils/format-time.js';
import type { EventRow } from '../utils/filter-events.js';

export interface Props {
  /** Rows after filtering, in time order. */
  rows: readonly EventRow[];
  /** How many events are kept before filtering. */
  total: number;
  filter: string;
  editing: boolean;
  /** Lines scrolled back from the newest. */
  scroll: number;
  width: number;
  height: number;
  formatTime: TimeFormatter;
}

const LEVEL_COLOR: Record<string, string> = { SEVERE: 'red', WARNING: 'yellow' };

export function EventsPane({ rows, total, filter, editing, scroll, width, height, formatTime }: Props) {
  const listRows = Math.max(0, height - 1);
  const maxScroll = Math.max(0, rows.length - listRows);
  const back = Math.min(scroll, maxScroll);
  const end = rows.length - back;
  const shown = rows.slice(Math.max(0, end - listRows), end);
  const clock = withMillis(formatTime);
  const nodeWidth = Math.min(12, Math.max(4, ...shown.map((r) => Array.from(r.node).length)));
  const status = editing
    ? `/ ${filter}▏`
    : `${filter ? `${rows.length} of ${total} events match "${filter}" (Esc clears)` : `${total} events`}${back > 0 ? ` · ${back} newer below` : ''}`;
  return (
    <Box flexDirection="column" width={width} height={height} flexShrink={0}>
      <Text wrap="truncate" color={editing ? 'cyan' : 'gray'} bold={editing}>
        {truncate(status, width)}
      </Text>
      {shown.length === 0 ? (
        <Text color="gray">{filter ? 'No events match the filter.' : 'No events yet.'}</Text>
      ) : (
        shown.map((r, i) => {
          const e = r.event;
          const when = e.timeMs !== undefined ? clock(e.timeMs) : '--:--:--.---';
          const head = `${when} ${fit(r.node, nodeWidth)} `;
          const type = fit(r.type, 24) + ' ';
          const tail = `${r.subject ? r.subject + '  ' : ''}${r.message}`;
          const room = Math.max(0, width - Array.from(head).length - Array.from(type).length);
          return (
            <Text key={`${end - shown.length + i}`} wrap="truncate">
              <Text color="gray">{truncate(head, width)}</Text>
              <Text color={LEVEL_COLOR[e.level ?? ''] ?? 'cyan'}>{truncate(type, Math.max(0, width - Array.from(head).length))}</Text>
              <Text>{truncate(tail, room)}</Text>
            </Text>
          );
        })
      )}
    </Box>
  );
}
