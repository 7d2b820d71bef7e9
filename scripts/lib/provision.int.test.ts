import { describe, expect, it } from 'vitest';
import { dbName, userName } from '../../design-docs/lib/names';
import { Raw, enc } from '../../couch/testing/http';
import { adminOf, servers, testTargets, uniqueCode } from '../../couch/testing/servers';
import { nanoAdmin } from './nano-admin';
import { provisionStore } from './provision';
import { ProvisionError } from './steps';
import type { StoreSpec } from './store-spec';

function spec(tenant: string, store: string): StoreSpec {
  return {
    tenant: { code: tenant, name: 'Test Group' },
    store: { code: store, name: 'Test Store', timezone: 'Asia/Jakarta', tax_rate_bp: 1000, service_rate_bp: 500 },
    brands: [{ code: 'AYAMGEPREK', name: 'Ayam Geprek' }],
    terminals: [
      { code: 'KIOSK-GEPREK-01', name: 'Kiosk 1', type: 'kiosk', brand: 'AYAMGEPREK', order_prefix: 'K1' },
      { code: 'KITCHEN-GEPREK', name: 'Dapur', type: 'kitchen', brand: 'AYAMGEPREK', order_prefix: '' },
    ],
    storeAdmins: ['manager'],
  };
}

describe('provision-store against real servers', () => {
  it('creates a store, and a second run changes nothing', async () => {
    const s = spec(uniqueCode('t'), 'mall');
    const first = await provisionStore(s, testTargets());
    expect(first.pairingCodes.map((p) => p.terminal)).toEqual(['KIOSK-GEPREK-01', 'KITCHEN-GEPREK']);
    expect(first.pairingCodes[0]!.code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(first.pairingCodes[0]!.setupUrl).toContain('/setup?brand=AYAMGEPREK&terminal=KIOSK-GEPREK-01&code=');
    expect(first.storeAdminPasswords).toHaveLength(1);

    const store = new Raw(`${servers().store.gatewayUrl}/db`);
    const kiosk = await store.login(userName.terminal(s.tenant.code, 'mall', 'KIOSK-GEPREK-01'), first.pairingCodes[0]!.code);
    expect((await kiosk.get(dbName.ops(s.tenant.code, 'mall'))).status).toBe(200);

    const second = await provisionStore(s, testTargets());
    expect(second.steps.filter((st) => st.status !== 'unchanged')).toEqual([]);
    expect(second.pairingCodes).toEqual([]);
  });

  it('creates the control databases with their replications, and lists the store in the HQ database at central', async () => {
    const s = spec(uniqueCode('t'), 'mall');
    const tenant = s.tenant.code;
    await provisionStore(s, testTargets());
    const control = dbName.control(tenant, 'mall');
    const security = async (which: 'store' | 'central', db: string) =>
      (await adminOf(which).request<{ members: { roles: string[] } }>('GET', `${db}/_security`)).body.members.roles;
    expect(await security('store', control)).toEqual([`storeadmin:${tenant}:mall`, `hq:${tenant}`]);
    expect(await security('central', control)).toEqual([`hq:${tenant}`, `replicator:${tenant}:mall`]);
    expect(await security('central', dbName.hq(tenant))).toEqual([`hq:${tenant}`]);
    expect((await adminOf('store').request('GET', dbName.hq(tenant))).status).toBe(404);
    for (const direction of ['up', 'down'])
      expect((await adminOf('store').request('GET', `_replicator/${enc(`${control}_${direction}`)}`)).status).toBe(200);
    const entry = await adminOf('central').request<Record<string, unknown>>('GET', `${dbName.hq(tenant)}/${enc('store:mall')}`);
    expect(entry.body).toMatchObject({ type: 'store', tenant, store: 'mall', name: 'Test Store', public_url: servers().store.gatewayUrl });

    // A kiosk of the store cannot read the control database (pairing codes travel in it), nor can the anonymous.
    const first = await provisionStore(
      {
        ...s,
        terminals: [...s.terminals, { code: 'KIOSK-GEPREK-02', name: 'Kiosk 2', type: 'kiosk', brand: 'AYAMGEPREK', order_prefix: 'K2' }],
      },
      testTargets(),
    );
    const store = new Raw(`${servers().store.gatewayUrl}/db`);
    const kiosk = await store.login(userName.terminal(tenant, 'mall', 'KIOSK-GEPREK-02'), first.pairingCodes[0]!.code);
    expect((await kiosk.get(`${control}/_all_docs`)).status).toBe(403);
    expect((await store.get(`${control}/_all_docs`)).status).toBe(401);
    // The entry keeps its first provisioning time.
    const again = await adminOf('central').request<Record<string, unknown>>('GET', `${dbName.hq(tenant)}/${enc('store:mall')}`);
    expect(again.body.provisioned_at).toBe(entry.body.provisioned_at);
  });

  it('writes nothing in a dry run', async () => {
    const s = spec(uniqueCode('t'), 'dry');
    const result = await provisionStore(s, testTargets(), { dryRun: true });
    expect(result.steps.some((st) => st.status === 'would create')).toBe(true);
    expect((await adminOf('store').request('GET', dbName.ops(s.tenant.code, 'dry'))).status).toBe(404);
    expect((await adminOf('central').request('GET', dbName.ops(s.tenant.code, 'dry'))).status).toBe(404);
  });

  it('refuses changed settings of an existing store unless asked to update', async () => {
    const s = spec(uniqueCode('t'), 'mall');
    await provisionStore(s, testTargets());
    const changed = { ...s, terminals: s.terminals.map((t) => (t.code === 'KIOSK-GEPREK-01' ? { ...t, type: 'cashier' as const } : t)) };
    const err = await provisionStore(changed, testTargets()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProvisionError);
    expect((err as Error).message).toMatch(/terminal KIOSK-GEPREK-01 terminal_type is "kiosk" on the store server but "cashier"/);
    expect((err as Error).message).toMatch(/--update/);
    await provisionStore(changed, testTargets(), { update: true });
    const user = await adminOf('store').request<{ roles: string[] }>(
      'GET',
      `_users/${enc(`org.couchdb.user:${userName.terminal(s.tenant.code, 'mall', 'KIOSK-GEPREK-01')}`)}`,
    );
    expect(user.body.roles).toContain('terminal:cashier');
  });

  it('says what is wrong with a bad description and writes nothing', async () => {
    const s = spec('Bad Tenant', 'mall');
    s.terminals.push({ code: 'kiosk 2', name: 'x', type: 'robot' as never, brand: 'BAKSO', order_prefix: 'K1' });
    const err = (await provisionStore(s, testTargets()).catch((e: unknown) => e)) as ProvisionError;
    expect(err).toBeInstanceOf(ProvisionError);
    expect(err.problems.join('\n')).toMatch(/tenant code "Bad Tenant" is invalid/);
    expect(err.problems.join('\n')).toMatch(/terminal kiosk 2 has type "robot"/);
    expect(err.problems.join('\n')).toMatch(/brand "BAKSO", which is not among this store's brands \(AYAMGEPREK\)/);
  });

  it('refuses two terminals sharing an order prefix, naming both, and writes nothing', async () => {
    const s = spec(uniqueCode('t'), 'mall');
    s.terminals.push({ code: 'KASIR-GEPREK-01', name: 'Kasir 1', type: 'cashier', brand: 'AYAMGEPREK', order_prefix: 'K1' });
    const err = (await provisionStore(s, testTargets()).catch((e: unknown) => e)) as ProvisionError;
    expect(err).toBeInstanceOf(ProvisionError);
    expect(err.problems).toContain('terminals KIOSK-GEPREK-01 and KASIR-GEPREK-01 share order prefix K1: order numbers would collide');
    expect((await adminOf('store').request('GET', dbName.ops(s.tenant.code, 'mall'))).status).toBe(404);
    expect((await adminOf('central').request('GET', dbName.ops(s.tenant.code, 'mall'))).status).toBe(404);
  });

  it('reports wrong credentials and unreachable servers plainly', async () => {
    const s = spec(uniqueCode('t'), 'mall');
    const t = testTargets();
    const wrong = nanoAdmin('store server', {
      url: servers().store.couchUrl,
      admin: { username: 'admin', password: 'wrong' },
      embedded: false,
      port: 0,
    });
    await expect(provisionStore(s, { ...t, store: wrong })).rejects.toThrow(/admin credentials for the store server .* were not accepted/);
    const gone = nanoAdmin('central server', {
      url: 'http://127.0.0.1:9',
      admin: { username: 'admin', password: 'x' },
      embedded: false,
      port: 9,
    });
    await expect(provisionStore(s, { ...t, central: gone })).rejects.toThrow(/central server at http:\/\/127.0.0.1:9 is unreachable/);
  });
});
