import { Box, Text } from 'ink';
import type { ClusterSnapshot } from '../../core/snapshot.js';
import type { TimeFormatter } from '../types.js';
import { formatDuration } from '../utils/format-duration.js';
import { truncate } from '../utils/fit-text.js';
import { safe } from '../utils/safe-text.js';

export interface Props {
  snapshot: ClusterSnapshot;
  live: boolean;
  /** Wall-clock time of the last refresh (shown when live). */
  updatedAt: number;
  formatTime: TimeFormatter;
  width: number;
  /** 2 or 3 lines: the third lists the inputs. */
  height: number;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function Header({ snapshot, live, updatedAt, formatTime, width, height }: Props) {
  const { span, counts, findings, nodes, inputs } = snapshot;
  const events = Object.values(counts.events).reduce((a, b) => a + b, 0);
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  const spanText =
    span.fromMs !== undefined && span.toMs !== undefined
      ? `${formatTime(span.fromMs)} → ${formatTime(span.toMs)} (${formatDuration(span.toMs - span.fromMs)})`
      : 'no timed events';
  const findingText = `${plural(findings.length, 'finding')}${errors || warnings ? ` (${errors} err, ${warnings} warn)` : ''}`;
  const stats = `${findingText} · ${plural(events, 'event')} · ${plural(counts.inputs || inputs.length, 'input')} · ${plural(counts.lines, 'line')}`;

  const nodeText = nodes
    .map((n) => {
      const addr = n.address ? ` ${safe(n.address)}` : '';
      return `${safe(n.name)}${addr} ${plural(n.runs.length, 'run')}`;
    })
    .join('  ');
  const inputText = (inputs.length ? inputs.map((i) => `${safe(i.node)}: ${safe(i.file)}`) : nodes.flatMap((n) => n.files.map((f) => `${safe(n.name)}: ${safe(f)}`))).join('  ');

  const marker = live ? `● LIVE · updated ${formatTime(updatedAt)}` : '■ ARCHIVED';
  const title = 'catalina-lens ';
  const rest = width - title.length - marker.length - 2;
  return (
    <Box flexDirection="column" width={width} height={height} flexShrink={0}>
      <Text wrap="truncate">
        <Text bold>{title}</Text>
        <Text color={live ? 'green' : 'gray'} bold={live}>
          {marker}
        </Text>
        <Text>{truncate(`  ${spanText}  ${stats}`, Math.max(0, rest + 2))}</Text>
      </Text>
      <Text wrap="truncate">
        <Text color="gray">nodes  </Text>
        {truncate(nodeText || '(none)', Math.max(0, width - 7))}
      </Text>
      {height > 2 ? (
        <Text wrap="truncate">
          <Text color="gray">inputs </Text>
          {truncate(inputText || '(none)', Math.max(0, width - 7))}
        </Text>
      ) : null}
    </Box>
  );
}
