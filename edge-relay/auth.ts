// Who is connecting, decided before the websocket exists: the room is the store's path, and
// the credentials (cookie session or basic auth) are whatever the store server's /_session
// says they are. Identity is never taken from anything the client publishes later.
import type { IncomingHttpHeaders } from 'node:http';
import { role, STORE_CODE, TENANT_CODE } from '../design-docs/lib/names';
import { principalOf, type UserCtx } from '../design-docs/lib/principal';

export const ROOM_PREFIX = '/relay';

export interface Room {
  tenant: string;
  store: string;
}

export interface RelayIdentity {
  /** The account name (null only for a nameless server admin). */
  name: string | null;
  /** The terminal code when the account is a terminal of this store; such a connection produces its heartbeats. */
  terminal: string | null;
  kind: 'terminal' | 'member' | 'admin';
}

/** `/relay/<tenant>/<store>` (a query string is ignored), or null for any other path. */
export function parseRoomPath(url: string | undefined): Room | null {
  if (typeof url !== 'string') return null;
  const path = url.split('?')[0]!;
  const parts = path.split('/');
  if (parts.length !== 4 || parts[0] !== '' || `/${parts[1]}` !== ROOM_PREFIX) return null;
  const [, , tenant, store] = parts as [string, string, string, string];
  return TENANT_CODE.test(tenant) && STORE_CODE.test(store) ? { tenant, store } : null;
}

export function roomPath(room: Room): string {
  return `${ROOM_PREFIX}/${room.tenant}/${room.store}`;
}

/** Members of the store (its terminals and managers, by the store role) and server admins; null for anyone else. */
export function identify(userCtx: UserCtx | null | undefined, room: Room): RelayIdentity | null {
  const p = principalOf(userCtx);
  if (p.serverAdmin) return { name: p.name, terminal: null, kind: 'admin' };
  if (!p.name || !p.roles.includes(role.store(room.tenant, room.store))) return null;
  const t = p.terminal;
  if (t && t.tenant === room.tenant && t.store === room.store) return { name: p.name, terminal: t.code, kind: 'terminal' };
  return { name: p.name, terminal: null, kind: 'member' };
}

export type SessionAnswer = { ok: true; userCtx: UserCtx } | { ok: false; reason: 'anonymous' | 'unreachable' };

/** Asks the store server who the request's Cookie / Authorization headers belong to. */
export async function lookupSession(storeUrl: string, headers: IncomingHttpHeaders, timeoutMs: number): Promise<SessionAnswer> {
  const cookie = typeof headers.cookie === 'string' ? headers.cookie : undefined;
  const authorization = typeof headers.authorization === 'string' ? headers.authorization : undefined;
  if (!cookie && !authorization) return { ok: false, reason: 'anonymous' };
  const h: Record<string, string> = { accept: 'application/json' };
  if (cookie) h.cookie = cookie;
  if (authorization) h.authorization = authorization;
  let res: Response;
  try {
    res = await fetch(`${storeUrl}/_session`, { headers: h, signal: AbortSignal.timeout(timeoutMs) });
  } catch {
    return { ok: false, reason: 'unreachable' };
  }
  if (res.status >= 500) return { ok: false, reason: 'unreachable' };
  if (!res.ok) return { ok: false, reason: 'anonymous' };
  try {
    const body = (await res.json()) as { userCtx?: { name?: unknown; roles?: unknown } };
    const name = typeof body.userCtx?.name === 'string' ? body.userCtx.name : null;
    const roles = Array.isArray(body.userCtx?.roles) ? body.userCtx.roles.filter((r): r is string => typeof r === 'string') : [];
    if (!name && !roles.includes('_admin')) return { ok: false, reason: 'anonymous' };
    return { ok: true, userCtx: { name, roles } };
  } catch {
    return { ok: false, reason: 'unreachable' };
  }
}
