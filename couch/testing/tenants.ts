// Test worlds: provisioned stores with paired terminals, built only through provisioning
// and raw HTTP, as real devices would.
import { dbName, role, userDocId, userName, type TerminalType } from '../../design-docs/lib/names';
import { ensureUser } from '../../scripts/lib/ensure';
import { provisionStore, type PairingCode } from '../../scripts/lib/provision';
import { StepLog } from '../../scripts/lib/steps';
import type { StoreSpec } from '../../scripts/lib/store-spec';
import { Raw, enc } from './http';
import { adminOf, servers, testTargets, type TestServers } from './servers';
import type { ProvisionTargets } from '../../scripts/lib/provision';
import { waitFor } from './wait-for';

export interface PairedTerminal {
  code: string;
  type: TerminalType;
  brand: string;
  userName: string;
  secret: string;
  deviceId: string;
  /** Logged in with its device secret through the store gateway. */
  client: Raw;
}

export interface TestStore {
  tenant: string;
  store: string;
  ops: string;
  directory: string;
  catalog: string;
  codes: PairingCode[];
  storeAdmin: { name: string; password: string };
  terminals: Record<string, PairedTerminal>;
}

// `on`, here and below: a stack the test started itself instead of the run's shared servers.
export function storeGateway(on: TestServers = servers()): Raw {
  return new Raw(`${on.store.gatewayUrl}/db`);
}

export function centralGateway(on: TestServers = servers()): Raw {
  return new Raw(`${on.central.gatewayUrl}/db`);
}

export const TERMINALS: StoreSpec['terminals'] = [
  { code: 'KIOSK-GEPREK-01', name: 'Kiosk Geprek 1', type: 'kiosk', brand: 'AYAMGEPREK', order_prefix: 'K1' },
  { code: 'KASIR-GEPREK-01', name: 'Kasir Geprek 1', type: 'cashier', brand: 'AYAMGEPREK', order_prefix: 'C1' },
  { code: 'KITCHEN-GEPREK', name: 'Dapur Geprek', type: 'kitchen', brand: 'AYAMGEPREK', order_prefix: '' },
  { code: 'KIOSK-NASGR-01', name: 'Kiosk Nasgor 1', type: 'kiosk', brand: 'NASGORENG', order_prefix: 'K2' },
];

export function storeSpec(tenant: string, store: string): StoreSpec {
  return {
    tenant: { code: tenant, name: `Tenant ${tenant}` },
    store: { code: store, name: `Store ${store}`, timezone: 'Asia/Jakarta', tax_rate_bp: 1000, service_rate_bp: 500 },
    brands: [
      { code: 'AYAMGEPREK', name: 'Ayam Geprek' },
      { code: 'NASGORENG', name: 'Nasi Goreng' },
    ],
    terminals: TERMINALS,
    storeAdmins: ['manager'],
  };
}

function randomHex(n: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => b.toString(16).padStart(2, '0'))
    .join('')
    .slice(0, n);
}

/**
 * CouchDB 3 answers 401 to the new password for a moment after a password change (its auth
 * cache still holds the old hash until the _users change reaches it; docs/couchdb-compat.md),
 * so a login right after one waits, bounded, for the new password to open the account.
 */
export async function loginAfterPasswordChange(gw: Raw, name: string, password: string): Promise<Raw> {
  return waitFor(`${name} to log in with its new password`, () => gw.login(name, password).catch(() => null), 10_000);
}

/**
 * Pairs a terminal the way the setup wizard does, over raw HTTP: log in with the one-time
 * code, replace the password with a device secret, log in with the secret, record the binding.
 */
export async function pair(
  s: Pick<TestStore, 'tenant' | 'store' | 'directory'>,
  code: PairingCode,
  on: TestServers = servers(),
): Promise<PairedTerminal> {
  const name = userName.terminal(s.tenant, s.store, code.terminal);
  const gw = storeGateway(on);
  const withCode = await gw.login(name, code.code);
  const own = await withCode.get(`_users/${enc(userDocId(name))}`);
  if (own.status !== 200) throw new Error(`reading own account failed: ${own.status} ${JSON.stringify(own.body)}`);
  const secret = `${randomHex(16)}${randomHex(16)}`;
  const changed = await withCode.put(`_users/${enc(userDocId(name))}`, { ...own.body, password: secret });
  if (changed.status >= 300) throw new Error(`password change failed: ${changed.status} ${JSON.stringify(changed.body)}`);
  const client = await loginAfterPasswordChange(gw, name, secret);
  const deviceId = `dev_${randomHex(12)}`;
  const bound = await client.put(`${s.directory}/${enc(`binding:${code.terminal}`)}`, {
    _id: `binding:${code.terminal}`,
    type: 'binding',
    schema: 1,
    tenant: s.tenant,
    store: s.store,
    terminal: code.terminal,
    device_id: deviceId,
    device: { hostname: 'TEST', user_agent: 'vitest', platform: 'node', screen: '1280x800' },
    assigned_at: new Date().toISOString(),
  });
  if (bound.status >= 300) throw new Error(`binding failed: ${bound.status} ${JSON.stringify(bound.body)}`);
  return { code: code.terminal, type: code.type as TerminalType, brand: code.brand, userName: name, secret, deviceId, client };
}

/** Provisions a store and pairs its terminals (`pairing: false`: leaves the codes unused). */
export async function createStore(
  tenant: string,
  store: string,
  { on = servers(), targets = {}, pairing = true }: { on?: TestServers; targets?: Partial<ProvisionTargets>; pairing?: boolean } = {},
): Promise<TestStore> {
  const result = await provisionStore(storeSpec(tenant, store), testTargets(on, targets));
  const s = { tenant, store, ops: dbName.ops(tenant, store), directory: dbName.directory(tenant, store), catalog: dbName.catalog(tenant) };
  const terminals: Record<string, PairedTerminal> = {};
  if (pairing) for (const code of result.pairingCodes) terminals[code.terminal] = await pair(s, code, on);
  return { ...s, codes: result.pairingCodes, storeAdmin: result.storeAdminPasswords[0]!, terminals };
}

/** An HQ account at central for a tenant. */
export async function createHqUser(
  tenant: string,
  person = 'ani',
  on: TestServers = servers(),
): Promise<{ name: string; password: string; client: Raw }> {
  const password = `hq-${randomHex(12)}`;
  const name = userName.hq(tenant, person);
  await ensureUser(
    adminOf('central', on),
    new StepLog(false),
    { name, roles: [role.tenant(tenant), role.hq(tenant)], lapak: { kind: 'hq', tenant } },
    () => password,
    true,
  );
  return { name, password, client: centralGateway(on).as({ username: name, password }) };
}
