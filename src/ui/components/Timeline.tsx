import { Box, Text } from 'ink';
import { useMemo } from 'react';
import type { ClusterSnapshot } from '../../core/snapshot.js';
import type { TimeFormatter } from '../types.js';
import { fit, truncate } from '../utils/fit-text.js';
import { formatDuration } from '../utils/format-duration.js';
import { GLYPHS, layoutTimeline, type TimeWindow } from '../utils/timeline-layout.js';
import { SegmentText } from './SegmentText.js';

export interface Props {
  snapshot: ClusterSnapshot;
  /** The visible time window. */
  window: TimeWindow;
  zoom: number;
  width: number;
  /** Lines available, including the title and the two axis lines. */
  height: number;
  formatTime: TimeFormatter;
  /** Zone offset (minutes) to put ticks on round wall-clock times. */
  tickOffsetMin?: number;
  cursorMs?: number;
  /** First row shown when the rows do not fit. */
  scroll: number;
  focused: boolean;
}

const NOTE_WIDTH = 6;
const LEGEND = `${GLYPHS.seen} seen ${GLYPHS.join} join ${GLYPHS.leftVerified} left(verified) ${GLYPHS.leftSuspected} left(suspected) ${GLYPHS.left} left ${GLYPHS.flap} flap ${GLYPHS.run} up ${GLYPHS.runStopped} stop ${GLYPHS.runCrashed} crash`;

export function Timeline({ snapshot, window: win, zoom, width, height, formatTime, tickOffsetMin, cursorMs, scroll, focused }: Props) {
  const labelWidth = useMemo(() => {
    let longest = 0;
    for (const n of snapshot.nodes) longest = Math.max(longest, Array.from(n.name).length);
    for (const r of snapshot.membership) longest = Math.max(longest, Array.from(r.member || r.memberAddress).length + 2);
    return Math.max(6, Math.min(longest + 1, 24, Math.floor(width / 4)));
  }, [snapshot, width]);
  const barWidth = Math.max(4, width - labelWidth - NOTE_WIDTH);

  const layout = useMemo(
    () => layoutTimeline({ snapshot, window: win, barWidth, formatTime, cursorMs, tickOffsetMin }),
    [snapshot, win.fromMs, win.toMs, barWidth, formatTime, cursorMs, tickOffsetMin],
  );

  const bodyHeight = Math.max(0, height - 3);
  const maxScroll = Math.max(0, layout.rows.length - bodyHeight);
  const first = Math.min(scroll, maxScroll);
  const visible = layout.rows.slice(first, first + bodyHeight);
  const more = layout.rows.length > bodyHeight ? ` rows ${first + 1}-${first + visible.length}/${layout.rows.length}${first < maxScroll ? ' ↓' : ''}${first > 0 ? ' ↑' : ''}` : '';
  const zoomText = zoom > 0 ? ` zoom ×${2 ** zoom}` : '';
  const title = `Membership${zoomText} ${formatTime(win.fromMs)}–${formatTime(win.toMs)} (${formatDuration(win.toMs - win.fromMs)})${more}`;
  const legendRoom = width - Array.from(title).length - 2;

  return (
    <Box flexDirection="column" width={width} height={height} flexShrink={0}>
      <Text wrap="truncate">
        <Text bold color={focused ? 'cyan' : undefined} inverse={focused}>
          {truncate(title, width)}
        </Text>
        {legendRoom > 10 ? <Text color="gray">{'  ' + truncate(LEGEND, legendRoom)}</Text> : null}
      </Text>
      {visible.map((row) => (
        <Text key={row.key} wrap="truncate">
          <Text bold={row.kind === 'lane'} color={row.kind === 'lane' ? 'white' : undefined}>
            {fit(row.kind === 'lane' ? row.label : `  ${row.label}`, labelWidth)}
          </Text>
          <SegmentText segments={row.segments} />
          <Text color="magenta">{row.note ? ' ' + truncate(row.note, NOTE_WIDTH - 1) : ''}</Text>
        </Text>
      ))}
      {height >= 3 ? (
        <>
          <Text wrap="truncate">
            {' '.repeat(labelWidth)}
            <SegmentText segments={layout.axis} />
          </Text>
          <Text wrap="truncate" color="gray">
            {' '.repeat(labelWidth)}
            {layout.labels.trimEnd()}
          </Text>
        </>
      ) : null}
    </Box>
  );
}
