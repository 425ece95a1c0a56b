import { Text } from 'ink';
import type { CellStyle, Segment } from '../utils/timeline-layout.js';

interface Look {
  color?: string;
  bold?: boolean;
  dimColor?: boolean;
}

const LOOKS: Record<CellStyle, Look> = {
  blank: {},
  idle: { color: 'gray', dimColor: true },
  seen: { color: 'green' },
  join: { color: 'greenBright', bold: true },
  flap: { color: 'magenta', bold: true },
  left: { color: 'red', bold: true },
  'left-verified': { color: 'redBright', bold: true },
  'left-suspected': { color: 'yellow', bold: true },
  run: { color: 'blue' },
  'run-start': { color: 'blueBright', bold: true },
  'run-stopped': { color: 'blueBright', bold: true },
  'run-crashed': { color: 'red', bold: true },
  axis: { color: 'gray' },
  tick: { color: 'gray' },
  cursor: { color: 'cyan', bold: true },
  'finding-error': { color: 'red', bold: true },
  'finding-warning': { color: 'yellow', bold: true },
  'finding-info': { color: 'blue' },
};

export interface Props {
  segments: readonly Segment[];
}

/** One timeline bar: runs of cells, each coloured by its style. Renders inline inside a <Text>. */
export function SegmentText({ segments }: Props) {
  return (
    <>
      {segments.map((s, i) => {
        const look = LOOKS[s.style];
        return (
          <Text key={i} color={look.color} bold={look.bold} dimColor={look.dimColor}>
            {s.text}
          </Text>
        );
      })}
    </>
  );
}
