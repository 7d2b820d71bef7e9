// Who is calling, in the gateway's terms: the identity CouchDB authenticated (name and roles
// from its _session), turned into the kinds of caller that the allowlist speaks of, each
// scoped to the tenant (and store) its role names.
import { parseTerminalUserName } from '../../design-docs/lib/names';

export type CallerKind = 'anonymous' | 'terminal' | 'board' | 'storeadmin' | 'hq' | 'replicator';

export interface Grant {
  kind: CallerKind;
  tenant?: string;
  store?: string;
}

export interface Caller {
  name: string | null;
  roles: string[];
  admin: boolean;
  grants: Grant[];
}

export const ANONYMOUS_CALLER: Caller = { name: null, roles: [], admin: false, grants: [{ kind: 'anonymous' }] };

/** `storeadmin:t:s` and friends: the role prefix and its tenant/store. */
function scopedRoles(roles: string[], prefix: string): { tenant: string; store?: string }[] {
  const out: { tenant: string; store?: string }[] = [];
  for (const r of roles) {
    const parts = r.split(':');
    if (parts[0] !== prefix) continue;
    if (parts.length === 2 && parts[1]) out.push({ tenant: parts[1] });
    if (parts.length === 3 && parts[1] && parts[2]) out.push({ tenant: parts[1], store: parts[2] });
  }
  return out;
}

export function callerOf(name: string | null, roles: string[]): Caller {
  if (!name && roles.length === 0) return ANONYMOUS_CALLER;
  const grants: Grant[] = [];
  const terminal = parseTerminalUserName(name);
  // A terminal is only a terminal when its name and its store role agree (as in design-docs/lib/principal.ts).
  if (terminal && roles.includes(`store:${terminal.tenant}:${terminal.store}`))
    grants.push({ kind: roles.includes('terminal:board') ? 'board' : 'terminal', tenant: terminal.tenant, store: terminal.store });
  for (const s of scopedRoles(roles, 'storeadmin')) if (s.store) grants.push({ kind: 'storeadmin', ...s });
  for (const s of scopedRoles(roles, 'hq')) if (!s.store) grants.push({ kind: 'hq', ...s });
  for (const s of scopedRoles(roles, 'replicator')) if (s.store) grants.push({ kind: 'replicator', ...s });
  return { name, roles, admin: roles.includes('_admin'), grants };
}
