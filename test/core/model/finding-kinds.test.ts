// The README's table of finding kinds is part of the JSON contract (scripts match on `kind`): it
// must list every kind the model can emit, and no other.

import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

const ROOT = new URL('../../../', import.meta.url);

/** Kinds passed to `finding('…', …)` in findings.ts, and the two start failures (their kind is the event type). */
function kindsInCode(): string[] {
  const src = readFileSync(new URL('src/core/model/findings.ts', ROOT), 'utf8');
  const literal = [...src.matchAll(/\bfinding\(\s*'([a-z-]+)'/g)].map((m) => m[1]);
  const model = readFileSync(new URL('src/core/model/cluster-model.ts', ROOT), 'utf8');
  // startFailures() emits `finding(f.kind, …)` for the failures apply() records under these cases.
  const failures = [...model.matchAll(/case '([a-z-]+)':\n(?=(?:\s*case '[a-z-]+':\n)*\s*this\.startFailed\()/g)].map((m) => m[1]);
  expect(failures).toEqual(['cluster-start-failed', 'multicast-join-failed']);
  return [...new Set([...literal, ...failures])].sort();
}

/** Kinds in the first column of the README's findings table (its rows up to the first other line). */
function kindsInReadme(): string[] {
  const readme = readFileSync(new URL('README.md', ROOT), 'utf8');
  const lines = readme.slice(readme.indexOf('| kind | severity | when |')).split('\n').map((l) => l.trim());
  const end = lines.findIndex((l) => !l.startsWith('|'));
  const rows = lines.slice(2, end < 0 ? lines.length : end); // past the header and its |---| line
  return rows.flatMap((l) => [...l.split('|')[1].matchAll(/`([a-z-]+)`/g)].map((m) => m[1])).sort();
}

it('the README lists exactly the finding kinds the model emits', () => {
  const code = kindsInCode();
  expect(code.length).toBeGreaterThanOrEqual(14);
  expect(kindsInReadme()).toEqual(code);
});
