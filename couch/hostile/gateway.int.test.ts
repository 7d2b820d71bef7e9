// The hostile suite for the gateway's allowlist: the routes and tricks of the probe that
// found PouchDB Server's unguarded corners (docs/security.md, "The gateway"). Raw HTTP only;
// each refusal is checked for its status, the data for being unchanged, and every server for
// still answering.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbName, role, userDocId, userName } from '../../design-docs/lib/names';
import { order } from '../../design-docs/testing/fixtures';
import { DEFAULT_LOGIN_LIMITS } from '../gateway/login-throttle';
import { startGateway, type Gateway } from '../gateway/server';
import { Raw, enc, type RawResponse } from '../testing/http';
import { freePort } from '../testing/free-port';
import { basicAuth, rawRequest, sendThenReset } from '../testing/raw-socket';
import { adminOf, servers, testTargets, uniqueCode } from '../testing/servers';
import { centralGateway, createHqUser, createStore, storeGateway, type TestStore } from '../testing/tenants';
import { provisionStore } from '../../scripts/lib/provision';
import { ensureUser } from '../../scripts/lib/ensure';
import { StepLog } from '../../scripts/lib/steps';
import { storeSpec } from '../testing/tenants';

let a: TestStore;
let b: TestStore;
let hqA: Raw;
let hqB: Raw;

async function snapshot(server: 'store' | 'central', db: string): Promise<string> {
  const res = await adminOf(server).request<{ rows: unknown[] }>('GET', `${enc(db)}/_all_docs?include_docs=true`);
  const ddocs = await adminOf(server).request<{ rows: unknown[] }>(
    'GET',
    `${enc(db)}/_all_docs?startkey=%22_design%2F%22&endkey=%22_design0%22&include_docs=true`,
  );
  return JSON.stringify([res.body.rows, ddocs.body.rows]);
}

async function stillAnswering(): Promise<void> {
  const s = servers();
  for (const url of [`${s.store.gatewayUrl}/db/`, `${s.central.gatewayUrl}/db/`, `${s.store.couchUrl}/`, `${s.central.couchUrl}/`])
    expect((await fetch(url)).status, url).toBe(200);
}

/** Refused as a whole, or (design documents, as CouchDB does) document by document. */
function refusedInBulk(res: RawResponse): void {
  if (res.status === 403) return;
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  for (const row of res.body) expect(row.error, JSON.stringify(row)).toMatch(/^(forbidden|unauthorized)$/);
}

function refused(res: RawResponse | number, status: number): void {
  const got = typeof res === 'number' ? res : res.status;
  expect(got, typeof res === 'number' ? '' : JSON.stringify(res.body)).toBe(status);
}

const control = (s: TestStore) => dbName.control(s.tenant, s.store);
const kiosk = (s: TestStore) => s.terminals['KIOSK-GEPREK-01']!;

beforeAll(async () => {
  const ta = uniqueCode('ga');
  const tb = uniqueCode('gb');
  [a, b] = await Promise.all([createStore(ta, 'one'), createStore(tb, 'one')]);
  hqA = (await createHqUser(ta)).client;
  hqB = (await createHqUser(tb)).client;
}, 120_000);

afterAll(async () => {
  await stillAnswering();
});

