// The README's library example must run as written, through the package's public entry point.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');

test('examples/library.ts runs against the bundled samples', () => {
  const out = execFileSync(join(ROOT, 'node_modules/.bin/tsx'), ['examples/library.ts'], { cwd: ROOT, encoding: 'utf8' });
  // The real samples: three transfers received (114, 116, 125 ms) and one timeout.
  expect(out).toContain('tomcat2 got state in 114 ms');
  expect(out).toContain('p95 state-transfer latency: 125 ms');
  expect(out).toMatch(/^error state-transfer-timeout: tomcat2 asked tomcat1/m);
  expect(out).toContain("'state-transfer-received': 1");
});
