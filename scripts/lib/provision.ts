// Creates or updates a store, idempotently, on its store server and on central: databases,
// _security, design documents, the store directory, one account per terminal with a
// one-time pairing code, and the store's continuous replications to and from central.
// The CLI (scripts/provision-store.ts) and the HQ page share this one implementation.
import type { DesignDocSet } from '../../design-docs/lib/ddoc-types';
import { dbName, NO_ORDER_PREFIX, role, takesOrders, userName } from '../../design-docs/lib/names';
import { SCHEMA_VERSION, type HqStoreEntry } from '../../design-docs/lib/types';
import { CouchUnreachable, docPath, type CouchAdmin } from './couch-admin';
import { ensureDb, ensureDesignDocs, ensureDoc, ensureSecurity, ensureUser, getDoc, type ShardSettings } from './ensure';
import { newPairingCode, newSecret, setupUrl } from './pairing';
import { findConflicts } from './provision-conflicts';
import { syncPublicDirectory } from './public-directory';
import { ADMIN_ONLY, centralServerDbs, PUBLIC_READ, replicationJobs, storeServerDbs, type PlannedDb } from './security-plan';
import { checkAdmin, replicationEndpoint, type ServerFlavor } from './server-check';
import { ProvisionError, StepLog, type Step } from './steps';
import { terminalAccount } from './terminal-account';
import { specErrors, type StoreSpec } from './store-spec';

export interface ProvisionTargets {
  store: CouchAdmin;
  central: CouchAdmin;
  /** How the store server's replicator reaches its own databases (usually its loopback URL). */
  storeUrlForReplicator: string;
  /** How the store server's replicator reaches central (central's public /db endpoint). */
  centralUrlForReplicator: string;
  /** How tablets reach the store, for setup URLs. */
  storePublicUrl: string;
  /** The store server's admin, which its own replicator uses for the local side. */
  storeAdmin: { username: string; password: string };
  /** The edge relay's password on the store server (from its environment); no relay account when absent. */
  relayPassword?: string;
  /** The payment connector's password on the store server (from its environment); no connector account when absent. */
  connectorPassword?: string;
  /**
   * Shards and copies of the databases provisioning creates at central, for a CouchDB cluster
   * (docs/scale.md); absent: the server's `[cluster] q` and `n`. Existing databases are left as they are.
   */
  centralShards?: ShardSettings;
  /** The compiled design documents: the CLI compiles them (design-docs/build.ts), the browser loads the prebuilt JSON. */
  designDocs: () => Promise<DesignDocSet>;
}

export interface ProvisionOptions {
  dryRun?: boolean;
  /** Apply changed settings of an existing store (otherwise they are reported as errors). */
  update?: boolean;
  onStep?: (step: Step) => void;
}

export interface PairingCode {
  terminal: string;
  brand: string;
  type: string;
  code: string;
  setupUrl: string;
}

export interface ProvisionResult {
  steps: Step[];
  pairingCodes: PairingCode[];
  storeAdminPasswords: { name: string; password: string }[];
}

const USERS_SECURITY_HINT =
  'On Apache CouchDB 3, set [couchdb] users_db_security_editable = true (couch/local.ini) so that terminals can change their own password when they pair.';

export function registryDocs(spec: StoreSpec, now: string) {
  const base = { schema: SCHEMA_VERSION, tenant: spec.tenant.code, store: spec.store.code, updated_at: now };
  return [
    {
      _id: 'store',
      type: 'store',
      ...base,
      name: spec.store.name,
      tenant_name: spec.tenant.name,
      timezone: spec.store.timezone,
      tax_rate_bp: spec.store.tax_rate_bp,
      service_rate_bp: spec.store.service_rate_bp,
    },
    ...spec.brands.map((b) => ({
      _id: `brand:${b.code}`,
      type: 'brand',
      ...base,
      code: b.code,
      name: b.name,
      ...(b.color ? { color: b.color } : {}),
      active: true,
    })),
    ...spec.terminals.map((t) => ({
      _id: `terminal:${t.code}`,
      type: 'terminal',
      ...base,
      code: t.code,
      name: t.name,
      terminal_type: t.type,
      brand: t.brand,
      order_prefix: takesOrders(t.type) ? t.order_prefix : NO_ORDER_PREFIX,
      active: true,
    })),
  ];
}

async function ensureSystemDbs(server: CouchAdmin, log: StepLog, ddocs: DesignDocSet, shards?: ShardSettings): Promise<void> {
  const users = await ensureDb(server, log, '_users', shards);
  await ensureSecurity(server, log, '_users', PUBLIC_READ, users, USERS_SECURITY_HINT);
  if (users || !log.dryRun) await ensureDesignDocs(server, log, '_users', ddocs.users);
  const replicator = await ensureDb(server, log, '_replicator', shards);
  await ensureSecurity(server, log, '_replicator', ADMIN_ONLY, replicator);
}

