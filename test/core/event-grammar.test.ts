import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { LensError } from '../../src/core/errors.js';
import {
  compileEventGrammar,
  EVENT_GRAMMAR_SCHEMA,
  matchTemplate,
  trimEnd,
  type CompiledEventGrammar,
} from '../../src/core/event-grammar.js';
import { checkEventSamples, uncoveredTemplates } from '../../src/core/event-samples.js';
import { CORPUS } from '../helpers/corpus.js';

const ROOT = join(import.meta.dirname, '..', '..');
const EVENTS_DIR = join(ROOT, 'grammars', 'events');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'events');

const files = readdirSync(EVENTS_DIR).filter((f) => f.endsWith('.json')).sort();

function load(file: string): CompiledEventGrammar[] {
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  return Object.entries(json)
    .filter(([k]) => k !== '$schema')
    .map(([k, v]) => compileEventGrammar(k, v, file));
}
const grammars = files.flatMap((f) => load(join(EVENTS_DIR, f)));

/** Compiles a one-template grammar in place. */
function tpl(template: string, fields: Record<string, string> = {}, constants?: Record<string, unknown>) {
  const g = compileEventGrammar(
    'inline',
    { title: 't', events: { 'test-event': { fields, constants, templates: [{ template }] } }, samples: [] },
    'inline.json',
  );
  return g.templates[0];
}

function thrown(fn: () => unknown): LensError {
  try {
    fn();
  } catch (e) {
    if (e instanceof LensError) return e;
    throw e;
  }
  throw new Error('did not throw');
}

describe('bundled event grammars', () => {
  const validate = new Ajv({ strict: false }).compile(
    (({ $schema: _s, ...rest }) => rest)(JSON.parse(readFileSync(join(ROOT, 'grammars/schema/events.schema.json'), 'utf8'))),
  );

  it('the schema file is the compiler’s schema', () => {
    const onDisk = JSON.parse(readFileSync(join(ROOT, 'grammars/schema/events.schema.json'), 'utf8'));
    expect(onDisk).toEqual(JSON.parse(JSON.stringify(EVENT_GRAMMAR_SCHEMA)));
  });

  it.each(files)('%s validates against events.schema.json and compiles', (f) => {
    const json = JSON.parse(readFileSync(join(EVENTS_DIR, f), 'utf8'));
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    expect(json.$schema).toBe('../schema/events.schema.json');
    const gs = load(join(EVENTS_DIR, f));
    expect(gs).toHaveLength(1);
    expect(gs[0].templates.length).toBeGreaterThan(0);
    expect(gs[0].stem).toBe(f.replace(/\.json$/, ''));
  });

  it('every sample matches one event type and yields its expected fields', () => {
    expect(checkEventSamples(grammars).map((e) => `${e.code} ${e.file}#${e.pointer}: ${e.reason}`)).toEqual([]);
  });

  it('every template is exercised by a sample', () => {
    expect(uncoveredTemplates(grammars).map((t) => `${t.file}#${t.pointer}`)).toEqual([]);
  });

  it('every sample is a real corpus line, or says it was rendered from a template', () => {
    const cache = new Map<string, Set<string>>();
    for (const g of grammars) {
      for (const s of g.samples) {
        const m = /^real line, corpus\/(\S+)$/.exec(s.description ?? '');
        if (m) {
          const path = join(CORPUS, m[1]);
          if (!cache.has(path)) cache.set(path, new Set(readFileSync(path, 'utf8').split('\n').map((l) => l.replace(/\r$/, ''))));
          expect(cache.get(path)!.has(s.line), `${g.file}#${s.pointer} not found in ${path}`).toBe(true);
        } else {
          expect(s.description, `${g.file}#${s.pointer}`).toMatch(/^rendered from the \S+ template \(.+\); no real log available$/);
        }
      }
    }
  });

  it('covers the event types of DESIGN.md', () => {
    const types = new Set(grammars.flatMap((g) => g.templates.map((t) => t.type)));
    for (const t of [
      'member-added', 'member-disappeared', 'member-verify', 'member-verified', 'member-suspect',
      'state-transfer-requested', 'state-transfer-received', 'state-transfer-timeout', 'state-transfer-no-manager',
      'state-transfer-skipped', 'manager-registered', 'receiver-bound', 'membership-wait', 'membership-established',
      'send-failed', 'server-started', 'server-stopping',
      'server-version', 'cluster-starting', 'cluster-start-failed', 'multicast-join-failed', 'state-transfer-message-dropped',
      'membership-recovery-started', 'membership-recovery-failed', 'membership-recovered', 'map-member-added',
      'map-member-disappeared', 'member-refused', 'member-added-unnotified', 'manager-expiring-sessions', 'multicast-bind',
    ]) {
      expect(types.has(t), t).toBe(true);
    }
    for (const t of types) expect(t).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
  });

  it('has families A, B and C in English and the key messages in fr, ja, ko, zh_CN and es', () => {
    const en = grammars.flatMap((g) => g.templates).filter((t) => t.locale === 'en');
    for (const fam of ['A', 'B', 'C']) expect(en.some((t) => (t.family ?? '').split(',').includes(fam) && t.type === 'member-added'), fam).toBe(true);
    for (const locale of ['fr', 'ja', 'ko', 'zh_CN']) {
      const types = new Set(grammars.flatMap((g) => g.templates).filter((t) => t.locale === locale).map((t) => t.type));
      for (const t of ['member-added', 'member-disappeared', 'state-transfer-requested', 'state-transfer-received', 'state-transfer-timeout', 'receiver-bound', 'membership-wait', 'member-suspect']) {
        expect(types.has(t), `${locale} ${t}`).toBe(true);
      }
    }
    const es = new Set(grammars.flatMap((g) => g.templates).filter((t) => t.locale === 'es').map((t) => t.type));
    expect(es.has('state-transfer-received') && es.has('state-transfer-timeout')).toBe(true);
  });
});

