// Hostile clients of the edge relay: a kiosk that opens hundreds of connections, sockets that
// send garbage or vanish mid-handshake, and a device that keeps its connection after it was
// unassigned. Every attack is refused or survived while the other terminals keep working.
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startTerminalRequests } from '../agent/terminal-requests';
import { role, userName } from '../../design-docs/lib/names';
import { newTerminalRequestId, SCHEMA_VERSION, type TerminalRequest } from '../../design-docs/lib/types';
import { CLOSE_UNASSIGNED, startRelay, type Relay } from '../../edge-relay/server';
import { ensureUser } from '../../scripts/lib/ensure';
import { StepLog } from '../../scripts/lib/steps';
import { unassignTerminal } from '../../scripts/lib/unassign';
import { freePort } from '../testing/free-port';
import { enc } from '../testing/http';
import { adminOf, servers, uniqueCode } from '../testing/servers';
import { createStore, pair, storeGateway, type PairedTerminal, type TestStore } from '../testing/tenants';
import { waitFor } from '../testing/wait-for';

let s: TestStore;
let relay: Relay;
const logs: string[] = [];
const cleanups: (() => void)[] = [];
const relayPassword = `relay-${randomBytes(8).toString('hex')}`;
const PER_ACCOUNT = 4;
const PER_ADDRESS = 8;

const cookieOf = (t: PairedTerminal) => (t.client.credentials as { cookie: string }).cookie;
const basic = (user: string, password: string) => 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');

interface Attempt {
  status: number;
  body: string;
  ws: WebSocket | null;
}

/** One websocket upgrade: 101 with the open socket, or the refusal's status and body. */
function upgrade(headers: Record<string, string>, localAddress = '127.0.0.1'): Promise<Attempt> {
  return new Promise((resolve) => {
    const ws = new WebSocket(relay.roomUrl, { headers, localAddress });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, ws: null }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, body, ws: null }));
    });
    ws.on('open', () => {
      cleanups.push(() => ws.terminate());
      resolve({ status: 101, body: '', ws });
    });
    ws.on('error', (e) => {
      if (!String(e.message).includes('Unexpected server response')) resolve({ status: 0, body: e.message, ws: null });
    });
  });
}

async function heartbeat(code: string): Promise<Record<string, unknown> | null> {
  const res = await adminOf('store').request<Record<string, unknown>>('GET', `${s.directory}/${enc(`heartbeat:${code}`)}`);
  return res.status === 200 ? res.body : null;
}

/** Waits for a heartbeat of `code` written after `since`. */
const freshHeartbeat = (code: string, since: number) =>
  waitFor(`a heartbeat of ${code}`, async () => {
    const d = await heartbeat(code);
    return d && Date.parse(String(d.last_seen)) >= since - 1_000 ? d : null;
  });

/** Raw TCP to the relay, for what no websocket library sends. */
function tcp(localAddress = '127.0.0.1'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: '127.0.0.1', port: relay.port, localAddress }, () => resolve(sock));
    sock.on('error', reject);
    cleanups.push(() => sock.destroy());
  });
}

/** Writes bytes and collects what comes back until the relay closes the socket (or 3 s pass). */
function exchange(sock: Socket, bytes: string | Uint8Array): Promise<string> {
  return new Promise((resolve) => {
    let got = '';
    const done = () => resolve(got);
    sock.removeAllListeners('error');
    sock.on('error', done);
    sock.on('data', (d: Buffer) => (got += d.toString('latin1')));
    sock.on('close', done);
    setTimeout(done, 3_000).unref();
    sock.write(bytes);
  });
}

function upgradeRequest(headers: Record<string, string>): string {
  const lines = [`GET /relay/${s.tenant}/${s.store} HTTP/1.1`, `Host: 127.0.0.1:${relay.port}`];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  return lines.join('\r\n') + '\r\n\r\n';
}

const handshake = (cookie: string) =>
  upgradeRequest({
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Version': '13',
    'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
    Cookie: cookie,
  });

