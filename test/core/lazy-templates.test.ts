// The bundled event templates are compiled on first match (start-up), user grammars at load (so a
// bad template is refused at once). Vitest runs each test file in its own module graph, so the
// count of built templates starts at 0 here.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LensError } from '../../src/core/errors.js';
import { compileEventGrammar, templateMatchersBuilt } from '../../src/core/event-grammar.js';
import { createEventRecogniser } from '../../src/core/event-recogniser.js';
import { loadGrammarsSync, testGrammars } from '../../src/io/grammar-files.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BAD_TEMPLATE = join(ROOT, 'test', 'fixtures', 'events', 'bad-unknown-arg-type.json');

describe('lazily compiled bundled templates', () => {
  it('loading builds no template; a match builds only the templates it tries', () => {
    const { events } = loadGrammarsSync();
    const total = events.reduce((n, g) => n + g.templates.length, 0);
    expect(total).toBeGreaterThan(400);
    expect(templateMatchersBuilt()).toBe(0);

    const recogniser = createEventRecogniser(events);
    expect(templateMatchersBuilt()).toBe(0);
    const ev = recogniser.recognise(
      {
        message: 'Replication member added:[org.apache.catalina.tribes.membership.MemberImpl[tcp://{127, 0, 0, 12}:4002,{127, 0, 0, 12},4002, alive=1032, securePort=-1, UDP Port=-1, id={1 2 3 }, payload={}, command={}, domain={}]]',
        logger: 'org.apache.catalina.ha.tcp.SimpleTcpCluster',
        file: 'x',
        line: 1,
        lineCount: 1,
        offset: 0,
        format: 'test',
        pattern: 'test',
      },
      'n1',
    );
    expect(ev?.type).toBe('member-added');
    const built = templateMatchersBuilt();
    expect(built).toBeGreaterThan(0);
    expect(built).toBeLessThan(10);
  });

  it('a lazily built template is the one an eager compile builds', () => {
    for (const g of loadGrammarsSync().events) {
      const eager = compileEventGrammar(g.name, rawOf(g.file, g.name), g.file);
      expect(eager.templates.length).toBe(g.templates.length);
      g.templates.forEach((t, i) => {
        const e = eager.templates[i];
        for (const key of ['id', 'template', 'pointer', 'prefix', 'specificity', 'needle', 'constants', 'tail', 'args'] as const) {
          expect(t[key], `${t.pointer} ${key}`).toEqual(e[key]);
        }
        expect(t.steps.map((s) => s.regex?.source ?? s.literal)).toEqual(e.steps.map((s) => s.regex?.source ?? s.literal));
        expect(t.regexes.map(String)).toEqual(e.regexes.map(String));
      });
    }
  });
});

describe('user grammars are compiled at load', () => {
  it('--grammar with a bad template fails at load, before any match', () => {
    let err: unknown;
    try {
      loadGrammarsSync([BAD_TEMPLATE]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LensError);
    expect((err as LensError).code).toBe('GRAMMAR_SCHEMA');
    expect((err as LensError).reason).toContain('unknown type "host"');
  });

  it('grammars --test compiles every template, bundled ones included', () => {
    const before = templateMatchersBuilt();
    const { grammars, errors } = testGrammars();
    expect(errors).toEqual([]);
    const total = grammars.events.reduce((n, g) => n + g.templates.length, 0);
    expect(templateMatchersBuilt() - before).toBeGreaterThanOrEqual(total);
  });
});

function rawOf(file: string, name: string): unknown {
  return (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)[name];
}