describe('template compiler', () => {
  it('anchors the regex and escapes literal text', () => {
    const t = tpl('Server startup in [{durationMs}] milliseconds (a.b)', { durationMs: 'grouped-int' });
    expect(matchTemplate(t, 'Server startup in [692] milliseconds (a.b)')).toEqual({ durationMs: 692 });
    expect(matchTemplate(t, 'Server startup in [692] milliseconds (aXb)')).toBeUndefined();
    expect(matchTemplate(t, 'x Server startup in [692] milliseconds (a.b)')).toBeUndefined();
    expect(matchTemplate(t, 'Server startup in [692] milliseconds (a.b) and more')).toBeUndefined();
  });

  it("reads '' as one quote, keeps a lone quote, and lets white space be NBSP or NNBSP", () => {
    const t = tpl("Context manager doesn''t exist:[{manager}]", { manager: 'text' });
    expect(matchTemplate(t, "Context manager doesn't exist:[/app]")).toEqual({ manager: '/app' });
    const lone = tpl("Une commande d'arrêt valide a été reçue");
    expect(matchTemplate(lone, "Une commande d'arrêt valide a été reçue")).toEqual({});
    const ws = tpl('Membre de réplication ajouté : [{m}]', { m: 'text' });
    expect(matchTemplate(ws, 'Membre de réplication ajouté\u00A0: [x]')).toEqual({ m: 'x' });
    expect(matchTemplate(ws, 'Membre de réplication ajouté\u202F:  [x]')).toEqual({ m: 'x' });
    expect(t.prefix).toBe("Context manager doesn't exist:[");
  });

  it('reads grouped integers in every locale’s grouping', () => {
    const t = tpl('after [{durationMs}] ms.', { durationMs: 'grouped-int' });
    for (const s of ['60,012', '60\u202F012', '60\u00A0012', '60.012', '60012']) {
      expect(matchTemplate(t, `after [${s}] ms.`), s).toEqual({ durationMs: 60012 });
    }
    expect(matchTemplate(t, 'after [1,234,567] ms.')).toEqual({ durationMs: 1234567 });
    const plain = tpl('timing out after {durationMs} ms.', { durationMs: 'grouped-int' });
    expect(matchTemplate(plain, 'timing out after 60,144 ms.')).toEqual({ durationMs: 60144 });
  });

  it('keeps MessageFormat dates as logged: JDK 6, JDK 9+, JDK 20+ and localised forms', () => {
    const c = tpl('Manager [{manager}]; session state sent at [{sentAt}] received in [{durationMs}] ms.', {
      manager: 'text', sentAt: 'date', durationMs: 'grouped-int',
    });
    for (const d of ['11/26/26, 3:07 PM', '11/26/26, 3:07\u202FPM', '26/11/2026 15:07', '26. 11. 26. 오후 3:07']) {
      expect(matchTemplate(c, `Manager [localhost#/app]; session state sent at [${d}] received in [106] ms.`)).toEqual({
        manager: 'localhost#/app', sentAt: d, durationMs: 106,
      });
    }
    const a = tpl('Manager [{manager}]; session state send at {sentAt} received in {durationMs} ms.', {
      manager: 'text', sentAt: 'date', durationMs: 'grouped-int',
    });
    expect(matchTemplate(a, 'Manager [localhost#/manager]; session state send at 11/6/13 9:56 PM received in 143 ms.')).toEqual({
      manager: 'localhost#/manager', sentAt: '11/6/13 9:56 PM', durationMs: 143,
    });
  });

  it('splits socket addresses into address, host and port', () => {
    const t = tpl('Receiver Server Socket bound to:[{address}]', { address: 'address' });
    expect(matchTemplate(t, 'Receiver Server Socket bound to:[/127.0.0.11:4001]')).toEqual({ address: '127.0.0.11', port: 4001 });
    expect(matchTemplate(t, 'Receiver Server Socket bound to:[host.name/10.0.0.1:4000]')).toEqual({
      address: '10.0.0.1', port: 4000, host: 'host.name',
    });
    expect(matchTemplate(t, 'Receiver Server Socket bound to:[/[0:0:0:0:0:0:0:1]:4000]')).toEqual({ address: '0:0:0:0:0:0:0:1', port: 4000 });
  });

  it('lets a text argument hold nested brackets before a closing bracket', () => {
    const t = tpl('Manager [{manager}] does not implement ClusterManager, addition to cluster has been aborted.', { manager: 'text' });
    expect(
      matchTemplate(t, 'Manager [org.apache.catalina.session.StandardManager[/examples]] does not implement ClusterManager, addition to cluster has been aborted.'),
    ).toEqual({ manager: 'org.apache.catalina.session.StandardManager[/examples]' });
  });

  it('parses member arguments, full or as a name, and rejects other text', () => {
    const t = tpl('Member send is failing for:[{member}] ; Setting to suspect and retrying.', { member: 'member' });
    const ev = matchTemplate(t, 'Member send is failing for:[tcp://{10, 0, 0, 2}:4000] ; Setting to suspect and retrying.');
    expect(ev?.member).toMatchObject({ name: 'tcp://10.0.0.2:4000', host: '10.0.0.2', port: 4000, kind: '' });
    expect(matchTemplate(t, 'Member send is failing for:[somewhere] ; Setting to suspect and retrying.')).toBeUndefined();
  });

  it('matches an argument used twice only when both copies are equal (French sessionReceived)', () => {
    const t = tpl("Gestionnaire de session [{manager}] : l''état de session envoyé à [{manager}] a été reçu en [{durationMs}] ms", {
      manager: 'text', durationMs: 'grouped-int',
    });
    expect(matchTemplate(t, "Gestionnaire de session [localhost#/a] : l'état de session envoyé à [localhost#/a] a été reçu en [105] ms")).toEqual({
      manager: 'localhost#/a', durationMs: 105,
    });
    expect(matchTemplate(t, "Gestionnaire de session [localhost#/a] : l'état de session envoyé à [26/11/2026 15:07] a été reçu en [105] ms")).toBeUndefined();
  });

  it('reads arguments by name whatever their order (Japanese sessionReceived)', () => {
    const t = tpl('マネージャ [{manager}]; [{durationMs}] ミリ秒で受信した [{sentAt}] で送信されたセッション状態。', {
      manager: 'text', sentAt: 'date', durationMs: 'grouped-int',
    });
    expect(matchTemplate(t, 'マネージャ [localhost#/app]; [105] ミリ秒で受信した [2026/11/26 15:07] で送信されたセッション状態。')).toEqual({
      manager: 'localhost#/app', sentAt: '2026/11/26 15:07', durationMs: 105,
    });
  });

  it('reads old unbracketed forms with free text between words, whatever the white space around it', () => {
    const t = tpl('Register manager {manager} to cluster element {element:word} with name {name}', { manager: 'text', name: 'text' });
    const want = { manager: '/app x', element: 'Engine', name: 'Catalina' };
    expect(matchTemplate(t, 'Register manager /app x to cluster element Engine with name Catalina')).toEqual(want);
    expect(matchTemplate(t, 'Register manager  /app x \u00A0to cluster element  Engine with name   Catalina')).toEqual(want);
    const a = tpl('Manager [{manager}], requesting session state from {member}. This operation will timeout if no session state has been received within {s} seconds.', {
      manager: 'text', member: 'member', s: 'grouped-int',
    });
    const m = matchTemplate(a, 'Manager [localhost#/a], requesting session state from tcp://{10, 0, 0, 2}:4000. This operation will timeout if no session state has been received within 60 seconds.');
    expect(m).toMatchObject({ manager: 'localhost#/a', member: { name: 'tcp://10.0.0.2:4000' }, s: 60 });
  });

  it('reads a socket address whose host has colons, bracketed or not', () => {
    const t = tpl('Receiver Server Socket bound to:[{address}]', { address: 'address' });
    expect(matchTemplate(t, 'Receiver Server Socket bound to:[/0:0:0:0:0:0:0:1:4000]')).toEqual({ address: '0:0:0:0:0:0:0:1', port: 4000 });
  });

  it('never matches across a line break, and trims long white space in linear time', () => {
    const t = tpl('Manager [{manager}] started', { manager: 'text' });
    expect(matchTemplate(t, 'Manager [a] started')).toEqual({ manager: 'a' });
    expect(matchTemplate(t, 'Manager [a] started  \t')).toEqual({ manager: 'a' });
    expect(matchTemplate(t, 'Manager [a\nb] started')).toBeUndefined();
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) expect(trimEnd(`${' '.repeat(100_000)}x`)).toHaveLength(100_001);
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it('adds event and template constants', () => {
    const g = compileEventGrammar(
      'c',
      {
        title: 't',
        events: {
          'member-verified': {
            fields: { member: 'member' },
            constants: { source: 'fd' },
            templates: [
              { template: 'Verification complete. Member still alive[{member}]', constants: { verdict: 'alive' } },
              { template: 'Verification complete. Member disappeared[{member}]', constants: { verdict: 'disappeared' } },
            ],
          },
        },
        samples: [],
      },
      'c.json',
    );
    const m = matchTemplate(g.templates[1], 'Verification complete. Member disappeared[tcp://127.0.0.1:4000]');
    expect(m).toMatchObject({ source: 'fd', verdict: 'disappeared' });
    expect(g.templates[0].id).toBe('c#member-verified');
  });
});

describe('bad grammars (test/fixtures/events)', () => {
  const compileFixture = (name: string) => load(join(FIXTURES, name));

  it('an unknown argument type in a template: GRAMMAR_SCHEMA at the template', () => {
    const e = thrown(() => compileFixture('bad-unknown-arg-type.json'));
    expect(e.code).toBe('GRAMMAR_SCHEMA');
    expect(e.file).toBe(join(FIXTURES, 'bad-unknown-arg-type.json'));
    expect(e.pointer).toBe('/bad_arg_type/events/member-added/templates/0/template');
    expect(e.reason).toContain('unknown type "host"');
  });

  it('an unknown type in fields: GRAMMAR_SCHEMA at the field', () => {
    const e = thrown(() => compileFixture('bad-field-type.json'));
    expect(e.code).toBe('GRAMMAR_SCHEMA');
    expect(e.pointer).toBe('/bad_field_type/events/member-added/fields/member');
    expect(e.reason).toContain('"member"');
  });

  it('a misspelt property: GRAMMAR_SCHEMA at the event', () => {
    const e = thrown(() => compileFixture('bad-schema.json'));
    expect(e.code).toBe('GRAMMAR_SCHEMA');
    expect(e.pointer).toBe('/bad_schema/events/member-added');
  });

  it('an unnamed {0} argument: GRAMMAR_SCHEMA with help', () => {
    const e = thrown(() => compileFixture('bad-unnamed-arg.json'));
    expect(e.code).toBe('GRAMMAR_SCHEMA');
    expect(e.pointer).toBe('/bad_unnamed/events/member-added/templates/0/template');
    expect(e.reason).toContain('must be named');
  });

  it('a template listed twice: GRAMMAR_DUPLICATE', () => {
    const e = thrown(() => compileFixture('bad-duplicate.json'));
    expect(e.code).toBe('GRAMMAR_DUPLICATE');
    expect(e.pointer).toBe('/bad_duplicate/events/cluster-starting/templates/1/template');
  });

  it('no samples; unmatched, ambiguous and mismatching samples', () => {
    const noSamples = checkEventSamples(compileFixture('bad-no-samples.json'));
    expect(noSamples.map((e) => [e.code, e.pointer])).toEqual([['GRAMMAR_NO_SAMPLES', '/bad_no_samples/samples']]);
    const errs = checkEventSamples(compileFixture('bad-samples.json'));
    expect(errs.map((e) => [e.code, e.pointer])).toEqual([
      ['GRAMMAR_SAMPLE_MISMATCH', '/bad_samples/samples/0'],
      ['GRAMMAR_SAMPLE_AMBIGUOUS', '/bad_samples/samples/1'],
      ['GRAMMAR_SAMPLE_UNMATCHED', '/bad_samples/samples/2'],
    ]);
    expect(errs[0].reason).toContain('durationMs is 106, expected 105');
    expect(errs[1].reason).toContain('cluster-starting');
    expect(errs[1].reason).toContain('cluster-other-start');
  });

  it('a reserved field name is refused', () => {
    const e = thrown(() => tpl('Cluster {type:word}'));
    expect(e.code).toBe('GRAMMAR_SCHEMA');
    expect(e.reason).toContain('reserved');
  });

  it('a user grammar for a deployment’s own message works and passes its samples', () => {
    const gs = compileFixture('custom-deployment.json');
    expect(checkEventSamples(gs)).toEqual([]);
    expect(existsSync(join(FIXTURES, 'custom-deployment.json'))).toBe(true);
  });
});
