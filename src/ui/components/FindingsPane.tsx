import { Box, Text } from 'ink';
import type { Finding, Severity } from '../../core/snapshot.js';
import type { EvidenceLookup, TimeFormatter } from '../types.js';
import { truncate } from '../utils/fit-text.js';
import { safe } from '../utils/safe-text.js';
import { EvidenceLines } from './EvidenceLines.js';

export interface Props {
  /** Most severe first (see sortFindings). */
  findings: readonly Finding[];
  selected: number;
  /** Show the selected finding's evidence. */
  open: boolean;
  width: number;
  height: number;
  formatTime: TimeFormatter;
  getEvidenceText?: EvidenceLookup;
}

/** Greedy word wrap to `width` columns; long words are cut. */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const w = Array.from(word).length > width ? truncate(word, width) : word;
    if (!line) line = w;
    else if (Array.from(line).length + 1 + Array.from(w).length <= width) line += ' ' + w;
    else {
      out.push(line);
      line = w;
    }
  }
  if (line) out.push(line);
  return out;
}

const TAG: Record<Severity, { text: string; color: string }> = {
  error: { text: 'ERROR', color: 'red' },
  warning: { text: 'WARN ', color: 'yellow' },
  info: { text: 'INFO ', color: 'blue' },
};

export function FindingsPane({ findings, selected, open, width, height, formatTime, getEvidenceText }: Props) {
  if (findings.length === 0) {
    return (
      <Box width={width} height={height}>
        <Text color="green">No findings.</Text>
      </Box>
    );
  }
  const current = findings[Math.min(selected, findings.length - 1)];
  // Open: the whole message (wrapped, at most a third of the pane), then the evidence lines.
  const messageLines = open ? wrap(safe(current.message), Math.max(10, width - 2)).slice(0, Math.max(1, Math.floor(height / 3))) : [];
  const evidenceLines = open ? Math.min(Math.max(1, current.evidence.length), Math.max(1, height - messageLines.length - 3)) : 0;
  const listRows = Math.max(1, height - (open ? messageLines.length + evidenceLines + 1 : 0));
  const first = Math.max(0, Math.min(selected - listRows + 1, findings.length - listRows));
  const shown = findings.slice(first, first + listRows);
  return (
    <Box flexDirection="column" width={width} height={height} flexShrink={0}>
      {shown.map((f, k) => {
        const i = first + k;
        const isSel = i === selected;
        const tag = TAG[f.severity] ?? TAG.info;
        const when = f.timeMs !== undefined ? formatTime(f.timeMs) : '--:--:--';
        const rest = ` ${when} ${f.node ? safe(f.node) + ' ' : ''}${safe(f.kind)}: ${safe(f.message)}`;
        return (
          <Text key={i} wrap="truncate" inverse={isSel}>
            <Text>{isSel ? '▶' : ' '}</Text>
            <Text color={tag.color} bold>
              {tag.text}
            </Text>
            <Text>{truncate(rest, Math.max(0, width - 6))}</Text>
          </Text>
        );
      })}
      {open ? (
        <>
          {messageLines.map((l, i) => (
            <Text key={`m${i}`} wrap="truncate">
              {'  ' + l}
            </Text>
          ))}
          <Text wrap="truncate" color="gray">
            {truncate(`evidence (${current.evidence.length}) — Enter to close`, width)}
          </Text>
          <EvidenceLines refs={current.evidence} getEvidenceText={getEvidenceText} width={width} maxLines={evidenceLines} />
        </>
      ) : null}
    </Box>
  );
}
