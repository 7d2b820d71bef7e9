// Codes, database names, CouchDB user names and roles. Shared by the design documents
// (compiled into CouchDB), the provisioning scripts and the web app, so that every
// part of Lapak spells an identity the same way.

/** A board is a customer-facing screen (the ready board): it reads the store's orders and writes nothing. */
export const TERMINAL_TYPES = ['kiosk', 'cashier', 'kitchen', 'waiter', 'board'] as const;
export type TerminalType = (typeof TERMINAL_TYPES)[number];

/** Tenant and store codes end up in database names, so they use CouchDB's db-name alphabet. */
export const TENANT_CODE = /^[a-z][a-z0-9-]{1,29}$/;
export const STORE_CODE = /^[a-z][a-z0-9-]{1,29}$/;
export const BRAND_CODE = /^[A-Z][A-Z0-9]{1,19}$/;
export const TERMINAL_CODE = /^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$/;
export const TERMINAL_CODE_MAX = 40;

/** Kitchens and boards take no orders, so they have no order prefix (stored as NONE). */
export function takesOrders(type: TerminalType): type is Exclude<TerminalType, 'kitchen' | 'board'> {
  return type !== 'kitchen' && type !== 'board';
}

export const NO_ORDER_PREFIX = 'NONE';

export function isTerminalType(value: unknown): value is TerminalType {
  return typeof value === 'string' && (TERMINAL_TYPES as readonly string[]).indexOf(value) !== -1;
}

export function isTerminalCode(value: unknown): value is string {
  return typeof value === 'string' && value.length <= TERMINAL_CODE_MAX && TERMINAL_CODE.test(value);
}

export const dbName = {
  catalog: (tenant: string) => `lapak_${tenant}_catalog`,
  directory: (tenant: string, store: string) => `lapak_${tenant}_${store}_directory`,
  ops: (tenant: string, store: string) => `lapak_${tenant}_${store}_ops`,
  /**
   * Store server only: what the setup wizard and the front page read before login (store name,
   * brands, terminals and whether they are paired), projected from the members-only directory
   * by the store server's admin. Public on the store LAN; nothing in it identifies a device.
   */
  public: (tenant: string, store: string) => `lapak_${tenant}_${store}_public`,
  /** Requests from HQ to the store agent and what the agent reports back (results, replication state). Never public. */
  control: (tenant: string, store: string) => `lapak_${tenant}_${store}_control`,
  /** Central only: the tenant's list of stores, so HQ can find them without _all_dbs (admin-only on CouchDB 3). */
  hq: (tenant: string) => `lapak_${tenant}_hq`,
};

export type DbKind = keyof typeof dbName;
/** Kinds with one database per store (the others are one per tenant). */
export type StoreDbKind = 'directory' | 'ops' | 'control';

export const role = {
  tenant: (tenant: string) => `tenant:${tenant}`,
  store: (tenant: string, store: string) => `store:${tenant}:${store}`,
  hq: (tenant: string) => `hq:${tenant}`,
  storeAdmin: (tenant: string, store: string) => `storeadmin:${tenant}:${store}`,
  replicator: (tenant: string, store: string) => `replicator:${tenant}:${store}`,
  relay: (tenant: string, store: string) => `relay:${tenant}:${store}`,
  /** The payment connector: writes what the provider confirmed, and nothing else. */
  connector: (tenant: string, store: string) => `connector:${tenant}:${store}`,
  terminalType: (type: TerminalType) => `terminal:${type}`,
  brand: (brand: string) => `brand:${brand}`,
};

const USER_PREFIX = {
  terminal: 'terminal',
  storeAdmin: 'storeadmin',
  replicator: 'replicator',
  relay: 'relay',
  connector: 'connector',
} as const;

export const userName = {
  terminal: (tenant: string, store: string, code: string) => `${USER_PREFIX.terminal}.${tenant}.${store}.${code}`,
  storeAdmin: (tenant: string, store: string, person: string) => `${USER_PREFIX.storeAdmin}.${tenant}.${store}.${person}`,
  replicator: (tenant: string, store: string) => `${USER_PREFIX.replicator}.${tenant}.${store}`,
  relay: (tenant: string, store: string) => `${USER_PREFIX.relay}.${tenant}.${store}`,
  connector: (tenant: string, store: string) => `${USER_PREFIX.connector}.${tenant}.${store}`,
  hq: (tenant: string, person: string) => `hq.${tenant}.${person}`,
};

export interface TerminalName {
  tenant: string;
  store: string;
  code: string;
}

export function parseTerminalUserName(name: string | null | undefined): TerminalName | null {
  if (typeof name !== 'string') return null;
  const parts = name.split('.');
  if (parts.length !== 4 || parts[0] !== USER_PREFIX.terminal) return null;
  const [, tenant, store, code] = parts as [string, string, string, string];
  if (!TENANT_CODE.test(tenant) || !STORE_CODE.test(store) || !isTerminalCode(code)) return null;
  return { tenant, store, code };
}

export function userDocId(name: string): string {
  return `org.couchdb.user:${name}`;
}
