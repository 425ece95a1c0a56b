// Evidence references (`file:line`) resolved to the log text of the event that starts there, so the
// dashboard can show what the log said without keeping every record.

import type { ClusterEvent } from '../core/types.js';

export class EvidenceIndex {
  private readonly byRef = new Map<string, string>();

  constructor(events: Iterable<ClusterEvent> = []) {
    for (const ev of events) this.add(ev);
  }

  add(ev: ClusterEvent): void {
    this.byRef.set(`${ev.file}:${ev.line}`, ev.message);
  }

  text(ref: string): string | undefined {
    return this.byRef.get(ref);
  }
}
