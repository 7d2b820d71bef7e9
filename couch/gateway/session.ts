// Asks the upstream server who a request's credentials belong to. Only refusals, _users
// writes and server-management requests need it, so it is not cached: a cached answer
// would outlive a password change (an unassigned device must be anonymous at once).
import type { IncomingHttpHeaders } from 'node:http';

export interface SessionInfo {
  name: string | null;
  roles: string[];
}

const ANONYMOUS: SessionInfo = { name: null, roles: [] };

export class SessionLookup {
  constructor(private readonly upstream: string) {}

  async lookup(headers: IncomingHttpHeaders): Promise<SessionInfo> {
    if (!headers.authorization && !headers.cookie) return ANONYMOUS;
    const h: Record<string, string> = { accept: 'application/json' };
    if (headers.authorization) h.authorization = headers.authorization;
    if (headers.cookie) h.cookie = headers.cookie;
    try {
      const res = await fetch(`${this.upstream}/_session`, { headers: h });
      if (!res.ok) return ANONYMOUS;
      const body = (await res.json()) as { userCtx?: SessionInfo };
      return body.userCtx ? { name: body.userCtx.name ?? null, roles: body.userCtx.roles ?? [] } : ANONYMOUS;
    } catch {
      return ANONYMOUS; // upstream down: the proxied request itself will report the outage
    }
  }
}
