import chalk from 'chalk';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClusterSnapshot } from '../../src/core/snapshot.js';
import type { ClusterEvent } from '../../src/core/types.js';
import { App } from '../../src/ui/app.js';
import { formatAtOffset } from '../../src/ui/utils/format-time.js';
import { at, getEvidenceText, staticSource, synthesisedEvents, synthesisedSnapshot } from '../fixtures/ui/synthesised-snapshot.js';
import { KEY } from './helpers/keys.js';
import { tick, waitForFrame } from './helpers/wait-for-frame.js';

const utc = (ms: number): string => formatAtOffset(ms, 0);

// What an attacker can get into catalina.out through a logged request parameter.
const OSC_TITLE = '\u001b]0;pwned title\u0007';
const SGR_RED = '\u001b[31m';
const C1_CSI = '\u009b2J';
const RLO = '\u202e';
const HOSTILE = `${OSC_TITLE}Replication member added:[tcp://10.0.0.66:4000]${SGR_RED} evil${C1_CSI}${RLO}txt.exe`;

function hostileData(): { snapshot: ClusterSnapshot; events: ClusterEvent[] } {
  const snapshot = synthesisedSnapshot();
  snapshot.membership[0].member = `tomcat2${SGR_RED}${RLO}`;
  snapshot.findings[0].message = `send failed ${HOSTILE}`;
  snapshot.findings[0].evidence = [`tomcat1/${OSC_TITLE}catalina.out:52`, 'tomcat1/catalina.out:52'];
  snapshot.transfers[1].manager = `localhost#/app${SGR_RED}${C1_CSI}`;
  snapshot.inputs[0].file = `tomcat1/cat${RLO}alina.out`;
  snapshot.nodes[0].address = `127.0.0.11:4001${OSC_TITLE}`;
  const t = at('15:08:30.900');
  const events = [
    ...synthesisedEvents(),
    {
      type: 'cluster-other',
      node: `tomcat3${SGR_RED}`,
      time: t.iso,
      timeMs: t.ms,
      level: 'INFO',
      file: 'tomcat3/catalina.out',
      line: 57,
      message: HOSTILE,
    } satisfies ClusterEvent,
  ];
  return { snapshot, events };
}

const lookup = (ref: string): string | undefined => (ref.startsWith('tomcat1/catalina.out:52') ? `WARNING ${HOSTILE}` : getEvidenceText(ref));

function assertClean(frame: string): void {
  expect(frame).not.toContain('\u001b');
  expect(frame).not.toContain('\u009b');
  expect(frame).not.toContain('\u0007');
  expect(frame).not.toContain(RLO);
  expect(frame).not.toContain('pwned title');
}

const savedLevel = chalk.level;
afterEach(() => {
  chalk.level = savedLevel;
});

describe('log text never reaches the terminal raw', () => {
  it('strips escape sequences, C1 controls and bidi overrides in every pane', async () => {
    const { snapshot, events } = hostileData();
    const r = render(<App source={staticSource(snapshot, events)} live={false} rows={40} getEvidenceText={lookup} formatTime={utc} />);
    try {
      let frame = await waitForFrame(r.lastFrame, (f) => f.includes('Membership'));
      assertClean(frame);
      expect(frame).toContain('tomcat1/catalina.out'); // the input name, minus the override
      // Transfers pane with the hostile manager selected.
      r.stdin.write(KEY.tab);
      await tick();
      r.stdin.write(KEY.down);
      frame = await waitForFrame(r.lastFrame, (f) => f.includes('▶ 2/4'));
      assertClean(frame);
      expect(frame).toContain('localhost#/app');
      // Findings with evidence open (the hostile finding is the first warning).
      r.stdin.write(KEY.tab);
      await tick();
      r.stdin.write(KEY.down);
      await tick();
      r.stdin.write(KEY.enter);
      frame = await waitForFrame(r.lastFrame, (f) => f.includes('evidence ('));
      assertClean(frame);
      expect(frame).toContain('tomcat1/catalina.out:52');
      expect(frame).toContain('Replication member added:[tcp://10.0.0.66:4000] evil');
      // Events pane showing the hostile event.
      r.stdin.write(KEY.tab);
      frame = await waitForFrame(r.lastFrame, (f) => f.includes('cluster-other'));
      assertClean(frame);
      expect(frame).toMatch(/15:08:30\.900 tomcat3 +cluster-other +Replication member added:\[tcp:\/\/10\.0\.0\.66:4000\] evil/);
    } finally {
      r.unmount();
    }
  });

  it('with colours on, keeps its own colours and still drops the injected ones', async () => {
    chalk.level = 1;
    const { snapshot, events } = hostileData();
    events[events.length - 1].message = `blink\u001b[5;35;47m me${OSC_TITLE}`;
    const r = render(<App source={staticSource(snapshot, events)} live={false} rows={40} getEvidenceText={lookup} formatTime={utc} />);
    try {
      r.stdin.write(KEY.shiftTab);
      const frame = await waitForFrame(r.lastFrame, (f) => f.includes('cluster-other'));
      // The dashboard's own colours: a bright green join mark, red bold crash mark.
      expect(frame).toContain('\u001b[92m');
      expect(frame).toContain('\u001b[31m');
      expect(frame).not.toContain('\u001b[5;35;47m');
      expect(frame).not.toContain('\u001b]0;');
      expect(frame).not.toContain('pwned title');
      expect(frame).toContain('blink me');
    } finally {
      r.unmount();
    }
  });
});
