// The gateway in front of a real server: one origin for the app and the database, and a
// guard that keeps PouchDB Server's crash-prone and lax corners away from clients.
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { Raw } from '../testing/http';
import { servers } from '../testing/servers';

describe('gateway', () => {
  it('serves the web app at / and falls back to it for app routes', async () => {
    const root = await fetch(`${servers().store.gatewayUrl}/`);
    const route = await fetch(`${servers().store.gatewayUrl}/setup?brand=X`);
    expect(root.status).toBe(200);
    expect(root.headers.get('cache-control')).toBe('no-cache');
    expect(await route.text()).toBe(await root.text());
  });

  it('tells the app which store it serves', async () => {
    const site = (await (await fetch(`${servers().store.gatewayUrl}/lapak-site.json`)).json()) as Record<string, string>;
    expect(site).toMatchObject({ kind: 'store', db: '/db' });
  });

  it('survives the anonymous requests that crash PouchDB Server', async () => {
    const db = new Raw(`${servers().store.gatewayUrl}/db`);
    expect((await db.put('lapak_does_not_exist', {})).status).toBe(401);
    expect((await db.post('_replicate', { source: 'a', target: 'b' })).status).toBe(401);
    expect((await db.get('_active_tasks')).status).toBe(401);
    expect((await db.get('')).status).toBe(200);
  });

  it('never lets a path leave the upstream server', async () => {
    const res = await fetch(`${servers().store.gatewayUrl}/db//example.invalid/x`);
    expect(res.status).toBe(400);
  });

  it('refuses dot segments, which would carry a request past its checks', async () => {
    // fetch() resolves "..", so the request is sent as a hostile client would: path as is.
    const sendRaw = (method: string, path: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request(`${servers().store.gatewayUrl}/`, { method, path }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end('{}');
      });
    expect(await sendRaw('PUT', '/db/lapak_x/../lapak_gateway_dot_check')).toBe(400);
    expect(await sendRaw('GET', '/db/_utils/%2e%2e/_config')).toBe(400);
    expect((await new Raw(`${servers().store.gatewayUrl}/db`).get('')).status).toBe(200);
  });

  it('lets a server admin manage databases through it', async () => {
    const admin = new Raw(`${servers().store.gatewayUrl}/db`, servers().store.admin);
    expect((await admin.put('lapak_gateway_admin_check', {})).status).toBe(201);
    expect((await admin.del('lapak_gateway_admin_check')).status).toBe(200);
  });

  it('lets a page of another origin call /db with explicit credentials, never with cookies', async () => {
    const { gatewayUrl, admin } = servers().store;
    const origin = 'http://hq.example.test';
    const preflight = await fetch(`${gatewayUrl}/db/_session`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect(preflight.headers.get('access-control-allow-methods')).toMatch(/PUT/);
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();

    const auth = 'Basic ' + Buffer.from(`${admin.username}:${admin.password}`).toString('base64');
    const session = await fetch(`${gatewayUrl}/db/_session`, { headers: { origin, authorization: auth } });
    expect(session.status).toBe(200);
    expect(session.headers.get('access-control-allow-origin')).toBe('*');
    expect(session.headers.get('access-control-allow-credentials')).toBeNull();
    expect(((await session.json()) as { userCtx: { roles: string[] } }).userCtx.roles).toContain('_admin');

    // Refusals are readable too, so that the page can say what is wrong.
    const refused = await fetch(`${gatewayUrl}/db/_active_tasks`, { headers: { origin } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe('*');

    const site = await fetch(`${gatewayUrl}/lapak-site.json`, { headers: { origin } });
    expect(site.headers.get('access-control-allow-origin')).toBe('*');
    // The web app itself stays same-origin only.
    const app = await fetch(`${gatewayUrl}/`, { headers: { origin } });
    expect(app.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('asks the server again about a refused password once an admin writes that account', async () => {
    // Re-running provisioning checks the relay's password before its account exists, then
    // creates it: the check that follows must not get the remembered refusal.
    const { gatewayUrl, admin } = servers().store;
    const name = `gateway-refused-${Date.now()}`;
    const db = new Raw(`${gatewayUrl}/db`);
    const user = db.as({ username: name, password: 'not-yet-an-account' });
    const adminDb = db.as(admin);
    try {
      expect((await user.get('_session')).status).toBe(401);
      const created = await adminDb.put(`_users/org.couchdb.user:${name}`, {
        name,
        type: 'user',
        roles: [],
        password: 'not-yet-an-account',
      });
      expect(created.status).toBe(201);
      await expect.poll(async () => (await user.get('_session')).status, { timeout: 15_000 }).toBe(200);
    } finally {
      const doc = await adminDb.get(`_users/org.couchdb.user:${name}`);
      if (doc.status === 200) await adminDb.del(`_users/org.couchdb.user:${name}?rev=${doc.body._rev as string}`);
    }
  });
});
