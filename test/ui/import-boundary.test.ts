// ink and react are loaded only for the dashboard: nothing outside src/ui imports them, or
// imports src/ui statically (the CLI uses `await import('../ui/run-dashboard.js')`).

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../../src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

describe('import boundary', () => {
  it('keeps ink, react and src/ui out of static imports elsewhere', () => {
    const offenders: string[] = [];
    for (const file of files(SRC)) {
      const rel = relative(SRC, file);
      if (rel.startsWith('ui/')) continue;
      const text = readFileSync(file, 'utf8');
      const statics = [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]);
      for (const spec of statics) {
        if (/^(ink|react)(\/|$)/.test(spec) || /(^|\/)ui\//.test(spec)) offenders.push(`${rel}: ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('has the ui modules import nothing outside src/core besides ink and react', () => {
    for (const file of files(join(SRC, 'ui'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/from\s+['"]([^'"]+)['"]/g)) {
        const spec = m[1];
        if (spec.startsWith('.')) {
          expect(spec, relative(SRC, file)).toMatch(/\.js$/);
          expect(spec, relative(SRC, file)).not.toMatch(/\.\.\/(cli|io|report)\//);
        } else {
          expect(['ink', 'react', 'react/jsx-runtime']).toContain(spec);
        }
      }
    }
  });
});