async function ensureStoreDbs(
  server: CouchAdmin,
  log: StepLog,
  dbs: PlannedDb[],
  ddocs: DesignDocSet,
  shards?: ShardSettings,
): Promise<void> {
  for (const db of dbs) {
    const exists = await ensureDb(server, log, db.name, shards);
    await ensureSecurity(server, log, db.name, db.security, exists);
    if (exists || !log.dryRun) await ensureDesignDocs(server, log, db.name, ddocs[db.kind]);
  }
}

/** The store server's replication documents; rewritten (with a fresh password) only when any is missing or different. */
async function ensureReplications(t: ProvisionTargets, flavor: ServerFlavor, spec: StoreSpec, log: StepLog): Promise<void> {
  const tenant = spec.tenant.code;
  const store = spec.store.code;
  const replicatorName = userName.replicator(tenant, store);
  const jobs = replicationJobs(tenant, store);
  const existing = await Promise.all(jobs.map((j) => getDoc(t.store, '_replicator', j.id)));
  const centralUser = await getDoc(t.central, '_users', `org.couchdb.user:${replicatorName}`);
  const complete = centralUser !== null && existing.every((d, i) => d && replicationMatches(d, jobs[i]!.db, t));
  const password = newSecret();
  await ensureUser(
    t.central,
    log,
    {
      name: replicatorName,
      roles: [role.tenant(tenant), role.store(tenant, store), role.replicator(tenant, store)],
      lapak: { kind: 'replicator', tenant, store },
    },
    () => password,
    !complete,
  );
  if (complete) {
    for (const j of jobs) log.record(t.store.label, `replication ${j.id}`, 'none');
    return;
  }
  for (const [i, j] of jobs.entries()) {
    const local = replicationEndpoint(flavor, `${t.storeUrlForReplicator}/${j.db}`, t.storeAdmin.username, t.storeAdmin.password);
    const remote = replicationEndpoint(flavor, `${t.centralUrlForReplicator}/${j.db}`, replicatorName, password);
    const doc = {
      _id: j.id,
      source: j.direction === 'up' ? local : remote,
      target: j.direction === 'up' ? remote : local,
      continuous: true,
      lapak: { tenant, store },
    };
    const old = existing[i];
    // A running replication document is replaced, not edited: both servers restart the job from its checkpoint.
    if (!log.dryRun) {
      if (old) await t.store.request('DELETE', `${docPath('_replicator', j.id)}?rev=${encodeURIComponent(String(old._rev))}`);
      const res = await t.store.request('PUT', docPath('_replicator', j.id), doc);
      if (res.status >= 400)
        throw new ProvisionError(
          `The ${t.store.label} refused replication document ${j.id}: HTTP ${res.status} ${JSON.stringify(res.body)}`,
        );
    }
    log.record(t.store.label, `replication ${j.id}`, old ? 'update' : 'create');
  }
}

function endpointUrl(e: unknown): string {
  const raw = typeof e === 'string' ? e : String((e as { url?: string } | undefined)?.url ?? '');
  try {
    const u = new URL(raw);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return raw;
  }
}

function replicationMatches(doc: Record<string, unknown>, db: string, t: ProvisionTargets): boolean {
  const urls = [endpointUrl(doc.source), endpointUrl(doc.target)].sort();
  const wanted = [endpointUrl(`${t.storeUrlForReplicator}/${db}`), endpointUrl(`${t.centralUrlForReplicator}/${db}`)].sort();
  return doc.continuous === true && urls[0] === wanted[0] && urls[1] === wanted[1];
}

