import { Box, Text } from 'ink';
import type { ClusterSnapshot, NodeInfo } from '../../core/snapshot.js';
import type { TimeFormatter } from '../types.js';
import { truncate } from '../utils/fit-text.js';
import { safe } from '../utils/safe-text.js';

export interface Props {
  snapshot: ClusterSnapshot;
  live: boolean;
  updatedAt: number;
  width: number;
  height: number;
  formatTime: TimeFormatter;
}

function nodeState(node: NodeInfo, live: boolean): string {
  const last = node.runs[node.runs.length - 1];
  if (!last) return '?';
  if (last.endReason === 'stopped') return 'stopped';
  return live ? 'up' : 'log ends';
}

/** For terminals under 60 columns or 15 rows: one line per fact, no timeline. */
export function CompactView({ snapshot, live, updatedAt, width, height, formatTime }: Props) {
  const { span, findings, nodes, membership } = snapshot;
  const errors = findings.filter((f) => f.severity === 'error').length;
  const lines: { text: string; color?: string; bold?: boolean }[] = [];
  lines.push({ text: `catalina-lens ${live ? `● live ${formatTime(updatedAt)}` : '■ archived'}`, bold: true });
  if (span.fromMs !== undefined && span.toMs !== undefined) lines.push({ text: `${formatTime(span.fromMs)}–${formatTime(span.toMs)}` });
  lines.push({ text: `findings ${findings.length}${errors ? ` (${errors} error${errors === 1 ? '' : 's'})` : ''}`, color: errors ? 'red' : findings.length ? 'yellow' : 'green' });
  for (const n of nodes) {
    const rows = membership.filter((m) => m.observer === n.name);
    const open = rows.filter((m) => m.intervals.some((i) => i.endReason === 'open')).length;
    const sees = live ? `sees ${open}/${rows.length}` : `members ${rows.length}`;
    lines.push({ text: `${safe(n.name)} ${nodeState(n, live)} runs ${n.runs.length} ${sees}${n.address ? ' ' + safe(n.address) : ''}` });
  }
  if (height <= 1) {
    return (
      <Text wrap="truncate" bold>
        {truncate(`${lines[0].text} · ${findings.length} findings`, width)}
      </Text>
    );
  }
  const room = Math.max(1, height - 1);
  const shown = lines.length > room ? [...lines.slice(0, room - 1), { text: `+${lines.length - room + 1} more`, color: 'gray' }] : lines;
  return (
    <Box flexDirection="column" width={width} height={Math.min(height, shown.length + 1)}>
      {shown.map((l, i) => (
        <Text key={i} wrap="truncate" color={l.color} bold={l.bold}>
          {truncate(l.text, width)}
        </Text>
      ))}
      <Text wrap="truncate" color="gray">
        {truncate('q quit · enlarge for the timeline', width)}
      </Text>
    </Box>
  );
}
