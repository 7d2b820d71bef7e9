// Failed-login limits. A guesser tries many different passwords (or pairing codes) for one
// account, or many accounts from one address; an unassigned tablet that keeps retrying its
// old secret tries the same one again and again. So failures are counted as DISTINCT
// credentials per account and per address within a window: the guesser is locked out after a
// few tries, the stale tablet never is. While an account is locked, credentials that have
// already logged in (a paired terminal at work) still pass, so a stranger cannot lock a
// working terminal out by guessing at its name.
import { createHash } from 'node:crypto';

export interface LoginLimits {
  /** Distinct wrong passwords for one account within the window before it is locked. */
  perAccount: number;
  /** Distinct wrong (account, password) pairs from one address within the window before it is locked. */
  perAddress: number;
  windowMs: number;
  lockMs: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perAccount: 5, perAddress: 30, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

const MAX_TRACKED = 10_000;

class Counter {
  private readonly entries = new Map<string, { failures: Map<string, number>; lockedUntil: number }>();

  constructor(
    private readonly limit: number,
    private readonly limits: LoginLimits,
  ) {}

  lockedFor(key: string, now: number): number {
    const e = this.entries.get(key);
    return e && e.lockedUntil > now ? e.lockedUntil - now : 0;
  }

  fail(key: string, credential: string, now: number): void {
    let e = this.entries.get(key);
    if (!e) {
      if (this.entries.size >= MAX_TRACKED) this.entries.delete(this.entries.keys().next().value!);
      e = { failures: new Map(), lockedUntil: 0 };
      this.entries.set(key, e);
    }
    for (const [c, at] of e.failures) if (now - at > this.limits.windowMs) e.failures.delete(c);
    e.failures.set(credential, now);
    if (e.failures.size >= this.limit) {
      e.lockedUntil = now + this.limits.lockMs;
      e.failures.clear();
    }
  }
}

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number; reason: string };

export class LoginThrottle {
  private readonly accounts: Counter;
  private readonly addresses: Counter;
  /** Credentials that logged in: they pass an account lock (bounded; oldest forgotten first). */
  private readonly proven = new Set<string>();

  constructor(
    readonly limits: LoginLimits = DEFAULT_LOGIN_LIMITS,
    private readonly now: () => number = Date.now,
  ) {
    this.accounts = new Counter(limits.perAccount, limits);
    this.addresses = new Counter(limits.perAddress, limits);
  }

  static secret(account: string, password: string): string {
    return createHash('sha256').update(`${account}\u0000${password}`).digest('base64url');
  }

  check(account: string | null, address: string, secret: string): ThrottleVerdict {
    const now = this.now();
    const byAddress = this.addresses.lockedFor(address, now);
    if (byAddress > 0 && !this.proven.has(secret)) return this.refuse(byAddress, 'from this device');
    const byAccount = account ? this.accounts.lockedFor(account, now) : 0;
    if (byAccount > 0 && !this.proven.has(secret)) return this.refuse(byAccount, 'for this account');
    return { allowed: true };
  }

  failed(account: string | null, address: string, secret: string): void {
    const now = this.now();
    if (account) this.accounts.fail(account, secret, now);
    this.addresses.fail(address, secret, now);
  }

  succeeded(secret: string): void {
    if (this.proven.size >= MAX_TRACKED) this.proven.delete(this.proven.values().next().value!);
    this.proven.add(secret);
  }

  private refuse(ms: number, what: string): ThrottleVerdict {
    const retryAfterSeconds = Math.ceil(ms / 1000);
    const minutes = Math.ceil(retryAfterSeconds / 60);
    return {
      allowed: false,
      retryAfterSeconds,
      reason: `Too many wrong passwords or pairing codes ${what}. Wait ${minutes} minute${minutes === 1 ? '' : 's'}, then try again with the right one.`,
    };
  }
}

/** The account and password of a Basic Authorization header, if it is one. */
export function basicCredentials(authorization: string | undefined): { account: string; password: string } | null {
  if (!authorization || !/^basic /i.test(authorization)) return null;
  const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? null : { account: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