describe('the gateway reads for members only, by every route', () => {
  const READ_ROUTES = (db: string) => [
    ['GET', db],
    ['GET', `${db}/_all_docs?include_docs=true`],
    ['POST', `${db}/_all_docs`],
    ['GET', `${db}/_changes?include_docs=true`],
    ['POST', `${db}/_find`],
    ['POST', `${db}/_explain`],
    ['GET', `${db}/_index`],
    ['GET', `${db}/_design_docs`],
    ['GET', `${db}/_local_docs`],
    ['POST', `${db}/_bulk_get`],
    ['POST', `${db}/_revs_diff`],
    ['GET', `${db}/_design/lapak`],
    ['GET', `${db}/_design/reports/_view/flags`],
    ['GET', `${db}/_security`],
    ['GET', `${db}/_local/x`],
    ['GET', `${db}/product:nasi/photo.jpg`],
    ['GET', `${db}/_all_docs/queries`],
  ];
  const BODY = { selector: { type: { $gt: null } }, keys: ['x'], docs: [{ id: 'x' }], x: ['1-a'] };

  it('refuses a stranger on the Wi-Fi everything but the public directory, alike for real and made-up databases', async () => {
    const anon = storeGateway();
    for (const db of [a.ops, control(a), a.catalog, a.directory, 'lapak_madeup_x_ops']) {
      for (const [method, path] of READ_ROUTES(db)) {
        const res = await anon.req(method!, path!, method === 'POST' ? BODY : undefined);
        refused(res, 401);
        expect(res.body.reason, path).not.toMatch(/not.?found|missing|exist/i);
      }
    }
    // At central nothing at all is anonymous: a tenant cannot be told from a made-up one.
    const central = centralGateway();
    const real = await central.get(`${a.ops}/_all_docs`);
    const madeUp = await central.get('lapak_madeup_x_ops/_all_docs');
    expect([real.status, madeUp.status]).toEqual([401, 401]);
    expect(real.body.error).toBe(madeUp.body.error);
    await stillAnswering();
  });

  it('refuses another tenant’s HQ and another store’s terminal every route, alike for real and made-up databases', async () => {
    for (const db of [a.ops, control(a), a.catalog, dbName.hq(a.tenant)]) {
      for (const [method, path] of READ_ROUTES(db)) refused(await hqB.req(method!, path!, method === 'POST' ? BODY : undefined), 403);
    }
    const real = await hqB.get(`${a.ops}/_all_docs`);
    const madeUp = await hqB.get(`lapak_${a.tenant}_nosuch_ops/_all_docs`);
    expect([real.status, madeUp.status]).toEqual([403, 403]);
    for (const db of [b.ops, b.catalog, control(b)]) refused(await kiosk(a).client.get(`${db}/_all_docs`), 403);
    await stillAnswering();
  });

  it('serves the public directory, and the setup wizard’s reads of it, to anyone at the store', async () => {
    const pub = dbName.public(a.tenant, a.store);
    expect((await storeGateway().get(`${pub}/_all_docs?include_docs=true`)).status).toBe(200);
    // but writes nothing there and no one's Mango queries
    refused(await storeGateway().post(`${pub}/_find`, { selector: { _id: { $regex: '(a+)+$' } } }), 401);
    refused(await storeGateway().put(`${pub}/_local/x`, { last_seq: 0 }), 401);
    refused(await kiosk(a).client.put(`${pub}/terminal:KIOSK-GEPREK-01`, { _id: 'terminal:KIOSK-GEPREK-01' }), 403);
    refused(await storeGateway().get(`${a.directory}/_all_docs`), 401);
  });
});

describe('design documents, indexes and _security change only by a server admin', () => {
  it('refuses index and design-document creation and deletion by every route and caller', async () => {
    const before = [await snapshot('store', a.ops), await snapshot('store', a.directory), await snapshot('central', a.catalog)];
    const storeBase = servers().store.gatewayUrl;
    const auth = { authorization: basicAuth(kiosk(a).userName, kiosk(a).secret), 'content-type': 'application/json' };
    // The probe's route: DELETE /_index/_design%2Flapak/json/<view> removed the validate function.
    refused(await rawRequest(storeBase, 'DELETE', `/db/${a.ops}/_index/_design%2Flapak/json/orders`, auth), 400);
    refused(await rawRequest(storeBase, 'DELETE', `/db/${a.directory}/_index/_design%2Flapak/json/x`), 400);
    refused(await kiosk(a).client.del(`${a.ops}/_index/_design/lapak/json/orders`), 403);
    refused(await storeGateway().del(`${a.directory}/_index/_design/lapak/json/x`), 401);
    const index = { index: { fields: ['x'] }, ddoc: 'lapak', name: 'evil' };
    refused(await kiosk(a).client.post(`${a.ops}/_index`, index), 403);
    refused(await storeGateway().post(`${a.directory}/_index`, index), 401);
    refused(await hqA.post(`${a.catalog}/_index`, index), 403);
    refused(await hqB.post(`${a.catalog}/_index`, index), 403);
    // With the current revision, so that CouchDB's conflict check cannot answer for the permission check.
    const ddoc = await adminOf('store').request<{ _rev: string }>('GET', `${enc(a.ops)}/_design/lapak`);
    for (const client of [kiosk(a).client, hqA]) {
      refused(await client.put(`${a.ops}/_design/lapak`, { validate_doc_update: 'function(){}' }), 403);
      refused(await client.del(`${a.ops}/_design/lapak`), 403);
      refused(await client.put(`${a.ops}/_security`, { members: { roles: [] } }), 403);
      refusedInBulk(await client.post(`${a.ops}/_bulk_docs`, { docs: [{ _id: '_design/lapak', _rev: ddoc.body._rev, _deleted: true }] }));
      refusedInBulk(
        await client.post(`${a.ops}/_bulk_docs`, {
          docs: [{ _id: '_design/evil', _rev: '1-0123456789abcdef0123456789abcdef', views: {} }],
          new_edits: false,
        }),
      );
    }
    refused(await storeGateway().put(`${a.directory}/_design/lapak`, {}), 401);
    refused(await storeGateway().put(`${a.directory}/_security`, { members: { roles: [] } }), 401);
    expect([await snapshot('store', a.ops), await snapshot('store', a.directory), await snapshot('central', a.catalog)]).toEqual(before);
    await stillAnswering();
  });
});

