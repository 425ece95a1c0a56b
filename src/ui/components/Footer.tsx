import { Text } from 'ink';
import type { PaneId } from '../types.js';
import { truncate } from '../utils/fit-text.js';

export interface Props {
  focus: PaneId;
  interactive: boolean;
  filterEditing: boolean;
  width: number;
}

const PANE_KEYS: Record<PaneId, string> = {
  timeline: '↑↓ rows',
  transfers: '↑↓ transfer',
  findings: '↑↓ finding  Enter evidence',
  events: '↑↓ PgUp PgDn scroll  Esc clear filter',
};

export function Footer({ focus, interactive, filterEditing, width }: Props) {
  let text: string;
  if (!interactive) text = 'read-only: stdin is not a terminal, keys are off';
  else if (filterEditing) text = 'type to filter  Enter keep  Esc clear  Backspace delete';
  else text = `Tab pane  ${PANE_KEYS[focus]}  +/- zoom  ←→ pan  n next finding  / filter  ? help  q quit`;
  return (
    <Text wrap="truncate" color="gray">
      {truncate(text, width)}
    </Text>
  );
}
