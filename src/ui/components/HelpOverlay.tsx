import { Box, Text } from 'ink';
import { GLYPHS } from '../utils/timeline-layout.js';
import { fit } from '../utils/fit-text.js';

export interface Props {
  width: number;
  height: number;
}

export const HELP_KEYS: readonly [string, string][] = [
  ['Tab / Shift-Tab', 'next / previous pane (timeline, transfers, findings, events)'],
  ['↑ ↓  PgUp PgDn', 'move the selection or scroll the focused pane'],
  ['+ / -', 'zoom the timeline in / out'],
  ['← / →', 'pan the timeline (when zoomed)'],
  ['n', 'jump to the next finding in time'],
  ['Enter', 'show / hide the selected finding\'s evidence'],
  ['/', 'filter events (Enter keeps, Esc clears)'],
  ['?  Esc', 'this help / close it'],
  ['q  Ctrl-C', 'quit'],
];

const LEGEND: readonly [string, string][] = [
  [`${GLYPHS.seen}`, 'the observer saw the member'],
  [`${GLYPHS.idle}`, 'observer up, member not seen'],
  [`${GLYPHS.join}`, 'member joined'],
  [`${GLYPHS.leftVerified} ${GLYPHS.leftSuspected} ${GLYPHS.left}`, 'member left: verified / suspected / no detector record'],
  [`${GLYPHS.flap}`, 'member re-added after a loss (flap)'],
  [`${GLYPHS.run} ${GLYPHS.runStart} ${GLYPHS.runStopped} ${GLYPHS.runCrashed}`, "observer's own run: up / start / stop / ended without a stop"],
  [`${GLYPHS.cursor} ${GLYPHS.findingError} ${GLYPHS.findingWarning}`, 'axis: selected finding / error / warning'],
];

export function HelpOverlay({ width, height }: Props) {
  const lines: { key: string; text: string; head?: boolean }[] = [
    { key: 'Keys', text: '', head: true },
    ...HELP_KEYS.map(([key, text]) => ({ key, text })),
    { key: 'Timeline', text: '', head: true },
    ...LEGEND.map(([key, text]) => ({ key, text })),
  ];
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="round" borderColor="cyan" paddingX={1} flexShrink={0}>
      {lines.slice(0, Math.max(0, height - 2)).map((l, i) => (
        <Text key={i} wrap="truncate" bold={l.head} color={l.head ? 'cyan' : undefined}>
          {l.head ? l.key : `${fit(l.key, 18)}${l.text}`}
        </Text>
      ))}
    </Box>
  );
}