async function relayIsHealthy(): Promise<void> {
  const res = await fetch(relay.healthUrl);
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  const tenant = uniqueCode('hr');
  s = await createStore(tenant, 'bsd');
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
    // The default minute: nothing in these tests may wait for a heartbeat tick to lock a device out.
    heartbeatMs: 60_000,
    heartbeatMinGapMs: 200,
    pingMs: 2_000,
    maxConnectionsPerAccount: PER_ACCOUNT,
    maxConnectionsPerAddress: PER_ADDRESS,
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

describe('hostile: the edge relay', () => {
  it('gives a kiosk that opens 500 connections only its share, while every other terminal keeps working', async () => {
    const kiosk = s.terminals['KIOSK-GEPREK-01']!;
    const kasir = s.terminals['KASIR-GEPREK-01']!;
    const before = Date.now();
    const working = await upgrade({ cookie: cookieOf(kasir) });
    expect(working.status).toBe(101);
    await freshHeartbeat(kasir.code, before);

    // The flood comes from its own address (loopback has all of 127/8).
    const flood = await Promise.all(Array.from({ length: 500 }, () => upgrade({ cookie: cookieOf(kiosk) }, '127.0.0.2')));
    const statuses = flood.map((a) => a.status);
    expect(statuses.filter((x) => x === 101)).toHaveLength(PER_ACCOUNT);
    expect(statuses.filter((x) => x === 429)).toHaveLength(500 - PER_ACCOUNT);
    const reasons = new Set(flood.filter((a) => a.status === 429).map((a) => a.body.trim()));
    for (const r of reasons) expect(r).toMatch(/^Too many relay connections (for terminal\.|from this address)/);
    expect([...reasons].some((r) => r.includes(`for ${kiosk.userName} (at most ${PER_ACCOUNT})`))).toBe(true);
    // Refusals are logged once per burst, not 496 times.
    expect(logs.filter((l) => l.includes(`refused upgrades of ${kiosk.userName}`)).length).toBe(1);

    // The cashier connected before the flood is still there, and another terminal connects and heartbeats.
    expect(working.ws!.readyState).toBe(WebSocket.OPEN);
    const nasgr = s.terminals['KIOSK-NASGR-01']!;
    const later = Date.now();
    expect((await upgrade({ cookie: cookieOf(nasgr) })).status).toBe(101);
    await freshHeartbeat(nasgr.code, later);
    expect(relay.clients().filter((c) => c.terminal === kiosk.code)).toHaveLength(PER_ACCOUNT);

    // Once the kiosk closes its connections, its slots are free again.
    for (const a of flood) a.ws?.terminate();
    await waitFor('the kiosk connections to close', async () => (relay.clients().some((c) => c.terminal === kiosk.code) ? null : true));
    expect((await upgrade({ cookie: cookieOf(kiosk) }, '127.0.0.2')).status).toBe(101);
    await relayIsHealthy();
  });

  it('limits connections per address before asking CouchDB who is calling', async () => {
    const admin = servers().store.admin;
    const holders = [
      ...Array.from({ length: PER_ACCOUNT }, () => ({ authorization: basic(s.storeAdmin.name, s.storeAdmin.password) })),
      ...Array.from({ length: PER_ADDRESS - PER_ACCOUNT }, () => ({ authorization: basic(admin.username, admin.password) })),
    ];
    const held = await Promise.all(holders.map((h) => upgrade(h, '127.0.0.3')));
    expect(held.map((a) => a.status)).toEqual(holders.map(() => 101));
    const kiosk = s.terminals['KIOSK-NASGR-01']!;
    const over = await upgrade({ cookie: cookieOf(kiosk) }, '127.0.0.3');
    expect(over.status).toBe(429);
    expect(over.body).toMatch(new RegExp(`Too many relay connections from this address \\(at most ${PER_ADDRESS}\\)`));
    // Anonymous floods from that address are refused the same way, without a /_session lookup each.
    expect((await upgrade({}, '127.0.0.3')).status).toBe(429);
    // The same kiosk from its own address is fine.
    expect((await upgrade({ cookie: cookieOf(kiosk) }, '127.0.0.4')).status).toBe(101);
    await relayIsHealthy();
  });

  it('survives malformed upgrades, resets mid-handshake and garbage frames', async () => {
    const kiosk = s.terminals['KIOSK-GEPREK-01']!;
    // Not HTTP at all: 400 from the HTTP parser.
    expect(await exchange(await tcp(), new Uint8Array([...randomBytes(64), 13, 10, 13, 10]))).toMatch(/^HTTP\/1\.1 400/);
    // An upgrade without a key or version, authenticated: the websocket handshake refuses it.
    expect(await exchange(await tcp(), upgradeRequest({ Upgrade: 'websocket', Connection: 'Upgrade', Cookie: cookieOf(kiosk) }))).toMatch(
      /^HTTP\/1\.1 400/,
    );
    // An absurd header block.
    expect(await exchange(await tcp(), upgradeRequest({ Upgrade: 'websocket', 'X-Junk': 'x'.repeat(100_000) }))).toMatch(
      /^HTTP\/1\.1 431|^HTTP\/1\.1 400|^$/,
    );
    // 60 clients that reset the connection while the relay is still asking CouchDB who they are.
    await Promise.all(
      Array.from({ length: 60 }, async () => {
        const sock = await tcp('127.0.0.5');
        sock.write(handshake(cookieOf(kiosk)));
        sock.resetAndDestroy();
      }),
    );
    await waitFor('the relay to finish asking about the reset clients', async () => (relay.pendingUpgrades() === 0 ? true : null));
    // Garbage after a good handshake: unmasked frames, reserved opcodes, a length of 2^63, random bytes.
    const garbage = [
      new Uint8Array([0x81, 0x05, 0x68, 0x65, 0x6c, 0x6c, 0x6f]),
      new Uint8Array([0x83, 0x80, 1, 2, 3, 4]),
      new Uint8Array([0x82, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4]),
      new Uint8Array(randomBytes(4096)),
    ];
    // (From the cashier, so that no reset kiosk socket the relay has yet to notice holds a slot it needs.)
    const kasir = s.terminals['KASIR-GEPREK-01']!;
    for (const g of garbage) {
      const sock = await tcp('127.0.0.6');
      const answer = await new Promise<string>((resolve) => {
        sock.once('data', (d: Buffer) => resolve(d.toString('latin1')));
        sock.write(handshake(cookieOf(kasir)));
      });
      expect(answer).toMatch(/^HTTP\/1\.1 101/);
      sock.write(g);
      await new Promise<void>((resolve) => {
        sock.on('close', () => resolve());
        sock.on('error', () => resolve());
      });
    }
    // A client that vanishes after its handshake, without a close frame.
    const vanish = await tcp('127.0.0.6');
    vanish.write(handshake(cookieOf(kiosk)));
    await new Promise((r) => vanish.once('data', r));
    vanish.resetAndDestroy();

    // Still serving: health, a new screen that heartbeats, and no slot leaked by any of the above.
    await relayIsHealthy();
    await waitFor('the relay to drop the broken sockets', async () => (relay.clients().length === 0 ? true : null), 10_000);
    const again = await Promise.all(Array.from({ length: PER_ACCOUNT }, () => upgrade({ cookie: cookieOf(kiosk) }, '127.0.0.5')));
    expect(again.map((a) => a.status)).toEqual(again.map(() => 101));
    const since = Date.now();
    await freshHeartbeat(kiosk.code, since);
  });

  it('closes the old device’s connections at once when it is unassigned, and never lets them back', async () => {
    const kiosk = s.terminals['KIOSK-NASGR-01']!;
    const byCookie = await upgrade({ cookie: cookieOf(kiosk) });
    const bySecret = await upgrade({ authorization: basic(kiosk.userName, kiosk.secret) });
    expect([byCookie.status, bySecret.status]).toEqual([101, 101]);
    const bystander = await upgrade({ cookie: cookieOf(s.terminals['KIOSK-GEPREK-01']!) });
    const closed = [byCookie, bySecret].map(
      (a) =>
        new Promise<{ code: number; reason: string }>((resolve) =>
          a.ws!.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
        ),
    );
    await waitFor('the first heartbeat', async () => (await heartbeat(kiosk.code)) ?? null);

    const started = Date.now();
    const result = await unassignTerminal(adminOf('store'), s.tenant, s.store, kiosk.code, servers().store.gatewayUrl);
    for (const c of await Promise.all(closed))
      expect(c).toEqual({ code: CLOSE_UNASSIGNED, reason: `terminal ${kiosk.code} was unassigned` });
    // Well inside the heartbeat minute: the relay follows the directory's changes.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(bystander.ws!.readyState).toBe(WebSocket.OPEN);
    // The old cookie and the old secret open nothing any more.
    expect((await upgrade({ cookie: cookieOf(kiosk) })).status).toBe(401);
    expect((await upgrade({ authorization: basic(kiosk.userName, kiosk.secret) })).status).toBe(401);

    // Someone holding the new code connects with it before the replacement pairs: pairing (new password,
    // new binding) closes that connection too, and the replacement's own connection stays.
    const withCode = await upgrade({ authorization: basic(kiosk.userName, result.code) });
    expect(withCode.status).toBe(101);
    const codeClosed = new Promise<number>((resolve) => withCode.ws!.once('close', (code) => resolve(code)));
    const replacement = await pair(s, {
      terminal: kiosk.code,
      brand: kiosk.brand,
      type: kiosk.type,
      code: result.code,
      setupUrl: result.setupUrl,
    });
    expect(await codeClosed).toBe(CLOSE_UNASSIGNED);
    const fresh = await upgrade({ cookie: cookieOf(replacement) });
    expect(fresh.status).toBe(101);
    expect((await upgrade({ authorization: basic(kiosk.userName, kiosk.secret) })).status).toBe(401);
    expect((await upgrade({ authorization: basic(kiosk.userName, result.code) })).status).toBe(401);
    await new Promise((r) => setTimeout(r, 500)); // a later binding re-check must not touch the replacement
    expect(fresh.ws!.readyState).toBe(WebSocket.OPEN);
  });

  it('closes the old device’s connection when HQ’s unassign request is carried out by the store agent', async () => {
    const kasir = s.terminals['KASIR-GEPREK-01']!;
    const conn = await upgrade({ cookie: cookieOf(kasir) });
    expect(conn.status).toBe(101);
    const closed = new Promise<number>((resolve) => conn.ws!.once('close', (code) => resolve(code)));
    const agent = startTerminalRequests({
      store: adminOf('store'),
      tenant: s.tenant,
      storeCode: s.store,
      storePublicUrl: servers().store.gatewayUrl,
      pollMs: 1_000,
    });
    cleanups.push(() => agent.stop());
    // The request as replication brings it down from central (here written at the store by its manager).
    const requestedAt = new Date().toISOString();
    const id = newTerminalRequestId(requestedAt, randomBytes(4).toString('hex'));
    const request: TerminalRequest = {
      _id: id,
      type: 'terminal_request',
      schema: SCHEMA_VERSION,
      tenant: s.tenant,
      store: s.store,
      action: 'unassign',
      terminal: kasir.code,
      requested_by: s.storeAdmin.name,
      requested_at: requestedAt,
    };
    const put = await storeGateway()
      .as({ username: s.storeAdmin.name, password: s.storeAdmin.password })
      .put(`lapak_${s.tenant}_${s.store}_control/${enc(id)}`, request);
    expect(put.status).toBe(201);
    expect(await closed).toBe(CLOSE_UNASSIGNED);
    expect((await upgrade({ cookie: cookieOf(kasir) })).status).toBe(401);
  });
});
