import { Box } from 'ink';
import { useCallback, useMemo, useRef, useState } from 'react';
import { CompactView } from './components/CompactView.js';
import { EventsPane } from './components/EventsPane.js';
import { FindingsPane } from './components/FindingsPane.js';
import { Footer } from './components/Footer.js';
import { Header } from './components/Header.js';
import { HelpOverlay } from './components/HelpOverlay.js';
import { PaneTabs } from './components/PaneTabs.js';
import { Timeline } from './components/Timeline.js';
import { TransfersPane } from './components/TransfersPane.js';
import { useDashboardKeys, type KeyContext } from './hooks/use-dashboard-keys.js';
import { initialViewState, reduceView, visibleWindow, type ViewAction, type ViewState } from './hooks/use-dashboard-state.js';
import { useSnapshot } from './hooks/use-snapshot.js';
import { useTerminalSize } from './hooks/use-terminal-size.js';
import type { DashboardSource, EvidenceLookup, TimeFormatter } from './types.js';
import { filterEventRows, toEventRows } from './utils/filter-events.js';
import { clockForIso, isoOffsetMinutes } from './utils/format-time.js';
import { nextFindingByTime, sortFindings } from './utils/sort-findings.js';
import { fullRange } from './utils/timeline-layout.js';
import { sortTransfers } from './utils/transfer-groups.js';

export interface AppProps {
  source: DashboardSource;
  /** Following live logs (shows the live marker and the last update time). */
  live: boolean;
  /** Log text for a `file:line` reference, shown beside evidence. */
  getEvidenceText?: EvidenceLookup;
  /** Clock for times; default: `HH:mm:ss` in the zone offset of the snapshot's ISO times, else local. */
  formatTime?: TimeFormatter;
  /** Events kept for the events pane (the newest). Default 1000. */
  maxEvents?: number;
  /** Fixed size instead of the terminal's (tests, embedding). */
  columns?: number;
  rows?: number;
  /** Minimum ms between reads of the source. Default 250. */
  refreshMs?: number;
  /** Wall clock for the live marker. Default Date.now. */
  now?: () => number;
}

/** Below this the dashboard shows the compact layout. */
export const MIN_COLUMNS = 60;
export const MIN_ROWS = 15;

