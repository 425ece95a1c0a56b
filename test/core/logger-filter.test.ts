// LoggerFilter.kindOfName: which loggers' records can be events, asked of every record of the
// formats decoded line by line. Its answers are kept per name, in a bounded cache: the answers must
// be those of the rule itself, however many names a log holds.

import { describe, expect, test } from 'vitest';
import { CLUSTER_LOGGER, LIFECYCLE_LOGGER, LoggerFilter, OTHER_LOGGER } from '../../src/core/cluster-prefilter.js';
import { isClusterLogger } from '../../src/core/event-recogniser.js';
import { loadGrammarsSync } from '../../src/io/grammar-files.js';

const grammars = loadGrammarsSync();

describe('kindOfName', () => {
  test('cluster, lifecycle and other loggers, also when asked again', () => {
    const f = new LoggerFilter(grammars.events);
    const cases: Array<[string | undefined, number]> = [
      ['org.apache.catalina.ha.tcp.SimpleTcpCluster', CLUSTER_LOGGER],
      ['o.a.c.tribes.membership.McastService', CLUSTER_LOGGER],
      ['org.apache.catalina.startup.Catalina', LIFECYCLE_LOGGER],
      ['org.apache.catalina.core.StandardService', LIFECYCLE_LOGGER],
      ['com.example.shop.CartController', OTHER_LOGGER],
      [undefined, LIFECYCLE_LOGGER],
      ['', LIFECYCLE_LOGGER],
    ];
    for (let round = 0; round < 2; round++) for (const [name, kind] of cases) expect(f.kindOfName(name), `${name}`).toBe(kind);
  });

  test('a log of more distinct names than the cache keeps gets the same answers', () => {
    const f = new LoggerFilter(grammars.events);
    const names = Array.from({ length: 10_000 }, (_, i) =>
      i % 3 === 0 ? `org.apache.catalina.ha.session.Mgr${i}` : i % 3 === 1 ? `com.example.App${i}` : `org.example.p${i}.Catalina`,
    );
    const expected = (n: string): number => (isClusterLogger(n) ? CLUSTER_LOGGER : n.endsWith('.Catalina') ? LIFECYCLE_LOGGER : OTHER_LOGGER);
    for (let round = 0; round < 2; round++) for (const n of names) expect(f.kindOfName(n), n).toBe(expected(n));
  });
});
