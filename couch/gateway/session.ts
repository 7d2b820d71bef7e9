// Asks the upstream server who a request's credentials belong to. Cached briefly so a burst
// of replication requests costs one lookup.
import type { IncomingHttpHeaders } from 'node:http';

export interface SessionInfo {
  name: string | null;
  roles: string[];
}

const TTL_MS = 5_000;

export class SessionLookup {
  private cache = new Map<string, { at: number; info: SessionInfo }>();
  constructor(private readonly upstream: string) {}

  static credentialsOf(headers: IncomingHttpHeaders): string {
    return `${headers.authorization ?? ''}\u0000${headers.cookie ?? ''}`;
  }

  async lookup(headers: IncomingHttpHeaders): Promise<SessionInfo> {
    const key = SessionLookup.credentialsOf(headers);
    if (key === '\u0000') return { name: null, roles: [] };
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.info;
    const h: Record<string, string> = { accept: 'application/json' };
    if (headers.authorization) h.authorization = headers.authorization;
    if (headers.cookie) h.cookie = headers.cookie;
    let info: SessionInfo = { name: null, roles: [] };
    try {
      const res = await fetch(`${this.upstream}/_session`, { headers: h });
      if (res.ok) {
        const body = (await res.json()) as { userCtx?: SessionInfo };
        if (body.userCtx) info = { name: body.userCtx.name ?? null, roles: body.userCtx.roles ?? [] };
      }
    } catch {
      // upstream down: treat as anonymous; the proxied request will report the outage
    }
    if (this.cache.size > 1000) this.cache.clear();
    this.cache.set(key, { at: Date.now(), info });
    return info;
  }
}
