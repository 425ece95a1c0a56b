import { Box, Text } from 'ink';
import { useMemo } from 'react';
import type { LatencyStats, Transfer } from '../../core/snapshot.js';
import type { EvidenceLookup, TimeFormatter } from '../types.js';
import { fit, truncate } from '../utils/fit-text.js';
import { formatDuration } from '../utils/format-duration.js';
import { withMillis } from '../utils/format-time.js';
import { histogram } from '../utils/histogram.js';
import { safe } from '../utils/safe-text.js';
import { groupKey, groupTransfers } from '../utils/transfer-groups.js';
import { EvidenceLines } from './EvidenceLines.js';

export interface Props {
  /** Transfers in request-time order (the selection indexes this list). */
  transfers: readonly Transfer[];
  latency: { overall: LatencyStats; byProvider: Record<string, LatencyStats> };
  selected: number;
  width: number;
  height: number;
  formatTime: TimeFormatter;
  getEvidenceText?: EvidenceLookup;
}

export function statsText(s: LatencyStats): string {
  return `n=${s.count} p50 ${formatDuration(s.p50)} p95 ${formatDuration(s.p95)} max ${formatDuration(s.max)} timeouts ${s.timeouts}`;
}

const NUM = 7;

export function TransfersPane({ transfers, latency, selected, width, height, formatTime, getEvidenceText }: Props) {
  const groups = useMemo(() => groupTransfers(transfers), [transfers]);
  const hist = useMemo(
    () => histogram(transfers.filter((t) => t.outcome === 'received' && t.durationMs !== undefined).map((t) => t.durationMs as number), 12),
    [transfers],
  );
  const current = transfers[Math.min(selected, transfers.length - 1)];
  const currentKey = current ? groupKey(current) : undefined;

  if (transfers.length === 0) {
    return (
      <Box flexDirection="column" width={width} height={height}>
        <Text color="gray">No state transfers recorded.</Text>
      </Box>
    );
  }

  const histText = hist ? `  ${hist.bars}  ${formatDuration(hist.min)}…${formatDuration(hist.max)}` : '';
  const summary = `latency ${statsText(latency.overall)}`;
  const byProvider = Object.entries(latency.byProvider)
    .map(([p, s]) => `${safe(p)} n=${s.count} p50 ${formatDuration(s.p50)} p95 ${formatDuration(s.p95)} max ${formatDuration(s.max)}`)
    .join('  ·  ');

  const refs = current ? [...new Set([`${current.file}:${current.line}`, ...(current.outcomeEvidence ? [current.outcomeEvidence] : [])])] : [];
  const evidenceLines = Math.min(refs.length, Math.max(0, height - 4));
  const fixed = 2 + 1 + evidenceLines; // summary, table header, selected line, evidence
  const showByProvider = byProvider !== '' && height - fixed - groups.length >= 1;
  const groupRows = Math.max(0, height - fixed - (showByProvider ? 1 : 0));
  const selectedGroup = Math.max(0, groups.findIndex((g) => g.key === currentKey));
  const firstGroup = Math.max(0, Math.min(selectedGroup - groupRows + 1, groups.length - groupRows));
  const shownGroups = groups.slice(firstGroup, firstGroup + groupRows);

  const pairWidth = Math.min(34, Math.max(16, Math.floor(width * 0.32)));
  const managerWidth = Math.max(8, width - pairWidth - NUM * 5 - 2);
  const header = `${fit('requester → provider', pairWidth)} ${fit('manager', managerWidth)}${fit('n', NUM, 'right')}${fit('p50', NUM, 'right')}${fit('p95', NUM, 'right')}${fit('max', NUM, 'right')}${fit('t/o', NUM, 'right')}`;

  const when = current?.requestedAtMs !== undefined ? withMillis(formatTime)(current.requestedAtMs) : '--:--:--';
  const outcome = current
    ? current.outcome === 'received'
      ? `received in ${formatDuration(current.durationMs)}`
      : current.outcome === 'timeout'
        ? `TIMEOUT after ${formatDuration(current.durationMs ?? (current.timeoutSeconds ?? 0) * 1000)}`
        : current.outcome
    : '';
  const selectedLine = current
    ? `▶ ${selected + 1}/${transfers.length} ${when} ${safe(current.node)} → ${safe(current.provider ?? current.member ?? '-')} [${safe(current.manager)}] ${outcome}${current.timeoutSeconds !== undefined ? ` (timeout ${current.timeoutSeconds}s)` : ''}`
    : '';

  return (
    <Box flexDirection="column" width={width} height={height} flexShrink={0}>
      <Text wrap="truncate">
        <Text bold>{truncate(summary, width)}</Text>
        <Text color="cyan">{truncate(histText, Math.max(0, width - Array.from(summary).length))}</Text>
      </Text>
      <Text wrap="truncate" color="gray">
        {truncate(header, width)}
      </Text>
      {shownGroups.map((g) => {
        const isSel = g.key === currentKey;
        const pair = `${safe(g.requester)} → ${safe(g.provider)}`;
        const line = `${fit(pair, pairWidth)} ${fit(safe(g.manager), managerWidth)}${fit(String(g.stats.count), NUM, 'right')}${fit(formatDuration(g.stats.p50), NUM, 'right')}${fit(formatDuration(g.stats.p95), NUM, 'right')}${fit(formatDuration(g.stats.max), NUM, 'right')}${fit(String(g.stats.timeouts), NUM, 'right')}`;
        return (
          <Text key={g.key} wrap="truncate" inverse={isSel} color={g.stats.timeouts > 0 ? 'red' : undefined}>
            {truncate(line, width)}
          </Text>
        );
      })}
      {showByProvider ? (
        <Text wrap="truncate" color="gray">
          {truncate(`by provider: ${byProvider}`, width)}
        </Text>
      ) : null}
      <Text wrap="truncate" color={current?.outcome === 'timeout' ? 'red' : 'cyan'}>
        {truncate(selectedLine, width)}
      </Text>
      <EvidenceLines refs={refs} getEvidenceText={getEvidenceText} width={width} maxLines={evidenceLines} />
    </Box>
  );
}
