// Who is writing, as CouchDB authenticated them. Every authority decision in the
// validate functions starts here: identity comes from userCtx (name and roles set by
// provisioning, which only a server admin can change), never from the document.
import { isTerminalType, parseTerminalUserName, role, type TerminalType } from './names';

export interface UserCtx {
  name: string | null;
  roles: string[];
}

export interface TerminalIdentity {
  tenant: string;
  store: string;
  code: string;
  type: TerminalType;
  brand: string;
}

export interface Principal {
  name: string | null;
  roles: string[];
  serverAdmin: boolean;
  terminal: TerminalIdentity | null;
}

function valuesOf(roles: string[], prefix: string): string[] {
  const out: string[] = [];
  for (const r of roles) if (r.indexOf(prefix) === 0) out.push(r.slice(prefix.length));
  return out;
}

export function principalOf(userCtx: UserCtx | null | undefined): Principal {
  const name = userCtx && typeof userCtx.name === 'string' ? userCtx.name : null;
  const roles = userCtx && Array.isArray(userCtx.roles) ? userCtx.roles.filter((r) => typeof r === 'string') : [];
  return { name, roles, serverAdmin: roles.indexOf('_admin') !== -1, terminal: terminalOf(name, roles) };
}

/** A terminal is only a terminal when its name, store role, type role and single brand role agree. */
function terminalOf(name: string | null, roles: string[]): TerminalIdentity | null {
  const parsed = parseTerminalUserName(name);
  if (!parsed) return null;
  if (roles.indexOf(role.store(parsed.tenant, parsed.store)) === -1) return null;
  const types = valuesOf(roles, 'terminal:').filter(isTerminalType);
  const brands = valuesOf(roles, 'brand:');
  if (types.length !== 1 || brands.length !== 1) return null;
  return { ...parsed, type: types[0] as TerminalType, brand: brands[0] as string };
}

export function has(p: Principal, r: string): boolean {
  return p.roles.indexOf(r) !== -1;
}

export function isHq(p: Principal, tenant: string): boolean {
  return p.serverAdmin || has(p, role.hq(tenant));
}

/** Store or HQ administrators of this store (server admins included). */
export function administersStore(p: Principal, tenant: string, store: string): boolean {
  return isHq(p, tenant) || has(p, role.storeAdmin(tenant, store));
}

/** The store's replication account may carry any document of its own store, already validated where it was written. */
export function replicatesStore(p: Principal, tenant: string, store: string): boolean {
  return has(p, role.replicator(tenant, store));
}

/** The store's payment connector: writes what the provider confirmed. */
export function connectsPayments(p: Principal, tenant: string, store: string): boolean {
  return has(p, role.connector(tenant, store));
}

export function terminalOfStore(p: Principal, tenant: string, store: string): TerminalIdentity | null {
  const t = p.terminal;
  return t && t.tenant === tenant && t.store === store ? t : null;
}
