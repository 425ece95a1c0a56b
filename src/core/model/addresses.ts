// Cluster addresses: normalising what logs print, and resolving a member's address to the input
// node that owned it at that moment (addresses move between nodes across restarts: a Spring Boot
// devtools restart may bind `auto` to the LAN address, the next one to 127.0.0.1).

import { pushBounded } from './history.js';

/** `/127.0.0.11` → `127.0.0.11`; `localhost/127.0.0.1` → `127.0.0.1`; `ip-172-31-13-12` → `172.31.13.12`. */
export function normaliseHost(host: string): string {
  let h = host.trim();
  const slash = h.lastIndexOf('/');
  if (slash >= 0) h = h.slice(slash + 1);
  // EC2 private DNS names spell the address: ip-172-31-13-12(.ec2.internal)
  const ec2 = /^ip-(\d{1,3})-(\d{1,3})-(\d{1,3})-(\d{1,3})(?:\..*)?$/.exec(h);
  if (ec2) h = `${ec2[1]}.${ec2[2]}.${ec2[3]}.${ec2[4]}`;
  return h.toLowerCase();
}

export function addressKey(host: string, port: number | string): string {
  return `${normaliseHost(host)}:${port}`;
}

/** Parse `host:port` (a `--node` address). */
export function parseAddress(text: string): { host: string; port: number } | undefined {
  const m = /^(.*):(\d{1,5})$/.exec(text.trim());
  if (!m) return undefined;
  return { host: normaliseHost(m[1]), port: Number(m[2]) };
}

export function isLoopback(host: string): boolean {
  const h = normaliseHost(host);
  return h === 'localhost' || /^127\./.test(h) || h === '::1';
}

interface Claim {
  node: string;
  fromMs: number;
  /** Order of arrival, to break ties between claims at the same time. */
  seq: number;
}

/** Which node bound which address when. */
export class AddressBook {
  private readonly claims = new Map<string, Claim[]>();
  private readonly current = new Map<string, string>();
  private seq = 0;
  /** Older claims dropped by the bound (per address). */
  dropped = 0;

  /** `bound`: claims kept per address, the most recent. */
  constructor(private readonly bound = Number.POSITIVE_INFINITY) {}

  claim(address: string, node: string, timeMs: number | undefined): void {
    let list = this.claims.get(address);
    if (!list) this.claims.set(address, (list = []));
    const last = list[list.length - 1];
    if (!last || last.node !== node) this.dropped += pushBounded(list, { node, fromMs: timeMs ?? Number.NEGATIVE_INFINITY, seq: this.seq++ }, this.bound).length;
    this.current.set(node, address);
  }

  /** Claims held, over all addresses. */
  claimCount(): number {
    let n = 0;
    for (const list of this.claims.values()) n += list.length;
    return n;
  }

  currentAddress(node: string): string | undefined {
    return this.current.get(node);
  }

  size(): number {
    return this.claims.size;
  }

  has(address: string): boolean {
    return this.claims.has(address);
  }

  nodesClaiming(address: string): string[] {
    return [...new Set((this.claims.get(address) ?? []).map((c) => c.node))];
  }

  /**
   * The node that owned `address` at `timeMs`, seen from `observer`:
   * 1. the latest claim at or before that time by another node that still holds the address;
   * 2. else the latest earlier claim by another node (it has moved on since: a stale member);
   * 3. else, when `future` is allowed (at snapshot time), the earliest later claim by another node
   *    (clock skew between hosts, or the member's log starts after the observer saw it);
   * 4. else the observer itself (two JVMs sharing one log and one address).
   */
  resolve(address: string, timeMs: number | undefined, observer?: string, future = false): string | undefined {
    const list = this.claims.get(address);
    if (!list || list.length === 0) return undefined;
    const t = timeMs ?? Number.POSITIVE_INFINITY;
    let stale: string | undefined;
    for (let i = list.length - 1; i >= 0; i--) {
      const c = list[i];
      if (c.node === observer || c.fromMs > t) continue;
      if (this.current.get(c.node) === address) return c.node;
      stale ??= c.node;
    }
    if (stale) return stale;
    if (future) {
      for (const c of list) if (c.node !== observer && c.fromMs > t) return c.node;
    }
    return observer !== undefined && list.some((c) => c.node === observer) ? observer : undefined;
  }
}
