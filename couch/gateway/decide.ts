// Applies the allowlist (allowlist.ts) to one request: which route it is, and whether this
// caller may make it. Pure: no I/O, so the whole policy is unit-tested as a table.
import { STORE_CODE, TENANT_CODE, userDocId, type DbKind } from '../../design-docs/lib/names';
import { centralServerDbs, storeServerDbs, type SecurityObject } from '../../scripts/lib/security-plan';
import { CHECKPOINTERS, QUERIERS, ROUTES, WRITERS, type Route } from './allowlist';
import type { Caller, CallerKind, Grant } from './callers';
import type { CanonicalPath } from './canonical-path';

export type Site = 'store' | 'central';

export interface LapakDb {
  name: string;
  kind: DbKind;
  tenant: string;
  store?: string;
}

export type Decision =
  { allow: true; route: Route | null; db: LapakDb | null } | { allow: false; status: 401 | 403 | 404 | 405; error: string; reason: string };

const TENANT_DBS: DbKind[] = ['catalog', 'hq'];
const STORE_DBS: DbKind[] = ['directory', 'ops', 'control', 'public'];

/** `lapak_<tenant>_catalog`, `lapak_<tenant>_<store>_ops`, ...; codes have no "_", so the split is exact. */
export function parseDbName(name: string): LapakDb | null {
  const parts = name.split('_');
  if (parts[0] !== 'lapak' || !TENANT_CODE.test(parts[1] ?? '')) return null;
  if (parts.length === 3 && TENANT_DBS.includes(parts[2] as DbKind)) return { name, kind: parts[2] as DbKind, tenant: parts[1]! };
  if (parts.length === 4 && STORE_CODE.test(parts[2]!) && STORE_DBS.includes(parts[3] as DbKind))
    return { name, kind: parts[3] as DbKind, tenant: parts[1]!, store: parts[2]! };
  return null;
}

/** The `_security` provisioning gives this database on this kind of server (null: it has none there). */
export function plannedSecurity(site: Site, db: LapakDb): SecurityObject | null {
  const plan = site === 'store' ? storeServerDbs(db.tenant, db.store ?? '-') : centralServerDbs(db.tenant, db.store ?? '-');
  return plan.find((p) => p.kind === db.kind)?.security ?? null;
}

function isMember(site: Site, db: LapakDb, caller: Caller): boolean {
  const security = plannedSecurity(site, db);
  if (!security) return false;
  const { names, roles } = security.members;
  if (names.length === 0 && roles.length === 0) return true;
  return (caller.name !== null && names.includes(caller.name)) || caller.roles.some((r) => roles.includes(r));
}

function covers(g: Grant, db: LapakDb): boolean {
  return g.tenant === db.tenant && (g.store === undefined || db.store === undefined || g.store === db.store);
}

function hasKind(caller: Caller, kinds: CallerKind[], db: LapakDb): boolean {
  return caller.grants.some((g) => kinds.includes(g.kind) && covers(g, db));
}

function segmentMatches(token: string, segment: string): boolean {
  if (token === '{db}') return parseDbName(segment) !== null;
  if (token === '{doc}') return !segment.startsWith('_');
  if (token === '{any}') return true;
  return token === segment;
}

function matchRoute(segments: string[]): Route[] {
  return ROUTES.filter((r) => {
    const rest = r.path[r.path.length - 1] === '**';
    const fixed = rest ? r.path.slice(0, -1) : r.path;
    if (rest ? segments.length < fixed.length : segments.length !== fixed.length) return false;
    return fixed.every((token, i) => segmentMatches(token, segments[i]!));
  });
}

const NOT_ALLOWED = 'This request is not one Lapak allows you to make.';

const KIND_NAMES: Record<CallerKind, string> = {
  anonymous: 'anyone',
  terminal: 'the store’s terminals',
  board: 'ready boards',
  storeadmin: 'store managers',
  hq: 'HQ',
  replicator: 'the store’s replication',
};

/**
 * A refusal says what may not be done and by whom, never whether the database exists: the
 * same answer comes for a database that is there and one that is not.
 */
function refusal(caller: Caller, reason = NOT_ALLOWED): Decision {
  return caller.name
    ? { allow: false, status: 403, error: 'forbidden', reason }
    : { allow: false, status: 401, error: 'unauthorized', reason: `Log in first. ${reason}` };
}

function onlyWho(kinds: CallerKind[], what: string): string {
  const names = kinds.map((k) => KIND_NAMES[k]);
  return `Only ${names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : names[0]} may ${what}.`;
}

export function decide(site: Site, method: string, path: CanonicalPath, caller: Caller): Decision {
  if (caller.admin) return { allow: true, route: null, db: null };
  const candidates = matchRoute(path.segments).filter((r) => !r.site || r.site === site);
  if (candidates.length === 0) return refusal(caller);
  const route = candidates.find((r) => r.methods.includes(method));
  if (!route) return refusal(caller);
  const allow: Decision = { allow: true, route, db: null };
  if (route.need === 'anyone') return allow;
  if (route.need === 'own-account')
    return caller.name !== null && path.segments[1] === userDocId(caller.name)
      ? allow
      : refusal(caller, 'Accounts are managed by provisioning: you may read and change only your own, and of it only the password.');
  const db = parseDbName(path.segments[0]!)!;
  if (!isMember(site, db, caller)) return refusal(caller, `You are not allowed to use the database ${db.name}.`);
  const needed = { read: null, write: WRITERS[db.kind], checkpoint: CHECKPOINTERS, query: QUERIERS }[route.need];
  if (needed && !hasKind(caller, needed, db)) {
    const what = {
      read: '',
      write: `write to ${db.kind} databases`,
      checkpoint: 'keep replication checkpoints on this server',
      query: 'run Mango queries',
    }[route.need];
    return refusal(caller, `${onlyWho(needed, what)}${route.need === 'checkpoint' ? ' A device keeps its own on the device.' : ''}`);
  }
  return { allow: true, route, db };
}