describe('paths are parsed once and forwarded as checked', () => {
  it('refuses backslashes, encoded slashes, dot segments, empty segments and control characters', async () => {
    const s = servers();
    const users = await snapshot('store', '_users');
    const auth = { authorization: basicAuth(kiosk(a).userName, kiosk(a).secret) };
    for (const base of [s.store.gatewayUrl, s.central.gatewayUrl]) {
      for (const path of [
        `/db/${a.directory}/..\\_replicator\\_find`,
        `/db/${a.directory}/..\\_users\\_find`,
        `/db/${a.directory}/..%5c_users%5c_all_docs`,
        `/db/${a.directory}/..%2f_users`,
        `/db/${a.directory}/%2e%2e/_users/_all_docs`,
        `/db/${a.directory}//_all_docs`,
        `/db/${a.directory}/%00`,
      ]) {
        refused(await rawRequest(base, 'GET', path), 400);
        refused(await rawRequest(base, 'POST', path, { ...auth, 'content-type': 'application/json' }, '{"selector":{}}'), 400);
      }
      refused(await rawRequest(base, 'PUT', `/db/${a.directory}/..\\lapak_hostile_newdb`), 400);
      refused(await rawRequest(base, 'PUT', `/db/_users/org.couchdb.user%3A${kiosk(a).userName}\\..\\..\\x`, auth), 400);
    }
    expect(await snapshot('store', '_users')).toBe(users);
    expect((await adminOf('store').request('GET', 'lapak_hostile_newdb')).status).toBe(404);
    await stillAnswering();
  });

  it('gives a kiosk no way into _users beyond its own password', async () => {
    const k = kiosk(a);
    const own = await k.client.get(`_users/${enc(userDocId(k.userName))}`);
    expect(own.status).toBe(200);
    refused(
      await k.client.put(`_users/${enc(userDocId(k.userName))}`, {
        ...own.body,
        roles: [...(own.body.roles as string[]), `hq:${a.tenant}`],
      }),
      403,
    );
    refused(await k.client.get('_users/_all_docs'), 403);
    refused(await k.client.post('_users/_find', { selector: {} }), 403);
    refused(await k.client.get('_replicator/_all_docs'), 403);
    refused(await k.client.post('_replicator/_find', { selector: {} }), 403);
    refused(
      await k.client.put(`_users/${enc(userDocId(userName.hq(a.tenant, 'evil')))}`, { name: 'x', password: 'y', roles: [], type: 'user' }),
      403,
    );
  });
});

