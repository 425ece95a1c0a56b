// One human-readable line per event, for `tail --text`. Log-derived text is sanitised.

import { sanitizeForTerminal } from '../core/sanitize.js';
import type { ClusterEvent, Member } from '../core/types.js';

function memberText(m: Member | undefined): string {
  return m ? `${m.host}:${m.port}` : '?';
}

function details(ev: ClusterEvent): string {
  switch (ev.type) {
    case 'member-added':
    case 'member-disappeared':
    case 'member-verify':
      return memberText(ev.member);
    case 'member-verified':
    case 'member-suspect':
      return `${memberText(ev.member)} ${ev.verdict ?? ''}`.trim();
    case 'state-transfer-requested':
      return `${ev.manager} from ${memberText(ev.member)} (timeout ${ev.timeoutSeconds ?? '?'} s)`;
    case 'state-transfer-received':
    case 'state-transfer-timeout':
    case 'state-transfer-no-manager':
      return `${ev.manager} after ${ev.durationMs ?? '?'} ms`;
    case 'receiver-bound':
      return `${ev.address}:${ev.port}`;
    case 'server-started':
      return `in ${ev.durationMs ?? '?'} ms`;
    default:
      return ev.manager ? String(ev.manager) : ev.message;
  }
}

export function formatEventLine(ev: ClusterEvent): string {
  const time = ev.time ? ev.time.replace('T', ' ').slice(0, 23) : '-'.padEnd(23);
  return sanitizeForTerminal(`${time} ${ev.node.padEnd(10)} ${ev.type.padEnd(26)} ${details(ev)}`);
}
