// The library API, as the README shows it. Run: npx tsx examples/library.ts [PATH...]
import { createReadStream } from 'node:fs';
import { analyze, createEventStream, readEvents, type ClusterEvent } from 'catalina-lens';

const paths = process.argv.length > 2 ? process.argv.slice(2) : ['samples/'];

// 1. Every cluster event of every node, merged in time order.
for await (const ev of readEvents(paths, { tz: 'UTC' })) {
  if (ev.type === 'state-transfer-received') console.log(`${ev.time} ${ev.node} got state in ${ev.durationMs} ms`);
}

// 2. The cluster model: membership, transfers, latency, findings.
const report = await analyze(paths, { tz: 'UTC', slowMs: 500 });
console.log(`p95 state-transfer latency: ${report.latency.overall.p95} ms`);
for (const f of report.findings) console.log(`${f.severity} ${f.kind}: ${f.message}`);

// 3. One file as an object-mode stream of events.
const stream = createReadStream('samples/tomcat2/catalina.out').pipe(createEventStream({ node: 'tomcat2', tz: 'UTC' }));
const types = new Map<string, number>();
for await (const ev of stream as AsyncIterable<ClusterEvent>) types.set(ev.type, (types.get(ev.type) ?? 0) + 1);
console.log(Object.fromEntries(types));
