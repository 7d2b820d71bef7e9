// Second line of defence for what the whole access model rests on: the design documents
// (validate functions) and `_security` of every database provisioning installs. The gateway
// is meant to keep everyone but server admins away from them; if an odd route gets through,
// the guard puts them back within one interval and tells HQ. It compares content, not
// revisions (a restored document gets a new rev, and the rev says nothing about content), and
// writes nothing when everything matches, so a clean database costs two reads per database.
//
// `checkServer` works for any server given the expected set; the store agent runs it on its
// own store server (it holds no admin of central). A design document provisioning does not
// install is removed: a stray validate function can refuse every write, and a stray view or
// filter can leak. CouchDB's own system design documents (`_design/_auth` in `_users`, ids
// starting with `_design/_`) are left alone.
import { randomBytes } from 'node:crypto';
import type { DesignDoc, DesignDocSet } from '../../design-docs/lib/ddoc-types';
import { dbName } from '../../design-docs/lib/names';
import { INTEGRITY_ALERT_PREFIX, SCHEMA_VERSION, type IntegrityAlert, type IntegrityRepair } from '../../design-docs/lib/types';
import { docPath, type CouchAdmin } from '../../scripts/lib/couch-admin';
import { jsonEqual } from '../../scripts/lib/deep-equal';
import {
  ADMIN_ONLY,
  centralServerDbs,
  PUBLIC_READ,
  storeServerDbs,
  type PlannedDb,
  type SecurityObject,
} from '../../scripts/lib/security-plan';
import { Pause } from './pause';

export interface ExpectedDb {
  name: string;
  security: SecurityObject;
  /** The design documents provisioning installs there; null: not checked (`_replicator`, whose own CouchDB keeps). */
  ddocs: DesignDoc[] | null;
}

function planned(dbs: PlannedDb[], ddocs: DesignDocSet): ExpectedDb[] {
  return dbs.map((db) => ({ name: db.name, security: db.security, ddocs: ddocs[db.kind] }));
}

const SYSTEM_DBS = (ddocs: DesignDocSet): ExpectedDb[] => [
  { name: '_users', security: PUBLIC_READ, ddocs: ddocs.users },
  { name: '_replicator', security: ADMIN_ONLY, ddocs: null },
];

/** What provisioning installs on a store server for one store (scripts/lib/provision.ts). */
export function storeServerExpectation(tenant: string, store: string, ddocs: DesignDocSet): ExpectedDb[] {
  return [...SYSTEM_DBS(ddocs), ...planned(storeServerDbs(tenant, store), ddocs)];
}

/** What provisioning installs at central for one store. */
export function centralServerExpectation(tenant: string, store: string, ddocs: DesignDocSet): ExpectedDb[] {
  return [...SYSTEM_DBS(ddocs), ...planned(centralServerDbs(tenant, store), ddocs)];
}

const EMPTY = { names: [], roles: [] };

function sameSecurity(current: Partial<SecurityObject>, wanted: SecurityObject): boolean {
  // As ensureSecurity reads it: a missing half is an empty one.
  return jsonEqual({ admins: current.admins ?? EMPTY, members: current.members ?? EMPTY }, wanted);
}

function content(doc: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(doc).filter(([k]) => k !== '_rev'));
}

