import { describe, expect, it } from 'vitest';
import { Chalk } from 'chalk';
import { colorPaint } from '../../src/report/paint.js';
import { renderText, wrap } from '../../src/report/text.js';
import { stateTimeoutSnapshot } from './fixture.js';

describe('renderText', () => {
  it('reads top-down: nodes, timeline, transfers, latency, findings, accounting', () => {
    const out = renderText(stateTimeoutSnapshot(), { width: 100 });
    const order = ['Nodes', 'Membership', 'State transfers', 'Latency', 'Findings', 'Accounting'].map((h) => out.indexOf(`\n${h}`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(out).toContain('  tomcat1 127.0.0.11:4001 (receiver-bound)');
    expect(out).toMatch(/tomcat2 sees tomcat1 +\+=+\]/);
    expect(out).toMatch(/tomcat1 sees tomcat2 +\+=+-/);
    expect(out).toMatch(/tomcat2 +localhost#\/clusterapp +tomcat1 +15:08:\d\d\.\d{3} +timeout +5015 ms/);
    expect(out).toContain('overall: none received, 1 timed out');
    expect(out).toMatch(/ERROR +state-transfer-timeout tomcat2 at 2026-11-26 15:08/);
    expect(out).toMatch(/evidence: .*state-timeout\/tomcat2\/catalina.out:46/);
    expect(out).toMatch(/2 inputs, 117 lines, 117 records, 0 unparsed lines, 0 unrecognised cluster records, 13 events/);
    expect(out).not.toMatch(/\u001b\[/);
  });

  it('keeps every line within the width', () => {
    for (const width of [60, 80, 140]) {
      const out = renderText(stateTimeoutSnapshot(), { width });
      for (const line of out.split('\n')) expect(line.length).toBeLessThanOrEqual(width);
    }
  });

  it('colours only when asked', async () => {
    const out = renderText(stateTimeoutSnapshot(), { paint: await colorPaint(), width: 100 });
    expect(out).toMatch(/\u001b\[31m/);
    expect(renderText(stateTimeoutSnapshot(), { width: 100 })).not.toMatch(/\u001b/);
  });

  it('without colour, the same text as chalk at level 0', () => {
    const out = renderText(stateTimeoutSnapshot(), { paint: new Chalk({ level: 0 }), width: 100 });
    expect(renderText(stateTimeoutSnapshot(), { width: 100 })).toBe(out);
  });

  it('sanitises log-derived text (escape sequences in a manager name or message)', () => {
    const s = stateTimeoutSnapshot();
    s.transfers[1].manager = 'evil\u001b]0;pwned\u0007#/app';
    s.findings[0].message = 'bad \u001b[2J\u001b[31mred';
    s.nodes[0].name = 'n\u202eode';
    const out = renderText(s, { width: 100 });
    expect(out).not.toMatch(/[\u001b\u0007\u202e]/);
    expect(out).toContain('evil#/app');
  });

  it('wraps long words too', () => {
    expect(wrap('a '.repeat(30) + 'x'.repeat(50), 30, '  ').every((l) => l.length <= 30)).toBe(true);
  });
});
