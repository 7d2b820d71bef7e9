// Two tenants on one central server: each HQ reads and writes only its own tenant's
// databases, over raw HTTP and through Fauxton's requests at /db/_utils/.
import { beforeAll, describe, expect, it } from 'vitest';
import { dbName } from '../design-docs/lib/names';
import { newTerminalRequestId } from '../design-docs/lib/types';
import { Raw, enc } from './testing/http';
import { adminOf, servers, uniqueCode } from './testing/servers';
import { createHqUser, createStore, type TestStore } from './testing/tenants';

let a: TestStore;
let b: TestStore;
let hqA: Awaited<ReturnType<typeof createHqUser>>;
let hqB: Awaited<ReturnType<typeof createHqUser>>;

beforeAll(async () => {
  [a, b] = await Promise.all([createStore(uniqueCode('ia'), 'mall'), createStore(uniqueCode('ib'), 'plaza')]);
  [hqA, hqB] = await Promise.all([createHqUser(a.tenant), createHqUser(b.tenant)]);
}, 120_000);

function centralDbs(s: TestStore): string[] {
  return [
    dbName.catalog(s.tenant),
    dbName.directory(s.tenant, s.store),
    dbName.ops(s.tenant, s.store),
    dbName.control(s.tenant, s.store),
    dbName.hq(s.tenant),
  ];
}

/** Each document's revision, by id. */
async function snapshot(db: string): Promise<Record<string, string>> {
  const res = await adminOf('central').request<{ rows: { id: string; value: { rev: string } }[] }>('GET', `${enc(db)}/_all_docs`);
  return Object.fromEntries(res.body.rows.map((r) => [r.id, r.value.rev]));
}

describe('tenant isolation at central', () => {
  it('lets HQ read every database of its own tenant', async () => {
    for (const db of centralDbs(a)) expect((await hqA.client.get(`${db}/_all_docs`)).status, db).toBe(200);
    const stores = await hqA.client.get(`${dbName.hq(a.tenant)}/_all_docs?include_docs=true`);
    expect((stores.body as unknown as { rows: { id: string }[] }).rows.map((r) => r.id).filter((id) => !id.startsWith('_design/'))).toEqual(
      [`store:${a.store}`],
    );
  });

  it("refuses every read of another tenant's databases (raw HTTP)", async () => {
    for (const db of centralDbs(b))
      for (const path of [db, `${db}/_all_docs`, `${db}/_changes`, `${db}/_all_docs?include_docs=true&keys=${enc('["store"]')}`])
        expect((await hqA.client.get(path)).status, path).toBe(403);
    for (const db of centralDbs(a)) expect((await hqB.client.get(`${db}/_all_docs`)).status, db).toBe(403);
    for (const db of centralDbs(b)) expect((await new Raw(`${servers().central.gatewayUrl}/db`).get(db)).status, db).toBe(401);
    expect((await hqA.client.get('_all_dbs')).status).toBe(403);
  });

  it("refuses every write into another tenant's databases, single and bulk, and leaves them unchanged", async () => {
    const before = await Promise.all(centralDbs(b).map(snapshot));
    const now = new Date().toISOString();
    const request = {
      _id: newTerminalRequestId(now, 'hostile1'),
      type: 'terminal_request',
      schema: 1,
      tenant: b.tenant,
      store: b.store,
      action: 'unassign',
      terminal: 'KIOSK-GEPREK-01',
      requested_by: hqA.name,
      requested_at: now,
    };
    const entry = { _id: 'store:evil', type: 'store', schema: 1, tenant: b.tenant, store: 'evil', name: 'x', timezone: 'UTC' };
    for (const db of centralDbs(b)) {
      const doc = db === dbName.control(b.tenant, b.store) ? request : { ...entry, _id: `store:evil-${db.length}` };
      expect((await hqA.client.put(`${db}/${enc(doc._id)}`, doc)).status, db).toBe(403);
      expect((await hqA.client.post(`${db}/_bulk_docs`, { docs: [doc] })).status, db).toBe(403);
      expect((await hqA.client.post(`${db}/_bulk_docs`, { docs: [{ ...doc, _rev: '1-abc' }], new_edits: false })).status, db).toBe(403);
    }
    // Its own tenant's control database takes no request addressed to the other tenant's store either.
    expect((await hqA.client.put(`${dbName.control(a.tenant, a.store)}/${enc(request._id)}`, request)).status).toBe(403);
    // Nothing that was there changed, and nothing sent landed. (The other tenant's own store may still
    // be replicating its pairings up: documents can arrive meanwhile, but none of these.)
    const sent = new Set([request._id, ...centralDbs(b).map((db) => `store:evil-${db.length}`)]);
    const after = await Promise.all(centralDbs(b).map(snapshot));
    after.forEach((docs, i) => {
      expect(docs, centralDbs(b)[i]).toMatchObject(before[i]!);
      expect(
        Object.keys(docs).filter((id) => sent.has(id)),
        centralDbs(b)[i],
      ).toEqual([]);
    });
  });
});

describe('Fauxton at central', () => {
  const fauxton = () => `${servers().central.gatewayUrl}/db/_utils/`;

  it('serves Fauxton to anyone, pointed at the gateway prefix', async () => {
    const page = await fetch(fauxton());
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    const script = /src="([^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeTruthy();
    const bundle = await (await fetch(new URL(script!, fauxton()))).text();
    expect(bundle).toContain('host:"/db"');
    expect(bundle).not.toContain('host:"../.."');
    expect(bundle).not.toContain('url:"/_session"');
    const redirect = await fetch(`${servers().central.gatewayUrl}/db/_utils`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/db/_utils/');
  });

  it("answers the requests Fauxton makes for a database only for that tenant's HQ", async () => {
    // What Fauxton asks for when HQ opens #database/<db>/_all_docs, with HQ's cookie session.
    const asA = await new Raw(`${servers().central.gatewayUrl}/db`).login(hqA.name, hqA.password);
    const session = await asA.get('_session');
    expect((session.body.userCtx as { name: string }).name).toBe(hqA.name);
    const fauxtonPaths = (db: string) => [
      db,
      `${db}/_all_docs?limit=21&include_docs=true`,
      `${db}/_all_docs?startkey=${enc('"_design/"')}&endkey=${enc('"_design0"')}`,
      `${db}/_security`,
    ];
    for (const path of fauxtonPaths(dbName.ops(a.tenant, a.store))) expect((await asA.get(path)).status, path).toBe(200);
    for (const db of centralDbs(b)) for (const path of fauxtonPaths(db)) expect((await asA.get(path)).status, path).toBe(403);
  });
});
