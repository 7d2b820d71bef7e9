// The relay against the real store server of the test harness, with real y-websocket clients.
import { randomBytes } from 'node:crypto';
import * as encoding from 'lib0/encoding';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { freePort } from '../couch/testing/free-port';
import { adminOf, servers, uniqueCode } from '../couch/testing/servers';
import { createStore, type PairedTerminal, type TestStore } from '../couch/testing/tenants';
import { waitFor } from '../couch/testing/wait-for';
import { role, userName } from '../design-docs/lib/names';
import { structureErrors } from '../design-docs/lib/structure';
import { ensureUser } from '../scripts/lib/ensure';
import { StepLog } from '../scripts/lib/steps';
import type { HealthReport } from './health';
import { CLOSE_UNASSIGNED, startRelay, type Relay } from './server';

let s: TestStore;
let other: TestStore;
let relay: Relay;
const logs: string[] = [];
const cleanups: (() => void)[] = [];
const relayPassword = `relay-${randomBytes(8).toString('hex')}`;

function cookieOf(t: PairedTerminal): string {
  return (t.client.credentials as { cookie: string }).cookie;
}

function basic(username: string, password: string): string {
  return 'Basic ' + Buffer.from(`${username}:${password}`).toString('base64');
}

/** ws with fixed request headers, as the y-websocket client's WebSocketPolyfill (browsers send the cookie by themselves). */
function withHeaders(headers: Record<string, string>): typeof globalThis.WebSocket {
  class HeaderWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers });
    }
  }
  return HeaderWebSocket as unknown as typeof globalThis.WebSocket;
}

interface Screen {
  doc: Y.Doc;
  provider: WebsocketProvider;
}

/** A Lapak screen: a y-websocket provider on the store's room, publishing its presence. */
function screen(headers: Record<string, string>, presence: Record<string, unknown> | null): Screen {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(relay.url, `${s.tenant}/${s.store}`, doc, {
    WebSocketPolyfill: withHeaders(headers),
    disableBc: true, // two providers in one process would otherwise talk over BroadcastChannel, not the relay
    maxBackoffTime: 500,
  });
  provider.awareness.setLocalState(presence);
  cleanups.push(() => {
    provider.destroy();
    doc.destroy();
  });
  return { doc, provider };
}

function terminalScreen(t: PairedTerminal, extra: Record<string, unknown> = {}): Screen {
  return screen(
    { cookie: cookieOf(t) },
    {
      terminal: t.code,
      type: t.type,
      brand: t.brand,
      deviceId: t.deviceId,
      appVersion: '0.1.0-test',
      pending: 0,
      onlineSince: new Date().toISOString(),
      ...extra,
    },
  );
}

