import { describe, expect, it } from 'vitest';
import type { ClusterSnapshot } from '../../src/core/snapshot.js';
import { formatAtOffset } from '../../src/ui/utils/format-time.js';
import { fullRange, GLYPHS, layoutTimeline, leaveStyle, type TimelineRow } from '../../src/ui/utils/timeline-layout.js';
import { visibleWindow } from '../../src/ui/hooks/use-dashboard-state.js';
import { at, synthesisedSnapshot } from '../fixtures/ui/synthesised-snapshot.js';

const utc = (ms: number): string => formatAtOffset(ms, 0);
const text = (row: TimelineRow): string => row.segments.map((s) => s.text).join('');
const WIDTH = 90;

function layout(snapshot: ClusterSnapshot = synthesisedSnapshot(), width = WIDTH) {
  return layoutTimeline({ snapshot, window: fullRange(snapshot), barWidth: width, formatTime: utc });
}

/** The cell an instant falls in for the full range. */
function cell(snapshot: ClusterSnapshot, clock: string, width = WIDTH): number {
  const r = fullRange(snapshot);
  return Math.min(width - 1, Math.floor((at(clock).ms - r.fromMs) / ((r.toMs - r.fromMs) / width)));
}

describe('timeline layout (node-loss)', () => {
  it('has one lane per node, each followed by its member rows', () => {
    const { rows } = layout();
    expect(rows.map((r) => `${r.kind}:${r.label}`)).toEqual([
      'lane:tomcat1',
      'member:tomcat2',
      'member:tomcat3',
      'lane:tomcat2',
      'member:tomcat1',
      'member:tomcat3',
      'lane:tomcat3',
      'member:tomcat1',
      'member:tomcat2',
    ]);
    for (const r of rows) expect(Array.from(text(r))).toHaveLength(WIDTH);
  });

  it("draws tomcat2's two runs with the kill as a crash mark and the down time as a gap", () => {
    const snap = synthesisedSnapshot();
    const lane = text(layout(snap).rows[3]);
    expect(lane[cell(snap, '15:07:49.598')]).toBe(GLYPHS.runStart);
    expect(lane[cell(snap, '15:07:51.516')]).toBe(GLYPHS.runCrashed);
    expect(lane.slice(cell(snap, '15:07:55.000'), cell(snap, '15:08:20.000'))).toMatch(/^ +$/);
    expect(lane[cell(snap, '15:08:23.230')]).toBe(GLYPHS.runStart);
    expect(lane[cell(snap, '15:08:30.854')]).toBe(GLYPHS.runStopped);
    expect(lane[cell(snap, '15:08:28.000')]).toBe(GLYPHS.run);
  });

  it("marks where tomcat1 saw tomcat2 join, leave (suspected after a send failure) and join again", () => {
    const snap = synthesisedSnapshot();
    const row = text(layout(snap).rows[1]);
    expect(row[cell(snap, '15:07:49.959')]).toBe(GLYPHS.join);
    expect(row[cell(snap, '15:07:55.000')]).toBe(GLYPHS.seen);
    expect(row[cell(snap, '15:08:03.433')]).toBe(GLYPHS.leftSuspected);
    // tomcat1 was up but did not see tomcat2 while it was down.
    expect(row[cell(snap, '15:08:10.000')]).toBe(GLYPHS.idle);
    expect(row[cell(snap, '15:08:23.438')]).toBe(GLYPHS.join);
    expect(row[cell(snap, '15:08:25.000')]).toBe(GLYPHS.seen);
    // After tomcat1's own stop: nothing.
    expect(row[cell(snap, '15:08:32.000')]).toBe(' ');
  });

  it('marks a leave with no failure-detector record, and one verified by the detector', () => {
    const snap = synthesisedSnapshot();
    const row = text(layout(snap).rows[8]); // tomcat3 sees tomcat2
    expect(row[cell(snap, '15:08:01.519')]).toBe(GLYPHS.left);
    const verified = synthesisedSnapshot();
    verified.membership[5].intervals[0].detection = 'verify → verified disappeared';
    expect(text(layout(verified).rows[8])[cell(verified, '15:08:01.519')]).toBe(GLYPHS.leftVerified);
    expect(leaveStyle({ endReason: 'disappeared', evidence: [], detection: 'suspect dead' })).toBe('left-suspected');
  });

  it('marks a flap (re-added after a loss) and notes the count', () => {
    const snap = synthesisedSnapshot();
    snap.membership[5].flaps = 1;
    const row = layout(snap).rows[8];
    expect(text(row)[cell(snap, '15:08:23.473')]).toBe(GLYPHS.flap);
    expect(row.note).toContain('~1');
  });

  it('labels the axis with clock times on round ticks', () => {
    const { labels, stepMs, axis } = layout();
    expect(stepMs).toBe(10_000);
    expect(labels).toContain('15:07:50');
    expect(labels).toContain('15:08:00');
    expect(labels).toContain('15:08:20');
    const axisText = axis.map((s) => s.text).join('');
    expect(axisText).toContain(GLYPHS.tick);
    // The error finding (tomcat2 restarted at 15:07:51.516) is marked on the axis.
    expect(axisText[cell(synthesisedSnapshot(), '15:07:51.516')]).toBe(GLYPHS.findingError);
  });

  it('zoomed in, shows a shorter window with finer ticks', () => {
    const snap = synthesisedSnapshot();
    const range = fullRange(snap);
    const win = visibleWindow(range, 3, at('15:08:02.000').ms);
    expect(win.toMs - win.fromMs).toBeCloseTo((range.toMs - range.fromMs) / 8, 5);
    const z = layoutTimeline({ snapshot: snap, window: win, barWidth: WIDTH, formatTime: utc });
    expect(z.stepMs).toBeLessThan(10_000);
    expect(z.labels).toContain('15:08:02');
    const row = text(z.rows[1]);
    expect(row).toContain(GLYPHS.leftSuspected); // 15:08:03.433 is inside the window
    expect(row).not.toContain(GLYPHS.join);
  });

  it('clamps the window inside the range', () => {
    const range = { fromMs: 0, toMs: 1000 };
    expect(visibleWindow(range, 1, -5000)).toEqual({ fromMs: 0, toMs: 500 });
    expect(visibleWindow(range, 1, 5000)).toEqual({ fromMs: 500, toMs: 1000 });
    expect(visibleWindow(range, 0, undefined)).toEqual(range);
  });
});
