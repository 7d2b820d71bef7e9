// Hostile clients of the store directory: a stranger on the store Wi-Fi (anonymous) reads only
// the public directory the store server projects, finds no device id, device details or
// heartbeat internals there, and can write nothing in it; the members-only directory answers
// the anonymous 401 and another store's terminal 403.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPublicDirectory, type PublicDirectoryAgent } from '../agent/public-directory';
import { dbName } from '../../design-docs/lib/names';
import { deviceHash } from '../../design-docs/lib/public-directory';
import { unassignTerminal } from '../../scripts/lib/unassign';
import { enc, type RawResponse } from '../testing/http';
import { adminOf, servers, uniqueCode } from '../testing/servers';
import { createStore, pair, storeGateway, type TestStore } from '../testing/tenants';
import { waitFor } from '../testing/wait-for';

let s: TestStore;
let other: TestStore;
let pub: string;
let agent: PublicDirectoryAgent;

async function snapshot(db: string): Promise<string> {
  const res = await adminOf('store').request<{ rows: unknown[] }>('GET', `${enc(db)}/_all_docs?include_docs=true`);
  return JSON.stringify(res.body.rows);
}

function refused(res: RawResponse, status: 401 | 403): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
}

/** Every write path of CouchDB; each must leave no document behind (per-document errors count as refused). */
function refusedWrite(res: RawResponse, status: 401 | 403): void {
  if (res.status === 201 && Array.isArray(res.body)) {
    for (const row of res.body) expect(row.error, JSON.stringify(row)).toMatch(/^(forbidden|unauthorized)$/);
    return;
  }
  expect([status, 400], JSON.stringify(res.body)).toContain(res.status);
}

async function serversAnswer(): Promise<void> {
  expect((await fetch(`${servers().store.gatewayUrl}/db/`)).status).toBe(200);
  expect((await fetch(`${servers().central.gatewayUrl}/db/`)).status).toBe(200);
}

const publicTerminal = async (code: string) =>
  (await storeGateway().get(`${pub}/${enc(`terminal:${code}`)}`)).body as Record<string, unknown>;

beforeAll(async () => {
  const tenant = uniqueCode('hd');
  [s, other] = await Promise.all([createStore(tenant, 'bsd'), createStore(tenant, 'pim')]);
  pub = dbName.public(s.tenant, s.store);
  agent = startPublicDirectory({ store: adminOf('store'), tenant: s.tenant, storeCode: s.store, pollMs: 1_000 });
  // Provisioning wrote the projection before the test world paired its terminals; the agent catches up.
  await waitFor('the public directory to show the pairings', async () =>
    (await publicTerminal('KIOSK-GEPREK-01')).assigned === true ? true : null,
  );
}, 120_000);

afterAll(() => agent?.stop());

