// Who may read and write each database, on each server. This is the whole access model of
// docs/security.md in one place: _security decides who may touch a database at all, and
// the validate functions decide what each identity may write inside it.
import { dbName, role, type DbKind, type StoreDbKind } from '../../design-docs/lib/names';

export interface SecurityObject {
  admins: { names: string[]; roles: string[] };
  members: { names: string[]; roles: string[] };
}

function members(...roles: string[]): SecurityObject {
  // admins stay empty: only server admins manage design documents and _security.
  return { admins: { names: [], roles: [] }, members: { names: [], roles } };
}

/** Empty members makes a database readable without logging in; validate still decides every write. */
export const PUBLIC_READ = members();
/** Server admins only. */
export const ADMIN_ONLY = members('_admin');

export interface PlannedDb {
  name: string;
  kind: DbKind;
  security: SecurityObject;
}

export function storeServerDbs(tenant: string, store: string): PlannedDb[] {
  return [
    { name: dbName.catalog(tenant), kind: 'catalog', security: members(role.tenant(tenant)) },
    // Device bindings and heartbeats: the store's accounts (terminals, managers), its relay (heartbeats) and HQ.
    {
      name: dbName.directory(tenant, store),
      kind: 'directory',
      security: members(role.store(tenant, store), role.relay(tenant, store), role.hq(tenant)),
    },
    // What the setup wizard and the front page read before login, projected from the directory by the
    // store server's admin: readable by anyone on the store LAN, written by nobody else (validate).
    { name: dbName.public(tenant, store), kind: 'public', security: PUBLIC_READ },
    {
      name: dbName.ops(tenant, store),
      kind: 'ops',
      // The payment connector writes what the provider confirmed (validate limits it to that).
      security: members(role.store(tenant, store), role.connector(tenant, store), role.hq(tenant)),
    },
    // Pairing codes travel here: never terminals (they hold store:<t>:<s> only) nor the anonymous.
    { name: dbName.control(tenant, store), kind: 'control', security: members(role.storeAdmin(tenant, store), role.hq(tenant)) },
  ];
}

export function centralServerDbs(tenant: string, store: string): PlannedDb[] {
  return [
    { name: dbName.catalog(tenant), kind: 'catalog', security: members(role.tenant(tenant)) },
    { name: dbName.directory(tenant, store), kind: 'directory', security: members(role.hq(tenant), role.replicator(tenant, store)) },
    { name: dbName.ops(tenant, store), kind: 'ops', security: members(role.hq(tenant), role.replicator(tenant, store)) },
    { name: dbName.control(tenant, store), kind: 'control', security: members(role.hq(tenant), role.replicator(tenant, store)) },
    // One per tenant, central only: its list of stores.
    { name: dbName.hq(tenant), kind: 'hq', security: members(role.hq(tenant)) },
  ];
}

/** How each database replicates, seen from the store server (which starts every replication: it sits behind NAT). */
export const REPLICATION_FLOWS: { kind: 'catalog' | StoreDbKind; direction: 'up' | 'down' }[] = [
  { kind: 'catalog', direction: 'down' },
  { kind: 'directory', direction: 'up' },
  { kind: 'directory', direction: 'down' },
  { kind: 'ops', direction: 'up' },
  { kind: 'ops', direction: 'down' },
  // HQ's terminal requests down; the agent's results and replication status up.
  { kind: 'control', direction: 'up' },
  { kind: 'control', direction: 'down' },
];

/** The store's replication jobs: `_replicator` document id, database and direction. */
export function replicationJobs(tenant: string, store: string): { id: string; db: string; direction: 'up' | 'down' }[] {
  return REPLICATION_FLOWS.map((f) => ({
    id: `lapak_${tenant}_${store}_${f.kind}_${f.direction}`,
    db: f.kind === 'catalog' ? dbName.catalog(tenant) : dbName[f.kind](tenant, store),
    direction: f.direction,
  }));
}
