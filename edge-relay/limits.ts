// Connection limits of the relay: per client address (checked before any CouchDB lookup, so
// a flood of upgrades cannot hammer the store server's /_session) and per account (checked
// once the upgrade is authenticated, so one kiosk cannot take the slots of the others).
// A slot is held from the moment it is granted until its TCP socket closes, also when the
// handshake never completes.
import { isIP } from 'node:net';

/** Counts live holders per key, up to a limit. */
export class SlotCounter {
  private readonly counts = new Map<string, number>();

  constructor(readonly limit: number) {}

  /** Takes a slot for `key`, or returns false when the key already holds `limit` slots. */
  take(key: string): boolean {
    const n = this.counts.get(key) ?? 0;
    if (n >= this.limit) return false;
    this.counts.set(key, n + 1);
    return true;
  }

  release(key: string): void {
    const n = this.counts.get(key) ?? 0;
    if (n <= 1) this.counts.delete(key);
    else this.counts.set(key, n - 1);
  }

  count(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  /** Keys holding any slot (for health and tests). */
  get size(): number {
    return this.counts.size;
  }
}

/** `::ffff:127.0.0.1` and `127.0.0.1` are one client. */
export function normalizeAddress(address: string | undefined): string {
  if (!address) return 'unknown';
  const a = address.trim().toLowerCase();
  return a.startsWith('::ffff:') && isIP(a.slice(7)) === 4 ? a.slice(7) : a;
}

/**
 * The address a connection comes from. Behind the store gateway every upgrade arrives from
 * loopback, so the gateway's X-Forwarded-For is used, but only when the TCP peer is one of
 * the trusted proxies, and only its last entry (the one that proxy added; anything before it
 * came from the client and proves nothing).
 */
export function clientAddress(
  peer: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustedProxies: readonly string[],
): string {
  const direct = normalizeAddress(peer);
  if (!trustedProxies.includes(direct) || forwardedFor === undefined) return direct;
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor;
  const last = header
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .pop();
  return last && isIP(normalizeAddress(last)) !== 0 ? normalizeAddress(last) : direct;
}
