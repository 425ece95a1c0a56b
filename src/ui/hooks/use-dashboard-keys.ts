import { useApp, useInput, useStdin, type Key } from 'ink';
import type { ViewAction, ViewState } from './use-dashboard-state.js';
import { safe } from '../utils/safe-text.js';

export interface KeyContext {
  state: ViewState;
  dispatch: (action: ViewAction) => void;
  /** Actions that need the data: zoom/pan range, next finding, list lengths. */
  zoom(by: 1 | -1): void;
  pan(by: 1 | -1): void;
  nextFinding(): void;
  /** Items (or lines) in the focused pane, for clamping moves. */
  count(): number;
  /** Lines a page holds in the focused pane. */
  page(): number;
}

/** Maps a key press to dashboard actions. Returns 'exit' for q / Ctrl-C. */
export function handleKey(input: string, key: Key, ctx: KeyContext): 'exit' | undefined {
  const { state, dispatch } = ctx;
  if (key.ctrl && input === 'c') return 'exit';
  if (state.filterEditing) {
    if (key.escape) dispatch({ type: 'filter-clear' });
    else if (key.return) dispatch({ type: 'filter-commit' });
    else if (key.backspace || key.delete) dispatch({ type: 'filter-backspace' });
    else if (!key.ctrl && !key.meta && !key.tab && !key.upArrow && !key.downArrow && !key.leftArrow && !key.rightArrow && input) {
      // Typed fast or pasted, text and Enter can arrive in one chunk ("timeout\r"): the Enter still commits.
      const [typed, ...rest] = input.split(/[\r\n]/);
      const text = safe(typed);
      if (text) dispatch({ type: 'filter-input', text });
      if (rest.length > 0) dispatch({ type: 'filter-commit' });
    }
    return undefined;
  }
  if (input === 'q') return 'exit';
  if (state.help) {
    if (input === '?' || key.escape) dispatch({ type: 'close-help' });
    return undefined;
  }
  if (input === '?') dispatch({ type: 'toggle-help' });
  else if (key.tab) dispatch({ type: key.shift ? 'focus-prev' : 'focus-next' });
  else if (input === '+' || input === '=') ctx.zoom(1);
  else if (input === '-' || input === '_') ctx.zoom(-1);
  else if (key.leftArrow) ctx.pan(-1);
  else if (key.rightArrow) ctx.pan(1);
  else if (input === 'n') ctx.nextFinding();
  else if (key.upArrow) dispatch({ type: 'move', by: -1, count: ctx.count() });
  else if (key.downArrow) dispatch({ type: 'move', by: 1, count: ctx.count() });
  else if (key.pageUp) dispatch({ type: 'move', by: -ctx.page(), count: ctx.count() });
  else if (key.pageDown) dispatch({ type: 'move', by: ctx.page(), count: ctx.count() });
  else if (input === '/') dispatch({ type: 'filter-open' });
  else if (key.return) dispatch({ type: 'toggle-open' });
  else if (key.escape) {
    if (state.filter) dispatch({ type: 'filter-clear' });
    else if (state.findingOpen) dispatch({ type: 'toggle-open' });
  }
  return undefined;
}

/**
 * Keyboard input for the dashboard. Only active when stdin can be put in raw mode: with piped
 * stdin ink's useInput would throw, so the dashboard renders read-only.
 */
export function useDashboardKeys(getContext: () => KeyContext): boolean {
  const { isRawModeSupported } = useStdin();
  const { exit } = useApp();
  useInput(
    (input, key) => {
      for (const [one, oneKey] of splitChunk(input, key)) {
        if (handleKey(one, oneKey, getContext()) === 'exit') {
          exit();
          return;
        }
      }
    },
    { isActive: isRawModeSupported },
  );
  return isRawModeSupported;
}

/**
 * ink hands over what one read returned: keys typed quickly (or sent by tmux) can arrive together,
 * as "\t+" or "timeout\r". Outside the filter box each character is its own key press.
 */
export function splitChunk(input: string, key: Key): [string, Key][] {
  if (input.length <= 1 || key.ctrl || key.meta || input.includes('\u001b')) return [[input, key]];
  const plain = { ...key, tab: false, return: false, shift: false };
  return [...input].map((ch): [string, Key] => {
    if (ch === '\t') return ['', { ...plain, tab: true }];
    if (ch === '\r' || ch === '\n') return ['', { ...plain, return: true }];
    return [ch, plain];
  });
}