async function applySpec(
  spec: StoreSpec,
  t: ProvisionTargets,
  flavor: ServerFlavor,
  log: StepLog,
  ddocs: DesignDocSet,
  result: ProvisionResult,
): Promise<void> {
  const tenant = spec.tenant.code;
  const store = spec.store.code;
  const now = new Date().toISOString();
  await ensureSystemDbs(t.store, log, ddocs);
  await ensureSystemDbs(t.central, log, ddocs, t.centralShards);
  await ensureStoreDbs(t.store, log, storeServerDbs(tenant, store), ddocs);
  await ensureStoreDbs(t.central, log, centralServerDbs(tenant, store), ddocs, t.centralShards);

  for (const doc of registryDocs(spec, now)) await ensureDoc(t.store, log, dbName.directory(tenant, store), doc, ['updated_at']);

  for (const term of spec.terminals) {
    const code = await ensureUser(t.store, log, terminalAccount(tenant, store, term), newPairingCode);
    if (code)
      result.pairingCodes.push({
        terminal: term.code,
        brand: term.brand,
        type: term.type,
        code,
        setupUrl: setupUrl(t.storePublicUrl, term.brand, term.code, code),
      });
  }
  for (const person of spec.storeAdmins ?? []) {
    const name = userName.storeAdmin(tenant, store, person);
    const password = await ensureUser(
      t.store,
      log,
      {
        name,
        roles: [role.tenant(tenant), role.store(tenant, store), role.storeAdmin(tenant, store)],
        lapak: { kind: 'storeadmin', tenant, store },
      },
      () => newSecret(9),
    );
    if (password) result.storeAdminPasswords.push({ name, password });
  }
  if (t.relayPassword) await ensureServiceAccount(t.store, log, 'relay', tenant, store, t.relayPassword);
  if (t.connectorPassword) await ensureServiceAccount(t.store, log, 'connector', tenant, store, t.connectorPassword);
  // The public directory is derived from the directory (pairings, heartbeats), not from the
  // description: bringing it up to date is no change of the store, so it is not a step.
  if (!log.dryRun) await syncPublicDirectory(t.store, tenant, store);
  await ensureReplications(t, flavor, spec, log);
  await ensureHqStoreEntry(t, spec, log, now);
}

/** The store in its tenant's HQ database at central, so HQ can list its stores (`_all_dbs` is admin-only). */
async function ensureHqStoreEntry(t: ProvisionTargets, spec: StoreSpec, log: StepLog, now: string): Promise<void> {
  const db = dbName.hq(spec.tenant.code);
  const id = `store:${spec.store.code}`;
  const existing = await getDoc<{ provisioned_at?: string }>(t.central, db, id);
  const entry: HqStoreEntry = {
    _id: id,
    type: 'store',
    schema: SCHEMA_VERSION,
    tenant: spec.tenant.code,
    store: spec.store.code,
    name: spec.store.name,
    timezone: spec.store.timezone,
    public_url: t.storePublicUrl,
    provisioned_at: existing?.provisioned_at ?? now,
    updated_at: now,
  };
  await ensureDoc(t.central, log, db, entry, ['updated_at']);
}

/**
 * The relay writes heartbeats, the payment connector what the provider confirmed. Their passwords
 * live in the store server's environment, so they are set, not generated.
 */
async function ensureServiceAccount(
  server: CouchAdmin,
  log: StepLog,
  kind: 'relay' | 'connector',
  tenant: string,
  store: string,
  password: string,
): Promise<void> {
  const name = userName[kind](tenant, store);
  const works = await passwordWorks(server, name, password);
  await ensureUser(server, log, { name, roles: [role[kind](tenant, store)], lapak: { kind, tenant, store } }, () => password, !works);
}

async function passwordWorks(server: CouchAdmin, name: string, password: string): Promise<boolean> {
  const res = await fetch(`${server.url}/_session`, { headers: { authorization: 'Basic ' + btoa(`${name}:${password}`) } }).catch(
    () => null,
  );
  if (!res?.ok) return false;
  const body = (await res.json()) as { userCtx?: { name?: string } };
  return body.userCtx?.name === name;
}

export async function provisionStore(spec: StoreSpec, t: ProvisionTargets, opts: ProvisionOptions = {}): Promise<ProvisionResult> {
  const problems = specErrors(spec);
  if (problems.length) throw new ProvisionError('The store description has problems; nothing was written:', problems);
  const log = new StepLog(opts.dryRun ?? false, opts.onStep);
  const [flavor] = await Promise.all([checkAdmin(t.store), checkAdmin(t.central)]);
  const conflicts = await findConflicts(t.store, spec);
  if (conflicts.length && !opts.update)
    throw new ProvisionError(
      'This store already exists with different settings; nothing was written. Fix the description, or re-run with --update to apply:',
      conflicts,
    );

  const ddocs = await t.designDocs();
  const result: ProvisionResult = { steps: log.steps, pairingCodes: [], storeAdminPasswords: [] };

  try {
    await applySpec(spec, t, flavor, log, ddocs, result);
  } catch (e) {
    if (!(e instanceof ProvisionError) && !(e instanceof CouchUnreachable)) throw e;
    const done = log.steps.filter((s) => s.status !== 'unchanged').length;
    throw new ProvisionError(
      `Provisioning stopped: ${e.message}\n${done} change(s) were made before this (listed above). Provisioning is idempotent: fix the cause and run the same command again to finish.`,
    );
  }
  return result;
}
