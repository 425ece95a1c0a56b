import { Text } from 'ink';
import type { PaneId } from '../types.js';
import type { DetailPane } from '../hooks/use-dashboard-state.js';

export interface Props {
  focus: PaneId;
  detail: DetailPane;
  counts: Record<DetailPane, number>;
  width: number;
}

const TITLES: Record<DetailPane, string> = { transfers: 'Transfers', findings: 'Findings', events: 'Events' };
const ORDER: readonly DetailPane[] = ['transfers', 'findings', 'events'];

/** The tab strip above the detail pane: the shown pane is bold, the focused one highlighted. */
export function PaneTabs({ focus, detail, counts, width }: Props) {
  const used = ORDER.reduce((n, id) => n + ` ${TITLES[id]} (${counts[id]}) `.length, 0);
  return (
    <Text wrap="truncate">
      {ORDER.map((id) => {
        const shown = id === detail;
        const focused = id === focus;
        return (
          <Text key={id} bold={shown} inverse={focused} color={shown ? 'cyan' : 'gray'}>
            {` ${TITLES[id]} (${counts[id]}) `}
          </Text>
        );
      })}
      <Text color="gray">{'─'.repeat(Math.max(0, width - used))}</Text>
    </Text>
  );
}