describe('replication checkpoints stay where they belong', () => {
  it('refuses _local reads and writes by terminals, HQ and the anonymous; the replication account keeps only its own store’s', async () => {
    const k = kiosk(a);
    refused(await k.client.get(`${a.ops}/_local/anything`), 403);
    refused(await k.client.put(`${a.ops}/_local/forged`, { last_seq: '999999' }), 403);
    refused(await k.client.post(`${a.ops}/_bulk_docs`, { docs: [{ _id: '_local/forged', last_seq: '9' }] }), 403);
    refused(await storeGateway().put(`${a.directory}/_local/forged`, { last_seq: 1 }), 401);
    refused(await hqA.put(`${a.ops}/_local/forged`, { last_seq: 1 }), 403);
    refused(await k.client.post(`${a.ops}/_ensure_full_commit`, {}), 403);
    refused(await hqA.post(`${a.ops}/_ensure_full_commit`, {}), 403);
    refused(await centralGateway().post(`${a.ops}/_ensure_full_commit`, {}), 401);
    const replicator = centralGateway().as({ username: userName.replicator(a.tenant, a.store), password: 'wrong' });
    refused(await replicator.put(`${a.ops}/_local/forged`, { last_seq: 1 }), 401);
    // The store's server writes its own checkpoints with the server admin, never through this gateway.
    const local = await adminOf('store').request('GET', `${enc(a.ops)}/_local/forged`);
    expect(local.status).toBe(404);
  });

  it('lets the replication account keep checkpoints in its own store’s databases at central and nowhere else', async () => {
    // An account with the roles provisioning gives the store's replication (its real password stays untouched).
    const password = `rep-${uniqueCode('p')}`;
    const name = `test-replicator.${a.tenant}`;
    await ensureUser(
      adminOf('central'),
      new StepLog(false),
      {
        name,
        roles: [role.tenant(a.tenant), role.store(a.tenant, a.store), role.replicator(a.tenant, a.store)],
        lapak: { kind: 'replicator', tenant: a.tenant, store: a.store },
      },
      () => password,
      true,
    );
    const rep = centralGateway().as({ username: name, password });
    expect((await rep.put(`${a.ops}/_local/hostile-check`, { last_seq: 1 })).status).toBe(201);
    expect((await rep.get(`${a.ops}/_local/hostile-check`)).status).toBe(200);
    refused(await rep.put(`${b.ops}/_local/hostile-check`, { last_seq: 1 }), 403);
    refused(await rep.get(`${b.ops}/_local/hostile-check`), 403);
    // CouchDB's replicator asks for a full commit before each checkpoint (a no-op since 3.0, still called).
    expect((await rep.post(`${a.ops}/_ensure_full_commit`, {})).status).toBe(201);
    refused(await rep.post(`${b.ops}/_ensure_full_commit`, {}), 403);
    refused(await rep.put(`${a.catalog}/product:evil`, { _id: 'product:evil' }), 403);
    // Not at the store server: its own replicator writes there with the server admin.
    refused(
      await storeGateway()
        .as({ username: kiosk(a).userName, password: kiosk(a).secret })
        .put(`${a.ops}/_local/hostile-check`, {}),
      403,
    );
  });
});

