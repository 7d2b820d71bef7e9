// Asks the database server who a request's credentials belong to. The answer only decides
// which routes the gateway lets through; the forwarded request carries the same credentials
// and CouchDB authenticates it again. So a short cache is safe: an unassigned device's old
// secret may pass the gateway for a few seconds more, and CouchDB refuses it at once.
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { basicCredentials } from './login-throttle';

export type SessionInfo =
  | { kind: 'anonymous' }
  | { kind: 'user'; name: string; roles: string[] }
  /** Basic credentials the server refused: a failed login. */
  | { kind: 'refused' }
  | { kind: 'unreachable' };

const CACHE_MS = 5_000;
const CACHE_MAX = 5_000;
/**
 * A credential refused this recently is refused again without asking the server: each check
 * costs a slow password hash there (PBKDF2, 600,000 rounds on CouchDB 3.5), and an unassigned
 * tablet retries its old secret every few seconds. Not right after the account's password
 * changed, when CouchDB may refuse the new one for a moment.
 */
const REFUSED_MS = 30_000;

/** The one credential a request carries: Basic wins, and only the AuthSession cookie counts. */
export function credentialHeaders(headers: IncomingHttpHeaders): { authorization?: string; cookie?: string } {
  const authorization = headers.authorization;
  if (authorization) return { authorization };
  const session = authSessionCookie(headers.cookie);
  return session ? { cookie: `AuthSession=${session}` } : {};
}

export function authSessionCookie(cookie: string | undefined): string | null {
  if (!cookie) return null;
  for (const part of cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === 'AuthSession' && v.length > 0) return v.join('=');
  }
  return null;
}

export function credentialKey(creds: { authorization?: string; cookie?: string }): string {
  return createHash('sha256')
    .update(creds.authorization ?? creds.cookie ?? '')
    .digest('base64url');
}

/** A bounded map: the oldest entry goes first. */
function remember<V>(map: Map<string, V>, key: string, value: V): void {
  if (map.size >= CACHE_MAX) map.delete(map.keys().next().value!);
  map.set(key, value);
}

export class SessionLookup {
  private readonly cache = new Map<string, { at: number; info: SessionInfo }>();
  private readonly refused = new Map<string, number>();
  private readonly changedAt = new Map<string, number>();

  constructor(private readonly upstream: string) {}

  async lookup(headers: IncomingHttpHeaders): Promise<SessionInfo> {
    const creds = credentialHeaders(headers);
    if (!creds.authorization && !creds.cookie) return { kind: 'anonymous' };
    const key = credentialKey(creds);
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && now - hit.at < CACHE_MS) return hit.info;
    const account = basicCredentials(creds.authorization)?.account;
    const refusedAt = this.refused.get(key);
    if (refusedAt !== undefined && now - refusedAt < REFUSED_MS && !(account && now - (this.changedAt.get(account) ?? 0) < REFUSED_MS))
      return { kind: 'refused' };
    const info = await this.ask(creds);
    this.cache.delete(key);
    this.refused.delete(key);
    if (info.kind === 'user') remember(this.cache, key, { at: now, info });
    if (info.kind === 'refused') remember(this.refused, key, now);
    return info;
  }

  /** The account's password is being changed through the gateway: its new secret may be refused for a moment. */
  passwordChanging(headers: IncomingHttpHeaders, account: string): void {
    this.forget(headers);
    this.accountWritten(account);
  }

  /**
   * The account's document is being written (an admin creating it, or resetting its password):
   * a credential refused before it existed must be asked about again.
   */
  accountWritten(account: string): void {
    remember(this.changedAt, account, Date.now());
  }

  /** Forget what is known of a credential (after a password change through the gateway). */
  forget(headers: IncomingHttpHeaders): void {
    const key = credentialKey(credentialHeaders(headers));
    this.cache.delete(key);
    this.refused.delete(key);
  }

  private async ask(creds: { authorization?: string; cookie?: string }): Promise<SessionInfo> {
    try {
      const res = await fetch(`${this.upstream}/_session`, {
        headers: { accept: 'application/json', ...creds },
        signal: AbortSignal.timeout(10_000),
      });
      if (res.status === 401) return { kind: 'refused' };
      if (!res.ok) return { kind: 'unreachable' };
      const body = (await res.json()) as { userCtx?: { name?: string | null; roles?: unknown } };
      const name = body.userCtx?.name;
      const roles = Array.isArray(body.userCtx?.roles) ? body.userCtx.roles.filter((r): r is string => typeof r === 'string') : [];
      return typeof name === 'string' && name ? { kind: 'user', name, roles } : { kind: 'anonymous' };
    } catch {
      return { kind: 'unreachable' };
    }
  }
}
