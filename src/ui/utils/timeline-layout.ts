// Pure layout of the membership timeline: which character and style goes in each cell of each
// row for a given visible time window and bar width. No ink or react: tested directly and
// memoised by the Timeline component.

import type { ClusterSnapshot, MembershipInterval, MembershipRow, NodeRun } from '../../core/snapshot.js';
import type { TimeFormatter } from '../types.js';
import { safe } from './safe-text.js';

export type CellStyle =
  | 'blank'
  | 'idle' // the observer was up but did not see the member
  | 'seen'
  | 'join'
  | 'flap'
  | 'left' // disappeared, no failure-detector record
  | 'left-verified'
  | 'left-suspected'
  | 'run'
  | 'run-start'
  | 'run-stopped'
  | 'run-crashed' // a new start followed without a stop: killed or crashed
  | 'axis'
  | 'tick'
  | 'finding-error'
  | 'finding-warning'
  | 'finding-info'
  | 'cursor';

export interface Segment {
  text: string;
  style: CellStyle;
}

export interface TimelineRow {
  key: string;
  kind: 'lane' | 'member';
  /** Sanitised label: the observer node's name, or the member's name/address. */
  label: string;
  /** Sanitised short note shown after the bar (flaps, unresolved). */
  note: string;
  segments: Segment[];
}

export interface TimeWindow {
  fromMs: number;
  toMs: number;
}

export interface TimelineLayout {
  rows: TimelineRow[];
  /** The axis line with ticks and finding markers. */
  axis: Segment[];
  /** The clock labels under the ticks. */
  labels: string;
  /** The tick step chosen, ms. */
  stepMs: number;
}

export const GLYPHS = {
  seen: '━',
  idle: '─',
  join: '+',
  flap: '~',
  left: 'x',
  leftVerified: 'X',
  leftSuspected: '?',
  run: '═',
  runStart: '[',
  runStopped: ']',
  runCrashed: '!',
  axis: '─',
  tick: '┬',
  cursor: '▼',
  findingError: '!',
  findingWarning: '*',
  findingInfo: '·',
} as const;

const TICK_STEPS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000,
  600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000,
];

/** The whole time range of a snapshot, never empty. */
export function fullRange(snapshot: ClusterSnapshot): TimeWindow {
  let from = snapshot.span.fromMs;
  let to = snapshot.span.toMs;
  if (from === undefined || to === undefined) {
    const times: number[] = [];
    for (const n of snapshot.nodes) for (const r of n.runs) for (const t of [r.startMs, r.endMs]) if (t !== undefined) times.push(t);
    for (const row of snapshot.membership)
      for (const i of row.intervals) for (const t of [i.fromMs, i.toMs]) if (t !== undefined) times.push(t);
    if (from === undefined) from = times.length ? Math.min(...times) : 0;
    if (to === undefined) to = times.length ? Math.max(...times) : from;
  }
  if (!(to > from)) to = from + 1000;
  return { fromMs: from, toMs: to };
}

/**
 * How a closed interval's detection text (the failure-detector path, e.g. `verify → verified
 * disappeared`, `send failed → suspect dead`) classifies the leave: verified by the detector,
 * only suspected, or neither (expired, shutdown notice).
 */
export function leaveStyle(interval: MembershipInterval): CellStyle {
  const d = (interval.detection ?? '').toLowerCase();
  if (d.includes('verif')) return 'left-verified';
  if (d.includes('suspect') || d.includes('send fail')) return 'left-suspected';
  return 'left';
}

const GLYPH_OF: Partial<Record<CellStyle, string>> = {
  seen: GLYPHS.seen,
  idle: GLYPHS.idle,
  join: GLYPHS.join,
  flap: GLYPHS.flap,
  left: GLYPHS.left,
  'left-verified': GLYPHS.leftVerified,
  'left-suspected': GLYPHS.leftSuspected,
  run: GLYPHS.run,
  'run-start': GLYPHS.runStart,
  'run-stopped': GLYPHS.runStopped,
  'run-crashed': GLYPHS.runCrashed,
  axis: GLYPHS.axis,
  tick: GLYPHS.tick,
  cursor: GLYPHS.cursor,
  'finding-error': GLYPHS.findingError,
  'finding-warning': GLYPHS.findingWarning,
  'finding-info': GLYPHS.findingInfo,
};