export function App({ source, live, getEvidenceText, formatTime: formatTimeProp, maxEvents = 1000, columns, rows, refreshMs = 250, now = Date.now }: AppProps) {
  const data = useSnapshot(source, refreshMs, now);
  const { snapshot, events, updatedAt } = data;
  const size = useTerminalSize({ columns, rows });

  // View state: a reducer whose latest value is also kept in a ref, so that keys arriving before
  // the next render see the state the previous key produced.
  const [state, setState] = useState<ViewState>(initialViewState);
  const stateRef = useRef(state);
  const dispatch = useCallback((action: ViewAction) => {
    const next = reduceView(stateRef.current, action);
    if (next !== stateRef.current) {
      stateRef.current = next;
      setState(next);
    }
  }, []);

  // Derived data: recomputed only when the snapshot or events change, never per frame.
  const isoSample = snapshot.span.from ?? snapshot.nodes.find((n) => n.runs[0]?.start)?.runs[0]?.start;
  const formatTime = useMemo(() => formatTimeProp ?? clockForIso(isoSample), [formatTimeProp, isoSample]);
  const tickOffsetMin = useMemo(() => {
    const iso = isoOffsetMinutes(isoSample);
    if (iso !== undefined) return iso;
    return snapshot.span.fromMs !== undefined ? -new Date(snapshot.span.fromMs).getTimezoneOffset() : 0;
  }, [isoSample, snapshot.span.fromMs]);
  const range = useMemo(() => fullRange(snapshot), [snapshot]);
  const findings = useMemo(() => sortFindings(snapshot.findings), [snapshot.findings]);
  const transfers = useMemo(() => sortTransfers(snapshot.transfers), [snapshot.transfers]);
  // Keyed on the read (not the array), since a source may append to the same array in place.
  const eventRows = useMemo(() => toEventRows(events, maxEvents), [data, maxEvents]);
  const shownEvents = useMemo(() => filterEventRows(eventRows, state.filter), [eventRows, state.filter]);
  const timelineRows = useMemo(() => {
    const observers = new Set(snapshot.nodes.map((n) => n.name));
    for (const m of snapshot.membership) observers.add(m.observer);
    return observers.size + snapshot.membership.length;
  }, [snapshot]);

  const win = useMemo(() => visibleWindow(range, state.zoom, state.centerMs), [range, state.zoom, state.centerMs]);

  // Layout: never taller than rows - 1.
  const width = Math.max(1, size.columns);
  const height = Math.max(1, size.rows - 1);
  const compact = size.columns < MIN_COLUMNS || size.rows < MIN_ROWS;
  const headerH = size.rows >= 20 ? 3 : 2;
  const body = Math.max(0, height - headerH - 1);
  const detailMin = Math.max(4, Math.floor((body - 1) * 0.4));
  const timelineH = Math.max(4, Math.min(timelineRows + 3, body - 1 - detailMin));
  const detailH = Math.max(0, body - 1 - timelineH);

  const layoutRef = useRef({ timelineH, detailH });
  layoutRef.current = { timelineH, detailH };

  const getContext = (): KeyContext => {
    const s = stateRef.current;
    const pageOf = (): number => Math.max(1, (s.focus === 'timeline' ? layoutRef.current.timelineH - 3 : layoutRef.current.detailH - 1));
    return {
      state: s,
      dispatch,
      zoom: (by) => dispatch({ type: 'zoom', by, range }),
      pan: (by) => dispatch({ type: 'pan', by, range }),
      nextFinding: () => {
        const current = findings[s.findingIndex];
        const i = nextFindingByTime(findings, s.findingIndex, s.cursorMs ?? (s.focus === 'findings' ? current?.timeMs : undefined));
        if (i >= 0) dispatch({ type: 'jump', findingIndex: i, timeMs: findings[i].timeMs, range });
      },
      count: () => {
        switch (s.focus) {
          case 'timeline':
            return Math.max(0, timelineRows - (layoutRef.current.timelineH - 3));
          case 'transfers':
            return transfers.length;
          case 'findings':
            return findings.length;
          case 'events':
            return Math.max(0, shownEvents.length - (layoutRef.current.detailH - 1));
        }
      },
      page: pageOf,
    };
  };
  const interactive = useDashboardKeys(getContext);

  if (compact) {
    return <CompactView snapshot={snapshot} live={live} updatedAt={updatedAt} width={width} height={height} formatTime={formatTime} />;
  }

  const selectedFinding = findings[Math.min(state.findingIndex, Math.max(0, findings.length - 1))];
  const cursorMs = state.cursorMs !== undefined || state.focus === 'findings' ? selectedFinding?.timeMs : undefined;

  let detail = null;
  if (state.detail === 'transfers') {
    detail = (
      <TransfersPane
        transfers={transfers}
        latency={snapshot.latency}
        selected={Math.min(state.transferIndex, Math.max(0, transfers.length - 1))}
        width={width}
        height={detailH}
        formatTime={formatTime}
        getEvidenceText={getEvidenceText}
      />
    );
  } else if (state.detail === 'findings') {
    detail = (
      <FindingsPane
        findings={findings}
        selected={Math.min(state.findingIndex, Math.max(0, findings.length - 1))}
        open={state.findingOpen}
        width={width}
        height={detailH}
        formatTime={formatTime}
        getEvidenceText={getEvidenceText}
      />
    );
  } else {
    detail = (
      <EventsPane
        rows={shownEvents}
        total={eventRows.length}
        filter={state.filter}
        editing={state.filterEditing}
        scroll={state.eventsScroll}
        width={width}
        height={detailH}
        formatTime={formatTime}
      />
    );
  }

  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Header snapshot={snapshot} live={live} updatedAt={updatedAt} formatTime={formatTime} width={width} height={headerH} />
      {state.help ? (
        <HelpOverlay width={width} height={body} />
      ) : (
        <>
          <Timeline
            snapshot={snapshot}
            window={win}
            zoom={state.zoom}
            width={width}
            height={timelineH}
            formatTime={formatTime}
            tickOffsetMin={tickOffsetMin}
            cursorMs={cursorMs}
            scroll={state.timelineScroll}
            focused={state.focus === 'timeline'}
          />
          <PaneTabs
            focus={state.focus}
            detail={state.detail}
            counts={{ transfers: transfers.length, findings: findings.length, events: shownEvents.length }}
            width={width}
          />
          {detail}
        </>
      )}
      <Footer focus={state.focus} interactive={interactive} filterEditing={state.filterEditing} width={width} />
    </Box>
  );
}
