import { Box, Text } from 'ink';
import type { EvidenceLookup } from '../types.js';
import { fit, truncate } from '../utils/fit-text.js';
import { safe } from '../utils/safe-text.js';

export interface Props {
  /** `file:line` references. */
  refs: readonly string[];
  getEvidenceText?: EvidenceLookup;
  width: number;
  /** At most this many lines; the last says how many were left out. */
  maxLines: number;
}

/** `file:line` followed by the log text of that line when a lookup provides it. */
export function EvidenceLines({ refs, getEvidenceText, width, maxLines }: Props) {
  if (maxLines <= 0) return null;
  if (refs.length === 0) {
    return (
      <Text color="gray" wrap="truncate">
        {'  (no evidence recorded)'}
      </Text>
    );
  }
  const shown = refs.length > maxLines ? refs.slice(0, Math.max(0, maxLines - 1)) : refs;
  const refWidth = Math.min(Math.max(...shown.map((r) => Array.from(safe(r)).length), 8), Math.floor(width / 2));
  return (
    <Box flexDirection="column" flexShrink={0}>
      {shown.map((ref, i) => {
        let text: string | undefined;
        try {
          text = getEvidenceText?.(ref);
        } catch {
          text = undefined;
        }
        const cleanRef = safe(ref);
        return (
          <Text key={`${i}:${cleanRef}`} wrap="truncate">
            <Text color="cyan">{'  ' + fit(cleanRef, refWidth)}</Text>
            {text !== undefined ? <Text>{'  ' + truncate(safe(text), Math.max(0, width - refWidth - 4))}</Text> : null}
          </Text>
        );
      })}
      {shown.length < refs.length ? (
        <Text color="gray" wrap="truncate">
          {`  … ${refs.length - shown.length} more`}
        </Text>
      ) : null}
    </Box>
  );
}
