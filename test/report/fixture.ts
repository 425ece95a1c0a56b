// Snapshots built from real corpus lines (state-timeout and node-loss scenarios) for the report tests.

import { ClusterModel } from '../../src/core/model/cluster-model.js';
import type { ClusterSnapshot } from '../../src/core/snapshot.js';
import { ev, merged } from '../core/model/corpus-lines.js';

export function stateTimeoutSnapshot(): ClusterSnapshot {
  const A = 'state-timeout/tomcat1/catalina.out';
  const B = 'state-timeout/tomcat2/catalina.out';
  const m = new ClusterModel({ nodes: [{ name: 'tomcat1' }, { name: 'tomcat2' }], version: '0.1.0' });
  for (const e of merged([
    ev('tomcat1', A, 1, 'server-version'),
    ev('tomcat1', A, 40, 'receiver-bound'),
    ev('tomcat1', A, 44, 'state-transfer-skipped'),
    ev('tomcat1', A, 50, 'member-added'),
    ev('tomcat1', A, 51, 'member-suspect', { verdict: 'alive' }),
    ev('tomcat1', A, 52, 'member-disappeared'),
    ev('tomcat1', A, 53, 'server-stopping'),
    ev('tomcat2', B, 1, 'server-version'),
    ev('tomcat2', B, 40, 'receiver-bound'),
    ev('tomcat2', B, 41, 'member-added'),
    ev('tomcat2', B, 46, 'state-transfer-requested'),
    ev('tomcat2', B, 47, 'state-transfer-timeout'),
    ev('tomcat2', B, 52, 'server-stopping'),
  ])) m.apply(e);
  m.updateInput({ file: A, node: 'tomcat1', bytes: 9907, lines: 59, recordLines: 59, records: 59, unparsed: 0, invalidUtf8: 0, truncatedLines: 0, unrecognisedCluster: 0, events: { 'member-added': 1 } });
  m.updateInput({ file: B, node: 'tomcat2', bytes: 9549, lines: 58, recordLines: 58, records: 58, unparsed: 0, invalidUtf8: 0, truncatedLines: 0, unrecognisedCluster: 0, events: { 'member-added': 1 } });
  return m.snapshot();
}