describe('hostile: the store directory and its public projection', () => {
  it('gives the anonymous nothing of the members-only directory', async () => {
    const anon = storeGateway();
    for (const path of [
      s.directory,
      `${s.directory}/_all_docs?include_docs=true`,
      `${s.directory}/_changes?include_docs=true`,
      `${s.directory}/${enc('binding:KIOSK-GEPREK-01')}`,
      `${s.directory}/${enc('heartbeat:KIOSK-GEPREK-01')}`,
      `${s.directory}/store`,
    ])
      refused(await anon.get(path), 401);
    refused(await anon.post(`${s.directory}/_all_docs`, { keys: ['binding:KIOSK-GEPREK-01'] }), 401);
    refused(await anon.get(`${s.directory}/_design/lapak/_view/terminals_by_brand`), 401);
    // Another store's terminal is logged in, but no member.
    refused(await other.terminals['KIOSK-GEPREK-01']!.client.get(`${s.directory}/${enc('binding:KIOSK-GEPREK-01')}`), 403);
    // The store's own accounts still read it.
    expect((await s.terminals['KASIR-GEPREK-01']!.client.get(`${s.directory}/${enc('binding:KIOSK-GEPREK-01')}`)).status).toBe(200);
    await serversAnswer();
  });

  it('gives the anonymous nothing of it through _find, _bulk_get, _explain or _index either', async () => {
    // PouchDB Server 4.2 does not check _security on these (it answers 200 with the bindings);
    // CouchDB does, and so must the gateway in front of PouchDB Server.
    const anon = storeGateway();
    refused(await anon.post(`${s.directory}/_find`, { selector: { type: 'binding' } }), 401);
    refused(await anon.post(`${s.directory}/_bulk_get`, { docs: [{ id: 'binding:KIOSK-GEPREK-01' }] }), 401);
    refused(await anon.post(`${s.directory}/_explain`, { selector: { type: 'binding' } }), 401);
    refused(await anon.get(`${s.directory}/_index`), 401);
    await serversAnswer();
  });

  it('lets the anonymous read the public directory, which holds no device id, details or heartbeat internals', async () => {
    const kiosk = s.terminals['KIOSK-GEPREK-01']!;
    const res = await storeGateway().get(`${pub}/_all_docs?include_docs=true`);
    expect(res.status).toBe(200);
    const docs = (res.body.rows as unknown as { doc: Record<string, unknown> }[])
      .map((r) => r.doc)
      .filter((d) => !String(d._id).startsWith('_design/'));
    expect(new Set(docs.map((d) => d.type))).toEqual(new Set(['public_store', 'public_brand', 'public_terminal']));
    expect(docs.find((d) => d._id === 'store')).toMatchObject({ name: `Store ${s.store}`, tenant_name: `Tenant ${s.tenant}` });
    expect(docs.filter((d) => d.type === 'public_terminal').map((d) => d.code)).toEqual(expect.arrayContaining(Object.keys(s.terminals)));
    const text = JSON.stringify(res.body);
    for (const t of Object.values(s.terminals)) expect(text).not.toContain(t.deviceId);
    expect(text).not.toMatch(/dev_[0-9a-f]{12}/);
    for (const secretish of ['device_id', '"device"', 'user_agent', 'hostname', 'platform', 'app_version', 'order_prefix', 'heartbeat'])
      expect(text).not.toContain(secretish);
    // What it does say: paired since when, and a one-way hash only the device itself can match.
    const entry = docs.find((d) => d._id === `terminal:${kiosk.code}`)!;
    expect(entry).toMatchObject({ assigned: true, assigned_at: expect.any(String), active: true, terminal_type: 'kiosk' });
    expect(entry.device_hash).toBe(await deviceHash(s.tenant, s.store, kiosk.code, kiosk.deviceId));
    expect(entry.device_hash).toMatch(/^[0-9a-f]{64}$/);
    // Its changes feed is as clean.
    const changes = await storeGateway().get(`${pub}/_changes?include_docs=true`);
    expect(changes.status).toBe(200);
    expect(JSON.stringify(changes.body)).not.toMatch(/dev_[0-9a-f]{12}|device_id|user_agent/);
  });

  it('refuses every write to the public directory, from the anonymous and from every account', async () => {
    const before = await snapshot(pub);
    const securityBefore = JSON.stringify((await adminOf('store').request('GET', `${enc(pub)}/_security`)).body);
    const current = await publicTerminal('KIOSK-GEPREK-01');
    const forged = { ...current, assigned: false, assigned_at: null, device_hash: null };
    const fresh = { ...forged, _id: 'terminal:KIOSK-EVIL-01', code: 'KIOSK-EVIL-01' };
    delete (fresh as Record<string, unknown>)._rev;
    const attackers: [ReturnType<typeof storeGateway>, 401 | 403][] = [
      [storeGateway(), 401],
      [s.terminals['KIOSK-GEPREK-01']!.client, 403],
      [storeGateway().as({ username: s.storeAdmin.name, password: s.storeAdmin.password }), 403],
    ];
    for (const [who, status] of attackers) {
      refusedWrite(await who.put(`${pub}/${enc(String(current._id))}`, forged), status);
      refusedWrite(await who.put(`${pub}/${enc(fresh._id)}`, fresh), status);
      refusedWrite(await who.post(pub, { ...fresh, _id: `terminal:KIOSK-EVIL-${randomBytes(2).toString('hex')}` }), status);
      refusedWrite(await who.post(`${pub}/_bulk_docs`, { docs: [forged, fresh] }), status);
      refusedWrite(
        await who.post(`${pub}/_bulk_docs`, {
          docs: [{ ...fresh, _rev: '1-abc', _revisions: { start: 1, ids: ['abc'] } }],
          new_edits: false,
        }),
        status,
      );
      refusedWrite(await who.del(`${pub}/${enc(String(current._id))}?rev=${String(current._rev)}`), status);
      const ddoc = await who.put(`${pub}/_design/evil`, { views: { all: { map: 'function (doc) { emit(doc._id); }' } } });
      expect([401, 403]).toContain(ddoc.status);
      expect([401, 403]).toContain((await who.put(`${pub}/_security`, { admins: {}, members: {} })).status);
    }
    expect(await snapshot(pub)).toBe(before);
    expect(JSON.stringify((await adminOf('store').request('GET', `${enc(pub)}/_security`)).body)).toBe(securityBefore);
    await serversAnswer();
  });

  it('follows the directory: an unassigned terminal is shown free at once, a new pairing within seconds', async () => {
    const code = 'KASIR-GEPREK-01';
    const result = await unassignTerminal(adminOf('store'), s.tenant, s.store, code, servers().store.gatewayUrl);
    // unassignTerminal projects by itself, with no agent needed.
    expect(await publicTerminal(code)).toMatchObject({ assigned: false, assigned_at: null, device_hash: null });
    const again = await pair(s, { terminal: code, brand: 'AYAMGEPREK', type: 'cashier', code: result.code, setupUrl: result.setupUrl });
    const entry = await waitFor(
      'the agent to project the new pairing',
      async () => {
        const e = await publicTerminal(code);
        return e.assigned === true ? e : null;
      },
      10_000,
    );
    expect(entry.device_hash).toBe(await deviceHash(s.tenant, s.store, code, again.deviceId));
    expect(agent.syncs).toBeGreaterThan(0);
  });
});
