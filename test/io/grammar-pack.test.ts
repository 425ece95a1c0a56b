// The grammar pack (src/io/grammar-pack.ts): the bundled grammars loaded from a pack are those
// compiled from their files, and a pack that no longer matches its directory is not used.

import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { checkEventSamples } from '../../src/core/event-samples.js';
import { BUNDLED_GRAMMARS, loadPackedGrammars, packGrammars, testGrammars } from '../../src/io/grammar-files.js';
import { PACK_VERSION } from '../../src/io/grammar-pack.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'catalina-lens-pack-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const INDEX_FIELDS = ['grammar', 'file', 'id', 'type', 'template', 'pointer', 'family', 'locale', 'level', 'logger', 'key', 'constants', 'prefix', 'specificity', 'needle'] as const;

describe('the bundled grammars from a pack', () => {
  test('are the grammars compiled from the files: formats, event templates, their matchers and samples', () => {
    const pack = join(dir, 'pack.json');
    packGrammars(BUNDLED_GRAMMARS, pack);
    const packed = loadPackedGrammars(BUNDLED_GRAMMARS, pack);
    expect(packed).toBeDefined();
    const { grammars: files } = testGrammars();
    expect(packed!.files).toEqual(files.files);

    expect(packed!.formats.map((f) => f.name)).toEqual(files.formats.map((f) => f.name));
    packed!.formats.forEach((f, i) => {
      const g = files.formats[i];
      expect(f.file).toBe(g.file);
      expect(f.patterns.map((p) => String(p.regex))).toEqual(g.patterns.map((p) => String(p.regex)));
      expect(f.samples).toEqual(g.samples);
      expect(f.source).toEqual(g.source);
    });

    expect(packed!.events.map((g) => g.name)).toEqual(files.events.map((g) => g.name));
    let templates = 0;
    packed!.events.forEach((p, i) => {
      const g = files.events[i];
      for (const key of ['file', 'stem', 'title', 'description', 'loggers'] as const) expect(p[key], `${g.name} ${key}`).toEqual(g[key]);
      expect(p.templates.length).toBe(g.templates.length);
      p.templates.forEach((t, k) => {
        const e = g.templates[k];
        for (const key of INDEX_FIELDS) expect(t[key], `${e.pointer} ${key}`).toEqual(e[key]);
        // One shape for every template, whichever way it was loaded (the match path reads them all).
        expect(Object.keys(t)).toEqual(Object.keys(e));
        expect(t.regexes.map(String)).toEqual(e.regexes.map(String));
        expect(t.args).toEqual(e.args);
        templates++;
      });
      expect(p.samples).toEqual(g.samples);
    });
    expect(templates).toBeGreaterThan(400);

    // Every sample of every grammar gives what it expects through the packed templates.
    expect(checkEventSamples(packed!.events)).toEqual([]);
  });
});

describe('a pack that no longer matches its directory is not used', () => {
  const grammarDir = (): string => join(dir, 'grammars');
  const eventsFile = (): string => join(grammarDir(), 'events', 'membership.json');
  const pack = (): string => join(dir, 'pack.json');

  beforeEach(() => {
    mkdirSync(join(grammarDir(), 'events'), { recursive: true });
    mkdirSync(join(grammarDir(), 'formats'), { recursive: true });
    copyFileSync(join(BUNDLED_GRAMMARS, 'events', 'membership.json'), eventsFile());
    copyFileSync(join(BUNDLED_GRAMMARS, 'formats', 'juli-oneline.json'), join(grammarDir(), 'formats', 'juli-oneline.json'));
    packGrammars(grammarDir(), pack());
  });

  test('as written, it is used', () => {
    const g = loadPackedGrammars(grammarDir(), pack());
    expect(g?.formats.map((f) => f.name)).toEqual(['juli_oneline']);
    expect(g?.events.length).toBe(1);
  });

  test('as an npm install leaves it (every file, the pack too, of one and the same time), it is used', () => {
    const npmTime = new Date('1985-10-26T08:15:00Z');
    for (const f of [eventsFile(), join(grammarDir(), 'formats', 'juli-oneline.json'), pack()]) utimesSync(f, npmTime, npmTime);
    expect(loadPackedGrammars(grammarDir(), pack())).toBeDefined();
  });

  test('a file edited since (its size, or only its time: newer than the pack), added or removed', () => {
    writeFileSync(eventsFile(), `${readFileSync(eventsFile(), 'utf8')}\n`);
    expect(loadPackedGrammars(grammarDir(), pack())).toBeUndefined();
    packGrammars(grammarDir(), pack());
    expect(loadPackedGrammars(grammarDir(), pack())).toBeDefined();
    const packed = statSync(pack());
    utimesSync(eventsFile(), packed.atime, new Date(packed.mtimeMs + 5000));
    expect(loadPackedGrammars(grammarDir(), pack())).toBeUndefined();
    utimesSync(eventsFile(), packed.atime, new Date(packed.mtimeMs - 5000));
    expect(loadPackedGrammars(grammarDir(), pack())).toBeDefined();
    copyFileSync(join(BUNDLED_GRAMMARS, 'events', 'transport.json'), join(grammarDir(), 'events', 'transport.json'));
    expect(loadPackedGrammars(grammarDir(), pack())).toBeUndefined();
    rmSync(join(grammarDir(), 'events', 'transport.json'));
    expect(loadPackedGrammars(grammarDir(), pack())).toBeDefined();
    rmSync(eventsFile());
    expect(loadPackedGrammars(grammarDir(), pack())).toBeUndefined();
  });

  test('a pack of another version, one that is not JSON, or none', () => {
    const json = JSON.parse(readFileSync(pack(), 'utf8'));
    writeFileSync(pack(), JSON.stringify({ ...json, version: PACK_VERSION + 1 }));
    expect(loadPackedGrammars(grammarDir(), pack())).toBeUndefined();
    writeFileSync(pack(), '{"version":');
    expect(loadPackedGrammars(grammarDir(), pack())).toBeUndefined();
    rmSync(pack());
    expect(loadPackedGrammars(grammarDir(), pack())).toBeUndefined();
  });
});