describe('abuse', () => {
  it('refuses oversized bodies before they reach the server', async () => {
    const k = kiosk(a);
    const before = await snapshot('store', a.ops);
    const huge = {
      ...order({ tenant: a.tenant, store: a.store, code: k.code, type: k.type, brand: k.brand }),
      note: 'x'.repeat(10 * 1024 * 1024),
    };
    refused(await k.client.put(`${a.ops}/${enc(huge._id)}`, huge), 413);
    refused(await k.client.post(`${a.ops}/_bulk_docs`, { docs: [huge] }), 413);
    refused(await storeGateway().post('_session', { name: 'x', password: 'y'.repeat(100_000) }), 413);
    expect(await snapshot('store', a.ops)).toBe(before);
    await stillAnswering();
  });

  it('refuses $regex and unindexed Mango queries, even to HQ in its own tenant', async () => {
    refused(await hqA.post(`${a.ops}/_find`, { selector: { type: 'order', note: { $regex: '^(a+)+$' } } }), 400);
    const unindexed = await hqA.post(`${a.ops}/_find`, { selector: { note: 'x' } });
    refused(unindexed, 400);
    expect(unindexed.body.reason).toMatch(/index/);
    const indexed = await hqA.post(`${a.ops}/_find`, { selector: { type: 'void', created_at: { $gte: '2026-01-01' } }, limit: 10 });
    expect(indexed.status, JSON.stringify(indexed.body)).toBe(200);
  });

  it('locks out pairing-code guessing after five wrong codes, says for how long, and keeps the code unspent', async () => {
    const spec = storeSpec(uniqueCode('gl'), 'lock');
    const result = await provisionStore(spec, testTargets());
    const code = result.pairingCodes.find((c) => c.terminal === 'KIOSK-GEPREK-01')!;
    const name = userName.terminal(spec.tenant.code, 'lock', code.terminal);
    const gw = storeGateway();
    for (let i = 0; i < DEFAULT_LOGIN_LIMITS.perAccount; i++)
      refused(await gw.post('_session', { name, password: `guess-${i}-${Math.random()}` }), 401);
    const locked = await gw.post('_session', { name, password: code.code });
    refused(locked, 429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(60);
    expect(locked.body).toMatchObject({ error: 'too_many_requests' });
    expect(String(locked.body.reason)).toMatch(/Wait \d+ minutes/);
    // Basic auth is the same door.
    refused(await gw.as({ username: name, password: 'guess-basic' }).get(`${dbName.ops(spec.tenant.code, 'lock')}`), 429);
    // The code still works for the real device once the lock has passed: it was never accepted.
    const direct = await fetch(`${servers().store.couchUrl}/_session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, password: code.code }),
    });
    expect(direct.status).toBe(200);
  });

  it('locks an address that guesses across accounts, on a gateway with the production limits', async () => {
    const gateway: Gateway = await startGateway({
      host: '127.0.0.1',
      port: await freePort(),
      tls: null,
      loginLimits: DEFAULT_LOGIN_LIMITS,
      upstream: servers().store.couchUrl,
      staticDir: servers().dataDir,
      label: 'store',
      site: { kind: 'store', tenant: a.tenant, store: a.store },
    });
    try {
      const gw = new Raw(`${gateway.url}/db`);
      const atWork = gw.as({ username: kiosk(a).userName, password: kiosk(a).secret });
      expect((await atWork.get(a.ops)).status).toBe(200);
      for (let i = 0; i < DEFAULT_LOGIN_LIMITS.perAddress; i++) await gw.post('_session', { name: `nobody-${i}`, password: 'x' });
      refused(await gw.post('_session', { name: kiosk(a).userName, password: 'y' }), 429);
      refused(await gw.as({ username: kiosk(a).userName, password: 'z' }).get(a.ops), 429);
      // A terminal already at work from this address keeps working.
      expect((await atWork.get(a.ops)).status).toBe(200);
    } finally {
      await gateway.close();
    }
  });

  it('hardens the session cookie and sends security headers with the app and the data', async () => {
    const k = kiosk(a);
    const res = await fetch(`${servers().store.gatewayUrl}/db/_session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: k.userName, password: k.secret }),
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/AuthSession=/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/HttpOnly/);
    const app = await fetch(`${servers().store.gatewayUrl}/kiosk`);
    expect(app.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(app.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(app.headers.get('x-frame-options')).toBe('DENY');
    const data = await fetch(`${servers().store.gatewayUrl}/db/${a.directory}/_all_docs`);
    expect(data.headers.get('content-security-policy')).toMatch(/sandbox/);
    expect(data.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers no replicator, probe or form at the root with the web app', async () => {
    const base = servers().central.gatewayUrl;
    for (const [method, path] of [
      ['POST', '/_session'],
      ['GET', '/_session'],
      ['GET', '/_all_dbs'],
      ['PUT', '/lapak_x'],
      ['DELETE', '/kiosk'],
    ] as const) {
      const res = await fetch(`${base}${path}`, { method });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/json/);
    }
  });
});

describe('no connection pattern stops a gateway', () => {
  it('survives upgrade requests reset mid-way, to the relay and elsewhere', async () => {
    const s = servers();
    for (const base of [s.store.gatewayUrl, s.central.gatewayUrl]) {
      const { host } = new URL(base);
      for (const path of ['/db/_session', '/', '/relay/x/y', '/nope'])
        for (let i = 0; i < 10; i++)
          await sendThenReset(
            base,
            `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
          );
      for (let i = 0; i < 10; i++)
        await sendThenReset(base, `PUT /db/${a.ops}/x HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 100000\r\n\r\n{"a":`);
    }
    await stillAnswering();
  });
});