/** The HTTP status with which the relay refuses (or 101 when it accepts) a websocket upgrade. */
function upgradeStatus(path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${relay.port}${path}`, { headers });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', (e) => {
      if (!String(e.message).includes('Unexpected server response')) reject(e);
    });
  });
}

/** A raw websocket on the room, once open. */
function rawSocket(headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(relay.roomUrl, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    cleanups.push(() => ws.terminate());
  });
}

async function heartbeat(code: string): Promise<Record<string, unknown> | null> {
  const res = await adminOf('store').request<Record<string, unknown>>('GET', `${s.directory}/${encodeURIComponent(`heartbeat:${code}`)}`);
  return res.status === 200 ? res.body : null;
}

function presenceCodes(p: WebsocketProvider): string[] {
  return [...p.awareness.getStates().values()].map((st) => String(st.terminal)).sort();
}

beforeAll(async () => {
  const tenant = uniqueCode('rl');
  [s, other] = await Promise.all([createStore(tenant, 'bsd'), createStore(tenant, 'pim')]);
  await ensureUser(
    adminOf('store'),
    new StepLog(false),
    { name: userName.relay(tenant, 'bsd'), roles: [role.relay(tenant, 'bsd')], lapak: { kind: 'relay', tenant, store: 'bsd' } },
    () => relayPassword,
    true,
  );
  relay = await startRelay({
    host: '127.0.0.1',
    port: await freePort(),
    tenant,
    store: 'bsd',
    storeUrl: servers().store.couchUrl,
    relayAuth: { username: userName.relay(tenant, 'bsd'), password: relayPassword },
    admin: servers().store.admin,
    heartbeatMs: 1_500,
    heartbeatMinGapMs: 200,
    maxMessageBytes: 64 * 1024,
    pingMs: 1_000,
    dataDir: servers().dataDir,
    log: (line) => logs.push(line),
  });
});

afterEach(async () => {
  for (const c of cleanups.splice(0)) c();
  await waitFor('the relay to see every client leave', async () => (relay.clients().length === 0 ? true : null), 10_000);
});

afterAll(async () => {
  await relay?.close();
});

describe('edge relay', () => {
  it('refuses the anonymous, bad passwords, other paths and other stores', async () => {
    const kiosk = s.terminals['KIOSK-GEPREK-01']!;
    const room = `/relay/${s.tenant}/${s.store}`;
    expect(await upgradeStatus(room)).toBe(401);
    expect(await upgradeStatus(room, { authorization: basic(kiosk.userName, 'wrong') })).toBe(401);
    expect(await upgradeStatus(room, { cookie: 'AuthSession=bogus' })).toBe(401);
    expect(await upgradeStatus('/relay', { cookie: cookieOf(kiosk) })).toBe(404);
    expect(await upgradeStatus(`/relay/${s.tenant}/${s.store}/x`, { cookie: cookieOf(kiosk) })).toBe(404);
    expect(await upgradeStatus(`/relay/${s.tenant}/pim`, { cookie: cookieOf(kiosk) })).toBe(404);
    // A terminal of another store of the same tenant, logged in for real: not a member of this store.
    expect(await upgradeStatus(room, { cookie: cookieOf(other.terminals['KIOSK-GEPREK-01']!) })).toBe(403);
    // The relay's own account is no member either.
    expect(await upgradeStatus(room, { authorization: basic(userName.relay(s.tenant, s.store), relayPassword) })).toBe(403);
    // Members: a terminal (cookie or basic auth), the store manager, a server admin.
    expect(await upgradeStatus(room, { cookie: cookieOf(kiosk) })).toBe(101);
    expect(await upgradeStatus(room, { authorization: basic(kiosk.userName, kiosk.secret) })).toBe(101);
    expect(await upgradeStatus(room, { authorization: basic(s.storeAdmin.name, s.storeAdmin.password) })).toBe(101);
    expect(await upgradeStatus(room, { authorization: basic(servers().store.admin.username, servers().store.admin.password) })).toBe(101);
    // Not a websocket: the room path says so, anything else is not found.
    expect((await fetch(`http://127.0.0.1:${relay.port}${room}`)).status).toBe(426);
    expect((await fetch(`http://127.0.0.1:${relay.port}/nope`)).status).toBe(404);
  });

  it('writes a heartbeat for a connected terminal at once, and again when it disconnects', async () => {
    const kasir = s.terminals['KASIR-GEPREK-01']!;
    const before = Date.now();
    const { provider } = terminalScreen(kasir);
    const doc = await waitFor('the heartbeat', () => heartbeat(kasir.code), 5_000);
    expect(doc).toMatchObject({
      _id: `heartbeat:${kasir.code}`,
      type: 'heartbeat',
      schema: 1,
      tenant: s.tenant,
      store: s.store,
      terminal: kasir.code,
      device_id: kasir.deviceId,
      app_version: '0.1.0-test',
    });
    expect(structureErrors(doc)).toEqual([]);
    expect(Date.parse(String(doc.last_seen))).toBeGreaterThanOrEqual(before - 1_000);
    expect(relay.clients()).toMatchObject([
      { user: kasir.userName, kind: 'terminal', terminal: kasir.code, presence: [{ terminal: kasir.code }] },
    ]);

    // Throttled, it keeps being refreshed while connected (1.5 s in this test, a minute by default).
    const firstRev = String(doc._rev);
    const refreshed = await waitFor('a refreshed heartbeat', async () => {
      const d = await heartbeat(kasir.code);
      return d && d._rev !== firstRev ? d : null;
    });
    expect(Date.parse(String(refreshed.last_seen))).toBeGreaterThan(Date.parse(String(doc.last_seen)));

    // On disconnect, one more.
    await new Promise((r) => setTimeout(r, 300));
    const lastRev = String((await heartbeat(kasir.code))!._rev);
    const disconnectedAt = Date.now();
    provider.destroy();
    const final = await waitFor('the disconnect heartbeat', async () => {
      const d = await heartbeat(kasir.code);
      return d && d._rev !== lastRev ? d : null;
    });
    expect(Date.parse(String(final.last_seen))).toBeGreaterThanOrEqual(disconnectedAt - 1_000);
  });

  it('shares presence between terminals, and takes heartbeats from the account, not from presence', async () => {
    const kioskA = s.terminals['KIOSK-GEPREK-01']!;
    const kioskB = s.terminals['KIOSK-NASGR-01']!;
    const kitchen = s.terminals['KITCHEN-GEPREK']!;
    const a = terminalScreen(kioskA);
    const b = terminalScreen(kioskB);
    await waitFor('both presences at A', async () => (presenceCodes(a.provider).length === 2 ? true : null), 10_000);
    await waitFor('both presences at B', async () => (presenceCodes(b.provider).length === 2 ? true : null), 10_000);
    expect(presenceCodes(a.provider)).toEqual([kioskA.code, kioskB.code].sort());
    const seenByA = [...a.provider.awareness.getStates().values()].find((st) => st.terminal === kioskB.code);
    expect(seenByA).toMatchObject({ type: 'kiosk', brand: 'NASGORENG', deviceId: kioskB.deviceId, pending: 0 });

    // The kitchen display claims to be kiosk A: the relay takes none of that presence, and writes no heartbeat for A from it.
    const spoofStart = Date.now();
    const spoof = terminalScreen(kitchen, { terminal: kioskA.code, deviceId: kioskA.deviceId });
    await waitFor('the kitchen to be connected', async () => (spoof.provider.wsconnected ? true : null));
    await waitFor('the kitchen heartbeat', async () => {
      const d = await heartbeat(kitchen.code);
      return d && Date.parse(String(d.last_seen)) >= spoofStart - 1_000 ? d : null;
    });
    // Its own heartbeat carries its bound device, not the one it claims.
    expect((await heartbeat(kitchen.code))!.device_id).toBe(kitchen.deviceId);
    expect(presenceCodes(a.provider)).toEqual([kioskA.code, kioskB.code].sort());
    expect(relay.clients().find((c) => c.terminal === kitchen.code)?.presence).toEqual([]);
    expect(logs.join('\n')).toMatch(/presence refused: claims terminal/);
  });

  it('drops a 2 MB message and malformed ones without disturbing other clients', async () => {
    const kiosk = s.terminals['KIOSK-GEPREK-01']!;
    const good = terminalScreen(kiosk);
    await waitFor('the good client to sync', async () => (good.provider.synced ? true : null));

    const noisy = await rawSocket({ authorization: basic(s.storeAdmin.name, s.storeAdmin.password) });
    // Malformed messages, and an awareness update for the client id of another connection (here: removing it),
    // are dropped; their sender stays connected.
    const hijack = encoding.createEncoder();
    encoding.writeVarUint(hijack, 1);
    const update = encoding.createEncoder();
    encoding.writeVarUint(update, 1);
    encoding.writeVarUint(update, good.doc.clientID);
    encoding.writeVarUint(update, 1_000_000);
    encoding.writeVarString(update, 'null');
    encoding.writeVarUint8Array(hijack, encoding.toUint8Array(update));
    noisy.send(encoding.toUint8Array(hijack));
    for (const m of [Buffer.from([1, 200, 1, 0xff]), Buffer.from([0, 0]), Buffer.from([99]), Buffer.alloc(0), randomBytes(1000)])
      noisy.send(m);
    noisy.send('text is not the protocol');
    await new Promise((r) => setTimeout(r, 300));
    expect(noisy.readyState).toBe(WebSocket.OPEN);
    expect(relay.clients().find((c) => c.terminal === kiosk.code)?.presence).toMatchObject([{ terminal: kiosk.code }]);
    expect(logs.join('\n')).toMatch(/belongs to another connection/);

    // 2 MB: that connection is closed with 1009, the others stay.
    const bomber = await rawSocket({ cookie: cookieOf(s.terminals['KIOSK-NASGR-01']!) });
    const closed = new Promise<number>((resolve) => bomber.once('close', (code) => resolve(code)));
    bomber.send(randomBytes(2 * 1024 * 1024));
    expect(await closed).toBe(1009);
    expect(good.provider.wsconnected).toBe(true);
    expect(noisy.readyState).toBe(WebSocket.OPEN);

    // The relay still carries presence: a new screen sees the good one and vice versa.
    const late = terminalScreen(s.terminals['KASIR-GEPREK-01']!);
    await waitFor('presence after the garbage', async () => (presenceCodes(good.provider).includes('KASIR-GEPREK-01') ? true : null));
    expect(presenceCodes(late.provider)).toContain(kiosk.code);
    expect(relay.clients().map((c) => c.terminal)).toEqual(expect.arrayContaining([kiosk.code, 'KASIR-GEPREK-01', null]));
  });

  it('terminates connections that stop answering pings', async () => {
    const silent = await rawSocket({ authorization: basic(s.storeAdmin.name, s.storeAdmin.password) });
    // Answer no pings: ws answers them by itself unless the socket is paused.
    silent.pause();
    const closed = new Promise<void>((resolve) => silent.once('close', () => resolve()));
    await waitFor('the relay to count it', async () => (relay.clients().length === 1 ? true : null));
    await waitFor('the relay to drop it', async () => (relay.clients().length === 0 ? true : null), 5_000);
    silent.resume();
    await closed;
  });

  it('disconnects, for good, a terminal whose device is no longer bound', async () => {
    const kitchen = s.terminals['KITCHEN-GEPREK']!;
    const { provider } = terminalScreen(kitchen);
    await waitFor('the kitchen to sync', async () => (provider.synced ? true : null));
    const binding = await adminOf('store').request<{ _rev: string }>('GET', `${s.directory}/binding%3A${kitchen.code}`);
    const closedFor = new Promise<{ code: number }>((resolve) => provider.once('closed', (e: { code: number }) => resolve(e)));
    await adminOf('store').request('DELETE', `${s.directory}/binding%3A${kitchen.code}?rev=${binding.body._rev}`);
    expect((await closedFor).code).toBe(CLOSE_UNASSIGNED);
    expect(provider.shouldConnect).toBe(false);
  });

  it('reports health: the store server, clients, online terminals and replication state', async () => {
    const kiosk = s.terminals['KIOSK-GEPREK-01']!;
    const { provider } = terminalScreen(kiosk);
    await waitFor('the heartbeat', async () => (provider.synced && (await heartbeat(kiosk.code)) ? true : null));
    const started = Date.now();
    const res = await fetch(relay.healthUrl);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(res.status).toBe(200);
    const h = (await res.json()) as HealthReport;
    expect(h).toMatchObject({ status: 'healthy', store_db: 'reachable', connected_clients: 1 });
    expect(h.terminals_online).toContain(kiosk.code);
    expect(h.terminals_online).not.toContain('KIOSK-GEPREK-99');
    expect(h.replication.map((r) => r.id).sort()).toEqual(
      ['catalog_down', 'control_down', 'control_up', 'directory_down', 'directory_up', 'ops_down', 'ops_up'].map(
        (k) => `lapak_${s.tenant}_${s.store}_${k}`,
      ),
    );
    for (const r of h.replication) {
      expect(r.state).toMatch(/\w+/);
      expect(r.error).toBeUndefined();
    }
    expect(h.uptime_seconds).toBeGreaterThanOrEqual(0);
    expect(h.disk_free_bytes).toBeGreaterThan(0);
    expect(Date.parse(h.checked_at)).not.toBeNaN();
    if (h.docs_pending === null) expect(h.docs_pending_note).toBeTruthy();
  });

  it('takes a cookie made through the gateway, as a browser has it', async () => {
    const kiosk = s.terminals['KIOSK-GEPREK-01']!;
    const res = await fetch(`${servers().store.gatewayUrl}/db/_session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: kiosk.userName, password: kiosk.secret }),
    });
    const setCookie = res.headers.get('set-cookie') ?? '';
    // Path=/ (or none): the browser sends it to /relay on the same origin too.
    expect(setCookie).not.toMatch(/Path=\/db/i);
    expect(await upgradeStatus(`/relay/${s.tenant}/${s.store}`, { cookie: setCookie.split(';')[0]! })).toBe(101);
  });
});
