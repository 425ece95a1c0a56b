// The mutual-state-request pairing looks only at requests near each other in time (a long archive
// logs thousands); it must pair exactly as the plain search over every request did. Transfers
// here are synthesised: only their nodes and times matter.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mutualPairs } from '../../../src/core/model/findings.js';
import type { Transfer } from '../../../src/core/snapshot.js';

/** The plain search, as findings.ts had it: for each unpaired request, the first partner in log order. */
function reference(list: readonly Transfer[]): Array<[Transfer, Transfer]> {
  const endOf = (t: Transfer): number => t.outcomeAtMs ?? t.requestedAtMs! + (t.timeoutSeconds ?? 60) * 1000;
  const used = new Set<Transfer>();
  const pairs: Array<[Transfer, Transfer]> = [];
  for (const a of list) {
    if (used.has(a)) continue;
    const aEnd = endOf(a);
    const b = list.find((x) => {
      if (x === a || used.has(x) || x.node !== a.provider || x.provider !== a.node) return false;
      return x.requestedAtMs! <= aEnd && a.requestedAtMs! <= endOf(x);
    });
    if (!b) continue;
    used.add(a);
    used.add(b);
    pairs.push([a, b]);
  }
  return pairs;
}

const transfer = fc
  .record({
    forward: fc.boolean(),
    requestedAtMs: fc.integer({ min: 0, max: 600_000 }),
    wait: fc.option(fc.integer({ min: -5_000, max: 200_000 }), { nil: undefined }),
    timeoutSeconds: fc.option(fc.integer({ min: 1, max: 120 }), { nil: undefined }),
  })
  .map(({ forward, requestedAtMs, wait, timeoutSeconds }): Transfer => {
    const t: Transfer = { node: forward ? 'tomcat1' : 'tomcat2', provider: forward ? 'tomcat2' : 'tomcat1', manager: 'localhost#/app', outcome: 'timeout', file: 'x', line: 1, requestedAtMs };
    if (wait !== undefined) t.outcomeAtMs = requestedAtMs + wait;
    if (timeoutSeconds !== undefined) t.timeoutSeconds = timeoutSeconds;
    return t;
  });

describe('mutualPairs', () => {
  it('pairs as the plain search does (random requests in both directions, overlapping or not)', () => {
    fc.assert(
      fc.property(fc.array(transfer, { maxLength: 60 }), (list) => {
        expect(mutualPairs(list)).toEqual(reference(list));
      }),
      { numRuns: 500 },
    );
  });

  it('finds the one pair among 20 000 requests (the last request, answered by a late one the other way)', () => {
    const list: Transfer[] = [];
    for (let i = 0; i < 20_000; i++) {
      list.push({ node: 'tomcat1', provider: 'tomcat2', manager: 'm', outcome: 'received', file: 'x', line: i, requestedAtMs: i * 600_000, outcomeAtMs: i * 600_000 + 100 });
    }
    const late = { node: 'tomcat2', provider: 'tomcat1', manager: 'm', outcome: 'timeout', file: 'y', line: 1, requestedAtMs: 19_999 * 600_000 + 50 } as Transfer;
    list.push(late);
    expect(mutualPairs(list)).toEqual([[list[19_999], late]]);
  });
});
