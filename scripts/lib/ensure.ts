// Idempotent building blocks: each reads what is there, writes only what differs, and in a
// dry run only reports what it would write.
import type { DesignDoc } from '../../design-docs/lib/ddoc-types';
import { userDocId } from '../../design-docs/lib/names';
import { docPath, type CouchAdmin, type CouchResponse } from './couch-admin';
import { jsonEqual } from './deep-equal';
import type { SecurityObject } from './security-plan';
import { ProvisionError, type StepLog } from './steps';

type Doc = Record<string, unknown> & { _id: string; _rev?: string };

export function fail(server: CouchAdmin, what: string, res: CouchResponse): never {
  const body = res.body as { error?: string; reason?: string };
  throw new ProvisionError(`The ${server.label} refused to ${what}: HTTP ${res.status} ${body.error ?? ''} ${body.reason ?? ''}`.trim());
}

async function ok(server: CouchAdmin, what: string, res: Promise<CouchResponse>): Promise<CouchResponse> {
  const r = await res;
  if (r.status >= 400) fail(server, what, r);
  return r;
}

export async function getDoc<T = Doc>(server: CouchAdmin, db: string, id: string): Promise<T | null> {
  const res = await server.request<T>('GET', docPath(db, id));
  if (res.status === 404) return null;
  if (res.status >= 400) fail(server, `read ${db}/${id}`, res);
  return res.body;
}

/** How a new database is sharded on a CouchDB cluster (`PUT /db?q=&n=`); absent: the server's `[cluster]` defaults. */
export interface ShardSettings {
  /** Shard ranges. */
  q?: number;
  /** Copies of each shard. */
  n?: number;
}

export function shardQuery(shards: ShardSettings = {}): string {
  const params = new URLSearchParams();
  if (shards.q) params.set('q', String(shards.q));
  if (shards.n) params.set('n', String(shards.n));
  const query = params.toString();
  return query ? `?${query}` : '';
}

/** Creates the database if missing (with `shards` when given); an existing one keeps its shards. */
export async function ensureDb(server: CouchAdmin, log: StepLog, name: string, shards?: ShardSettings): Promise<boolean> {
  const res = await server.request('GET', encodeURIComponent(name));
  if (res.status === 200) {
    log.record(server.label, `database ${name}`, 'none');
    return true;
  }
  if (res.status !== 404) fail(server, `read database ${name}`, res);
  if (!log.dryRun) {
    const put = await server.request('PUT', `${encodeURIComponent(name)}${shardQuery(shards)}`);
    if (put.status >= 400 && put.status !== 412) fail(server, `create database ${name}`, put);
  }
  log.record(server.label, `database ${name}`, 'create');
  return !log.dryRun;
}

export async function ensureSecurity(
  server: CouchAdmin,
  log: StepLog,
  db: string,
  security: SecurityObject,
  exists: boolean,
  hint = '',
): Promise<void> {
  const path = `${encodeURIComponent(db)}/_security`;
  let change: 'update' | 'none' = 'none';
  // Another provisioning run may be writing the same object (PouchDB Server then answers 409): read again and retry.
  for (let attempt = 0; attempt < 3; attempt++) {
    const current = exists || attempt > 0 ? ((await server.request('GET', path)).body as Partial<SecurityObject>) : {};
    const empty = { names: [], roles: [] };
    if (Object.keys(current).length > 0 && jsonEqual({ admins: current.admins ?? empty, members: current.members ?? empty }, security))
      break;
    change = 'update';
    if (log.dryRun) break;
    const res = await server.request('PUT', path, security);
    if (res.status < 400) break;
    if (res.status !== 409 || attempt === 2)
      throw new ProvisionError(`The ${server.label} refused to set _security on ${db} (HTTP ${res.status}). ${hint}`.trim());
  }
  log.record(server.label, `_security of ${db}`, change);
}

/** Writes `doc` unless the stored one already has the same content (ignoring `ignore` fields). */
export async function ensureDoc(
  server: CouchAdmin,
  log: StepLog,
  db: string,
  wanted: { _id: string },
  ignore: string[] = [],
): Promise<'create' | 'update' | 'none'> {
  const doc = wanted as Doc;
  const strip = (d: Doc) => Object.fromEntries(Object.entries(d).filter(([k]) => k !== '_rev' && !ignore.includes(k)));
  for (let attempt = 0; ; attempt++) {
    const current = await getDoc<Doc>(server, db, doc._id);
    const change = !current ? 'create' : jsonEqual(strip(current), strip(doc)) ? 'none' : 'update';
    if (change !== 'none' && !log.dryRun) {
      const res = await server.request('PUT', docPath(db, doc._id), current ? { ...doc, _rev: current._rev } : doc);
      if (res.status === 409 && attempt < 2) continue; // written meanwhile by a concurrent run: compare again
      if (res.status >= 400) fail(server, `write ${db}/${doc._id}`, res);
    }
    log.record(server.label, `${db}/${doc._id}`, change);
    return change;
  }
}

export async function ensureDesignDocs(server: CouchAdmin, log: StepLog, db: string, ddocs: DesignDoc[]): Promise<void> {
  for (const ddoc of ddocs) await ensureDoc(server, log, db, ddoc);
}

export interface UserSpec {
  name: string;
  roles: string[];
  lapak: Record<string, string>;
}

/**
 * Creates the account with `newPassword()` when it is missing and returns that password. An
 * existing account keeps its password (a paired device holds it) and only gets its roles
 * brought up to date.
 */
export async function ensureUser(
  server: CouchAdmin,
  log: StepLog,
  user: UserSpec,
  newPassword: () => string,
  resetPassword = false,
): Promise<string | null> {
  const id = userDocId(user.name);
  const current = await getDoc<Doc>(server, '_users', id);
  const sortedRoles = [...user.roles].sort();
  if (current && !resetPassword) {
    const same = jsonEqual([...((current.roles as string[]) ?? [])].sort(), sortedRoles) && jsonEqual(current.lapak, user.lapak);
    if (!same && !log.dryRun)
      await ok(
        server,
        `update account ${user.name}`,
        server.request('PUT', docPath('_users', id), { ...current, roles: sortedRoles, lapak: user.lapak }),
      );
    log.record(server.label, `account ${user.name}`, same ? 'none' : 'update');
    return null;
  }
  const password = newPassword();
  if (!log.dryRun) {
    const body = { ...(current ?? {}), _id: id, name: user.name, type: 'user', roles: sortedRoles, lapak: user.lapak, password };
    await ok(server, `write account ${user.name}`, server.request('PUT', docPath('_users', id), body));
  }
  log.record(server.label, `account ${user.name}${current ? ' (new password)' : ''}`, current ? 'update' : 'create');
  return log.dryRun ? null : password;
}