class Cells {
  readonly styles: CellStyle[];
  private readonly dt: number;
  constructor(
    readonly width: number,
    readonly win: TimeWindow,
    fill: CellStyle = 'blank',
  ) {
    this.styles = new Array<CellStyle>(width).fill(fill);
    this.dt = (win.toMs - win.fromMs) / Math.max(1, width);
  }
  /** The cell of an instant, or undefined outside the window. */
  cellOf(ms: number): number | undefined {
    if (ms < this.win.fromMs || ms > this.win.toMs) return undefined;
    return Math.min(this.width - 1, Math.floor((ms - this.win.fromMs) / this.dt));
  }
  /** Fill the cells that [a, b] overlaps. */
  span(a: number, b: number, style: CellStyle): void {
    if (b < this.win.fromMs || a > this.win.toMs || this.width === 0) return;
    const i0 = Math.max(0, Math.floor((a - this.win.fromMs) / this.dt));
    const i1 = Math.min(this.width - 1, Math.floor((b - this.win.fromMs) / this.dt));
    for (let i = i0; i <= i1; i++) this.styles[i] = style;
  }
  mark(ms: number | undefined, style: CellStyle): void {
    if (ms === undefined) return;
    const i = this.cellOf(ms);
    if (i !== undefined) this.styles[i] = style;
  }
  segments(): Segment[] {
    const out: Segment[] = [];
    for (const style of this.styles) {
      const ch = GLYPH_OF[style] ?? ' ';
      const last = out[out.length - 1];
      if (last && last.style === style) last.text += ch;
      else out.push({ text: ch, style });
    }
    return out;
  }
}

function runBounds(run: NodeRun, range: TimeWindow): [number, number] {
  return [run.startMs ?? range.fromMs, run.endMs ?? range.toMs];
}

function laneRow(runs: readonly NodeRun[], range: TimeWindow, win: TimeWindow, width: number): Segment[] {
  const cells = new Cells(width, win);
  for (const run of runs) {
    const [a, b] = runBounds(run, range);
    cells.span(a, b, 'run');
  }
  for (const run of runs) {
    cells.mark(run.startMs, 'run-start');
    if (run.endReason === 'stopped') cells.mark(run.endMs, 'run-stopped');
    else if (run.endReason === 'restarted') cells.mark(run.endMs, 'run-crashed');
  }
  return cells.segments();
}

function memberRow(row: MembershipRow, runs: readonly NodeRun[], range: TimeWindow, win: TimeWindow, width: number): Segment[] {
  const cells = new Cells(width, win);
  if (runs.length === 0) cells.span(range.fromMs, range.toMs, 'idle');
  for (const run of runs) {
    const [a, b] = runBounds(run, range);
    cells.span(a, b, 'idle');
  }
  const intervals = [...row.intervals].sort((x, y) => (x.fromMs ?? range.fromMs) - (y.fromMs ?? range.fromMs));
  for (const iv of intervals) cells.span(iv.fromMs ?? range.fromMs, iv.toMs ?? range.toMs, 'seen');
  intervals.forEach((iv, k) => {
    const prev = intervals[k - 1];
    const rejoin = prev !== undefined && prev.endReason === 'disappeared';
    cells.mark(iv.fromMs, rejoin && row.flaps > 0 ? 'flap' : 'join');
    if (iv.endReason === 'disappeared') cells.mark(iv.toMs, leaveStyle(iv));
  });
  return cells.segments();
}

/** Choose a tick step so that labels (`labelWidth` wide) get at least one column of air. */
export function tickStep(win: TimeWindow, width: number, labelWidth: number): number {
  const msPerCol = (win.toMs - win.fromMs) / Math.max(1, width);
  const minMs = msPerCol * (labelWidth + 2);
  return TICK_STEPS.find((s) => s >= minMs) ?? TICK_STEPS[TICK_STEPS.length - 1];
}

