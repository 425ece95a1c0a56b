import { useReducer } from 'react';
import type { PaneId } from '../types.js';
import type { TimeWindow } from '../utils/timeline-layout.js';

export type DetailPane = Exclude<PaneId, 'timeline'>;

export interface ViewState {
  /** The pane that receives ↑/↓/Enter. */
  focus: PaneId;
  /** The detail pane shown under the timeline (the last detail pane focused). */
  detail: DetailPane;
  help: boolean;
  /** 0 shows the whole span; each level halves the visible duration. */
  zoom: number;
  /** Centre of the visible window; undefined follows the span's centre. */
  centerMs?: number;
  timelineScroll: number;
  /** Index into the time-ordered transfers. */
  transferIndex: number;
  /** Index into the severity-ordered findings. */
  findingIndex: number;
  findingOpen: boolean;
  /** Time of the finding the timeline cursor points at (set by `n` and by selecting a finding). */
  cursorMs?: number;
  filter: string;
  filterEditing: boolean;
  /** Lines scrolled back from the newest event. */
  eventsScroll: number;
}

export const initialViewState: ViewState = {
  focus: 'timeline',
  detail: 'transfers',
  help: false,
  zoom: 0,
  timelineScroll: 0,
  transferIndex: 0,
  findingIndex: 0,
  findingOpen: false,
  filter: '',
  filterEditing: false,
  eventsScroll: 0,
};

export const MAX_ZOOM = 16;

export type ViewAction =
  | { type: 'focus-next' }
  | { type: 'focus-prev' }
  | { type: 'toggle-help' }
  | { type: 'close-help' }
  | { type: 'zoom'; by: 1 | -1; range: TimeWindow }
  | { type: 'pan'; by: 1 | -1; range: TimeWindow }
  | { type: 'jump'; findingIndex: number; timeMs?: number; range: TimeWindow }
  | { type: 'move'; by: number; count: number }
  | { type: 'toggle-open' }
  | { type: 'filter-open' }
  | { type: 'filter-input'; text: string }
  | { type: 'filter-backspace' }
  | { type: 'filter-commit' }
  | { type: 'filter-clear' };

const ORDER: readonly PaneId[] = ['timeline', 'transfers', 'findings', 'events'];

function focusOn(state: ViewState, focus: PaneId): ViewState {
  return { ...state, focus, detail: focus === 'timeline' ? state.detail : focus };
}

/** The visible window for a zoom level and centre, kept inside the range. */
export function visibleWindow(range: TimeWindow, zoom: number, centerMs: number | undefined): TimeWindow {
  const full = range.toMs - range.fromMs;
  const dur = Math.max(Math.min(full, 50), full / 2 ** zoom);
  const centre = centerMs ?? range.fromMs + full / 2;
  const fromMs = Math.min(Math.max(range.fromMs, centre - dur / 2), range.toMs - dur);
  return { fromMs, toMs: fromMs + dur };
}

function clampCentre(range: TimeWindow, zoom: number, centre: number): number {
  const w = visibleWindow(range, zoom, centre);
  return (w.fromMs + w.toMs) / 2;
}

export function reduceView(state: ViewState, action: ViewAction): ViewState {
  switch (action.type) {
    case 'focus-next':
    case 'focus-prev': {
      const i = ORDER.indexOf(state.focus);
      const step = action.type === 'focus-next' ? 1 : ORDER.length - 1;
      return focusOn(state, ORDER[(i + step) % ORDER.length]);
    }
    case 'toggle-help':
      return { ...state, help: !state.help };
    case 'close-help':
      return { ...state, help: false };
    case 'zoom': {
      const zoom = Math.max(0, Math.min(MAX_ZOOM, state.zoom + action.by));
      if (zoom === state.zoom) return state;
      const current = visibleWindow(action.range, state.zoom, state.centerMs);
      const centre = state.cursorMs !== undefined && action.by > 0 && current.fromMs <= state.cursorMs && state.cursorMs <= current.toMs
        ? state.cursorMs
        : (current.fromMs + current.toMs) / 2;
      return { ...state, zoom, centerMs: zoom === 0 ? undefined : clampCentre(action.range, zoom, centre) };
    }
    case 'pan': {
      if (state.zoom === 0) return state;
      const w = visibleWindow(action.range, state.zoom, state.centerMs);
      const centre = (w.fromMs + w.toMs) / 2 + (action.by * (w.toMs - w.fromMs)) / 4;
      return { ...state, centerMs: clampCentre(action.range, state.zoom, centre) };
    }
    case 'jump': {
      const centerMs = action.timeMs === undefined ? state.centerMs : clampCentre(action.range, state.zoom, action.timeMs);
      return { ...focusOn(state, 'findings'), findingIndex: action.findingIndex, cursorMs: action.timeMs, centerMs: state.zoom === 0 ? undefined : centerMs, findingOpen: false };
    }
    case 'move': {
      const clamp = (i: number): number => Math.max(0, Math.min(Math.max(0, action.count - 1), i));
      switch (state.focus) {
        case 'timeline':
          return { ...state, timelineScroll: Math.max(0, Math.min(Math.max(0, action.count), state.timelineScroll + action.by)) };
        case 'transfers':
          return { ...state, transferIndex: clamp(state.transferIndex + action.by) };
        case 'findings':
          return { ...state, findingIndex: clamp(state.findingIndex + action.by), findingOpen: false };
        case 'events':
          // Up (negative) scrolls back in time.
          return { ...state, eventsScroll: Math.max(0, Math.min(Math.max(0, action.count), state.eventsScroll - action.by)) };
      }
      return state;
    }
    case 'toggle-open':
      if (state.focus === 'findings') return { ...state, findingOpen: !state.findingOpen };
      return state;
    case 'filter-open':
      return { ...focusOn(state, 'events'), filterEditing: true };
    case 'filter-input':
      return { ...state, filter: state.filter + action.text, eventsScroll: 0 };
    case 'filter-backspace':
      return { ...state, filter: Array.from(state.filter).slice(0, -1).join(''), eventsScroll: 0 };
    case 'filter-commit':
      return { ...state, filterEditing: false };
    case 'filter-clear':
      return { ...state, filter: '', filterEditing: false, eventsScroll: 0 };
  }
}

export function useDashboardState(): [ViewState, (action: ViewAction) => void] {
  return useReducer(reduceView, initialViewState);
}