async function must<T>(server: CouchAdmin, what: string, res: Promise<{ status: number; body: T }>): Promise<T> {
  const r = await res;
  if (r.status >= 400) throw new Error(`the ${server.label} refused to ${what}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

async function checkDdocs(server: CouchAdmin, db: string, wanted: DesignDoc[]): Promise<IntegrityRepair[]> {
  const repairs: IntegrityRepair[] = [];
  const list = await must<{ rows?: { id: string; doc?: Record<string, unknown> }[] }>(
    server,
    `list the design documents of ${db}`,
    server.request(
      'GET',
      `${encodeURIComponent(db)}/_all_docs?include_docs=true&startkey=${encodeURIComponent('"_design/"')}&endkey=${encodeURIComponent('"_design0"')}`,
    ),
  );
  const present = new Map((list.rows ?? []).flatMap((r) => (r.doc ? [[r.id, r.doc] as const] : [])));
  for (const ddoc of wanted) {
    const current = present.get(ddoc._id);
    if (current && jsonEqual(content(current), content(ddoc as unknown as Record<string, unknown>))) continue;
    const body = { ...content(ddoc as unknown as Record<string, unknown>), ...(current ? { _rev: current._rev } : {}) };
    await must(server, `restore ${db}/${ddoc._id}`, server.request('PUT', docPath(db, ddoc._id), body));
    repairs.push({ db, what: 'design_doc', id: ddoc._id, change: 'restored' });
  }
  const known = new Set(wanted.map((d) => d._id));
  for (const [id, doc] of present) {
    if (known.has(id) || id.startsWith('_design/_')) continue;
    await must(server, `remove ${db}/${id}`, server.request('DELETE', `${docPath(db, id)}?rev=${encodeURIComponent(String(doc._rev))}`));
    repairs.push({ db, what: 'design_doc', id, change: 'removed' });
  }
  return repairs;
}

/**
 * Makes every expected database of `server` carry exactly its provisioned design documents
 * and `_security`, as the server's admin; returns what it changed (empty when nothing
 * differed, and then it wrote nothing). A missing database is created with both, so that the
 * store's replications can fill it again from central.
 */
export async function checkServer(server: CouchAdmin, expected: ExpectedDb[]): Promise<IntegrityRepair[]> {
  const repairs: IntegrityRepair[] = [];
  for (const db of expected) {
    const info = await server.request('GET', encodeURIComponent(db.name));
    if (info.status === 404) {
      await must(server, `create database ${db.name}`, server.request('PUT', encodeURIComponent(db.name)));
      repairs.push({ db: db.name, what: 'database', change: 'created' });
    } else if (info.status >= 400) throw new Error(`the ${server.label} refused to read database ${db.name}: HTTP ${info.status}`);
    const path = `${encodeURIComponent(db.name)}/_security`;
    const security = await must<Partial<SecurityObject>>(server, `read ${path}`, server.request('GET', path));
    if (!sameSecurity(security, db.security)) {
      await must(server, `restore ${path}`, server.request('PUT', path, db.security));
      repairs.push({ db: db.name, what: 'security', change: 'restored' });
    }
    if (db.ddocs) repairs.push(...(await checkDdocs(server, db.name, db.ddocs)));
  }
  return repairs;
}

export interface IntegrityGuardOptions {
  /** The store server, as its admin. */
  store: CouchAdmin;
  tenant: string;
  storeCode: string;
  /** The design documents provisioning installs (design-docs/build.ts). */
  designDocs: () => Promise<DesignDocSet>;
  /** Between checks (default 60 s). */
  intervalMs?: number;
  log?: (line: string) => void;
}

export interface IntegrityGuard {
  stop(): void;
  /** Checks now; returns what it restored (also used by tests). */
  check(): Promise<IntegrityRepair[]>;
}

/** A fresh id for an agent report: its time first, so ids sort by time and HQ reads a recent range. */
export function reportId(prefix: string, at: string): string {
  return `${prefix}${at}:${randomBytes(6).toString('hex')}`;
}

export function startIntegrityGuard(o: IntegrityGuardOptions): IntegrityGuard {
  const log = o.log ?? (() => {});
  const control = dbName.control(o.tenant, o.storeCode);
  const pause = new Pause();
  let stopped = false;
  let running: Promise<IntegrityRepair[]> | null = null;

  async function once(): Promise<IntegrityRepair[]> {
    // Before provisioning created the store (its control database last), there is nothing to guard yet.
    if ((await o.store.request('GET', encodeURIComponent(control))).status === 404) return [];
    const expected = storeServerExpectation(o.tenant, o.storeCode, await o.designDocs());
    const repairs = await checkServer(o.store, expected);
    if (repairs.length === 0) return repairs;
    const at = new Date().toISOString();
    const alert: IntegrityAlert = {
      _id: reportId(INTEGRITY_ALERT_PREFIX, at),
      type: 'integrity_alert',
      schema: SCHEMA_VERSION,
      tenant: o.tenant,
      store: o.storeCode,
      server: 'store',
      repairs: repairs.slice(0, 200),
      found_at: at,
    };
    await must(o.store, `write ${alert._id}`, o.store.request('PUT', docPath(control, alert._id), alert));
    log(
      `integrity: restored on the store server: ${repairs.map((r) => `${r.db} ${r.what === 'design_doc' ? r.id : r.what} (${r.change})`).join(', ')}`,
    );
    return repairs;
  }

  /** One check at a time: the loop and a test's call never restore the same document twice. */
  function check(): Promise<IntegrityRepair[]> {
    running ??= once().finally(() => (running = null));
    return running;
  }

  const loop = async () => {
    while (!stopped) {
      await check().catch((e: Error) => log(`integrity: ${e.message}`));
      await pause.for(o.intervalMs ?? 60_000);
    }
  };
  void loop();
  return {
    stop: () => {
      stopped = true;
      pause.cancel();
    },
    check,
  };
}