export interface LayoutOptions {
  snapshot: ClusterSnapshot;
  window: TimeWindow;
  barWidth: number;
  formatTime: TimeFormatter;
  /** Time of the selected finding, drawn as a cursor on the axis. */
  cursorMs?: number;
  /** Zone offset in minutes used to align ticks to the wall clock (ticks fall on round local times). */
  tickOffsetMin?: number;
}

export function layoutTimeline(opts: LayoutOptions): TimelineLayout {
  const { snapshot, window: win, barWidth, formatTime } = opts;
  const range = fullRange(snapshot);
  const rows: TimelineRow[] = [];
  const byObserver = new Map<string, MembershipRow[]>();
  for (const row of snapshot.membership) {
    const list = byObserver.get(row.observer) ?? [];
    list.push(row);
    byObserver.set(row.observer, list);
  }
  const lanes: { name: string; runs: readonly NodeRun[] }[] = snapshot.nodes.map((n) => ({ name: n.name, runs: n.runs }));
  for (const observer of byObserver.keys()) if (!lanes.some((l) => l.name === observer)) lanes.push({ name: observer, runs: [] });

  for (const lane of lanes) {
    rows.push({
      key: `lane:${lane.name}`,
      kind: 'lane',
      label: safe(lane.name),
      note: '',
      segments: laneRow(lane.runs, range, win, barWidth),
    });
    const members = [...(byObserver.get(lane.name) ?? [])].sort((a, b) => a.member.localeCompare(b.member));
    for (const row of members) {
      const notes: string[] = [];
      if (row.flaps > 0) notes.push(`~${row.flaps}`);
      if (!row.resolved) notes.push('?');
      rows.push({
        key: `member:${lane.name}:${row.memberAddress}:${row.member}`,
        kind: 'member',
        label: safe(row.member || row.memberAddress),
        note: notes.join(' '),
        segments: memberRow(row, lane.runs, range, win, barWidth),
      });
    }
  }

  // Axis: ticks on round wall-clock times, finding markers, the cursor.
  const sample = formatTime(win.fromMs);
  const labelWidth = Math.max(8, Array.from(sample).length);
  let stepMs = tickStep(win, barWidth, labelWidth);
  const millis = stepMs < 1000;
  const labelW = millis ? labelWidth + 4 : labelWidth;
  if (millis) stepMs = tickStep(win, barWidth, labelW);
  const axis = new Cells(barWidth, win, 'axis');
  const offsetMs = (opts.tickOffsetMin ?? 0) * 60_000;
  const first = Math.ceil((win.fromMs + offsetMs) / stepMs) * stepMs - offsetMs;
  const labelChars = new Array<string>(barWidth).fill(' ');
  for (let t = first; t <= win.toMs; t += stepMs) {
    const i = axis.cellOf(t);
    if (i === undefined) continue;
    axis.styles[i] = 'tick';
    let text = formatTime(t);
    if (millis) text += `.${String(((t % 1000) + 1000) % 1000).padStart(3, '0')}`;
    const chars = Array.from(text);
    if (i + chars.length > barWidth) continue;
    if (i > 0 && labelChars[i - 1] !== ' ') continue;
    if (chars.some((_, k) => labelChars[i + k] !== ' ')) continue;
    chars.forEach((c, k) => (labelChars[i + k] = c));
  }
  const rank = { info: 0, warning: 1, error: 2 } as const;
  const marked = new Map<number, number>();
  for (const f of snapshot.findings) {
    if (f.timeMs === undefined) continue;
    const i = axis.cellOf(f.timeMs);
    if (i === undefined) continue;
    const r = rank[f.severity] ?? 0;
    if ((marked.get(i) ?? -1) >= r) continue;
    marked.set(i, r);
    axis.styles[i] = f.severity === 'error' ? 'finding-error' : f.severity === 'warning' ? 'finding-warning' : 'finding-info';
  }
  if (opts.cursorMs !== undefined) axis.mark(opts.cursorMs, 'cursor');
  return { rows, axis: axis.segments(), labels: labelChars.join(''), stepMs };
}
