// The payment connector against the run's store server and the provider simulator: a paired
// kiosk writes an order and a payment request with its own credentials, the connector (its
// own account) charges, records and confirms. Notifications, lost notifications, forged ones,
// an unreachable provider, expiry and a restart each write every outcome at most once.
import { randomBytes } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { order, paymentRequest, type TerminalSpec } from '../../design-docs/testing/fixtures';
import type { Order, PaymentRequest } from '../../design-docs/lib/types';
import { freePort } from '../testing/free-port';
import { enc } from '../testing/http';
import { adminOf, servers, uniqueCode } from '../testing/servers';
import { createStore, type PairedTerminal, type TestStore } from '../testing/tenants';
import { waitFor } from '../testing/wait-for';
import { startConnector, type Connector, type ConnectorOptions } from './connector';
import { signatureKey } from './midtrans';
import { outcomeIds, paymentId, requestKey, updateId } from './outcome-docs';
import { startProviderSimulator, type ProviderSimulator } from './simulator';

const SERVER_KEY = `SB-Mid-server-${randomBytes(6).toString('hex')}`;
const connectorPassword = `connector-${randomBytes(8).toString('hex')}`;
const logs: string[] = [];
const keep = (line: string) => {
  logs.push(line);
  if (process.env.LAPAK_TEST_SERVER_LOG) console.error(line);
};

let s: TestStore;
let sim: ProviderSimulator;
let connector: Connector;

type Doc = Record<string, unknown> & { _id: string; _rev: string };

const kioskOf = (t: TestStore) => t.terminals['KIOSK-GEPREK-01']!;
const spec = (t: TestStore, k: PairedTerminal): TerminalSpec => ({
  tenant: t.tenant,
  store: t.store,
  code: k.code,
  type: k.type,
  brand: k.brand,
});

function connectorOptions(t: TestStore, extra: Partial<ConnectorOptions> = {}): ConnectorOptions {
  return {
    storeUrl: servers().store.couchUrl,
    tenant: t.tenant,
    store: t.store,
    password: connectorPassword,
    providerUrl: sim.url,
    serverKey: SERVER_KEY,
    pollMs: 1_000,
    maxBackoffMs: 2_000,
    log: keep,
    ...extra,
  };
}

/** What the kiosk writes, as the kiosk: an order paid by QRIS, then the request to charge it. */
async function kioskRequests(
  t: TestStore = s,
  overrides: Partial<PaymentRequest> = {},
): Promise<{ order: Order; request: PaymentRequest; key: string }> {
  const k = kioskOf(t);
  const o: Order = { ...order(spec(t, k), { pay_at: 'qris' }), device_id: k.deviceId };
  const put = await k.client.put(`${t.ops}/${enc(o._id)}`, o);
  expect(put.status, JSON.stringify(put.body)).toBe(201);
  const request: PaymentRequest = {
    ...paymentRequest(spec(t, k), o._id, { order_total: o.total, amount: o.total }),
    device_id: k.deviceId,
    ...overrides,
  };
  const res = await k.client.put(`${t.ops}/${enc(request._id)}`, request);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { order: o, request, key: requestKey(request._id)! };
}

/** The documents of these ids that exist, by id (read as the server admin, who sees what is there). */
async function docs(ids: string[], t: TestStore = s): Promise<Record<string, Doc>> {
  const res = await adminOf('store').request<{ rows: { id?: string; doc?: Doc }[] }>('POST', `${enc(t.ops)}/_all_docs?include_docs=true`, {
    keys: ids,
  });
  const out: Record<string, Doc> = {};
  for (const row of res.body.rows) if (row.doc) out[row.doc._id] = row.doc;
  return out;
}

const outcomes = (key: string, t: TestStore = s) => docs(outcomeIds(key), t);

const waitForDoc = (id: string, t: TestStore = s, timeoutMs?: number) =>
  waitFor(`${id} to be written`, async () => (await docs([id], t))[id], timeoutMs);

/** Every payment the store holds for an order, by whoever wrote it. */
async function paymentsOf(orderId: string): Promise<Doc[]> {
  const res = await adminOf('store').request<{ rows: { doc: Doc }[] }>(
    'GET',
    `${enc(s.ops)}/_all_docs?include_docs=true&startkey=${enc('"payment:"')}&endkey=${enc('"payment:\ufff0"')}`,
  );
  return res.body.rows.map((r) => r.doc).filter((d) => d.order_id === orderId);
}

function postNotification(body: unknown, url = connector.notifyUrl): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** Two complete polls of open charges: whatever the connector would do about the current state, it has done. */
async function settledDown(c: Connector = connector): Promise<void> {
  await c.nextPoll();
  await c.nextPoll();
}

/** A TCP link to the store server that can be cut and restored on the same port: the store server, as the connector sees it, goes down. */
async function storeLink(): Promise<{ url: string; cut(): Promise<void>; restore(): Promise<void>; close(): Promise<void> }> {
  const target = new URL(servers().store.couchUrl);
  const port = await freePort();
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = createServer((client) => {
        const upstream = connect(Number(target.port), target.hostname);
        for (const sock of [client, upstream]) {
          sockets.add(sock);
          sock.on('close', () => sockets.delete(sock));
          sock.on('error', () => {
            client.destroy();
            upstream.destroy();
          });
        }
        client.pipe(upstream).pipe(client);
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  const cut = async () => {
    const s = server;
    server = null;
    for (const sock of sockets) sock.destroy();
    if (s) await new Promise<void>((resolve) => (s as Server).close(() => resolve()));
  };
  await listen();
  return { url: `http://127.0.0.1:${port}`, cut, restore: listen, close: cut };
}

beforeAll(async () => {
  // Provisioning creates the connector's account (role connector:<t>:<s>, a member of ops) when given its password.
  s = await createStore(uniqueCode('pc'), 'bsd', { targets: { connectorPassword } });
  sim = await startProviderSimulator({ serverKey: SERVER_KEY, log: keep });
  connector = await startConnector(connectorOptions(s));
  sim.setNotifyUrl(connector.notifyUrl);
  await waitFor('the connector to read the ops history', () => connector.caughtUp().then(() => true), 30_000);
}, 180_000);

afterAll(async () => {
  await connector?.stop();
  await sim?.close();
});

describe('a kiosk asks, the provider settles, the connector confirms', () => {
  it('pending with the QR code, then exactly one payment by the connector once the provider notifies', async () => {
    const { order: o, request, key } = await kioskRequests();
    const pending = await waitForDoc(updateId(key, 'pending'));
    const tx = sim.transaction(key)!;
    expect(tx).toMatchObject({ amount: o.total, transaction_status: 'pending' });
    expect(pending).toMatchObject({
      type: 'payment_update',
      writer: 'connector',
      status: 'pending',
      provider: 'midtrans',
      request_id: request._id,
      order_id: o._id,
      brand: o.brand,
      qr_string: tx.qr_string,
      reference: tx.transaction_id,
    });
    expect(String(pending.qr_string)).toContain(key);
    const expiresIn = Date.parse(String(pending.expires_at)) - Date.now();
    expect(expiresIn).toBeGreaterThan(13 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(15 * 60_000);
    for (const f of ['terminal', 'terminal_type', 'device_id']) expect(pending).not.toHaveProperty(f);
    expect(await paymentsOf(o._id)).toEqual([]);

    // The endpoint answers after the status check and the write: the payment is there when settle() returns.
    expect(await sim.settle(key)).toBe(200);
    const paid = await paymentsOf(o._id);
    expect(paid).toHaveLength(1);
    expect(paid[0]).toMatchObject({
      _id: paymentId(key),
      type: 'payment',
      writer: 'connector',
      method: 'qris',
      amount: request.amount,
      order_total: o.total,
      reference: tx.transaction_id,
      request_id: request._id,
      provider: 'midtrans',
      order_id: o._id,
      order_brand: o.brand,
      order_store: s.store,
      brand: o.brand,
    });
    for (const f of ['terminal', 'terminal_type', 'device_id']) expect(paid[0]).not.toHaveProperty(f);
    expect(Object.keys(await outcomes(key)).sort()).toEqual([paymentId(key), updateId(key, 'pending')].sort());
  });

  it('the same notification delivered twice (and polled after) writes one payment', async () => {
    const { order: o, key } = await kioskRequests();
    await waitForDoc(updateId(key, 'pending'));
    expect(await sim.settle(key)).toBe(200);
    expect(await sim.notify(key)).toBe(200);
    expect((await postNotification(sim.notification(key))).status).toBe(200);
    await settledDown();
    const paid = await paymentsOf(o._id);
    expect(paid).toHaveLength(1);
    expect(paid[0]!._rev).toMatch(/^1-/);
  });

  it('a lost notification: polling finds the settlement', async () => {
    const { order: o, key } = await kioskRequests();
    await waitForDoc(updateId(key, 'pending'));
    sim.setDropNotifications(true);
    try {
      expect(await sim.settle(key)).toBeNull();
      const payment = await waitForDoc(paymentId(key));
      expect(payment).toMatchObject({ amount: o.total, reference: sim.transaction(key)!.transaction_id });
    } finally {
      sim.setDropNotifications(false);
    }
  });
});

describe('what is not a payment', () => {
  it('a notification with a bad signature gets 401 and writes nothing', async () => {
    const { order: o, key } = await kioskRequests();
    await waitForDoc(updateId(key, 'pending'));
    const before = await outcomes(key);
    const tx = sim.transaction(key)!;
    // Claiming settlement: the real signature of the pending state, or one made with the wrong key.
    const claim = { ...sim.notification(key), status_code: '200', transaction_status: 'settlement' };
    expect((await postNotification(claim)).status).toBe(401);
    const forged = { ...claim, signature_key: signatureKey(key, '200', tx.gross_amount, 'SB-Mid-server-guessed') };
    expect((await postNotification(forged)).status).toBe(401);
    expect((await postNotification({ ...claim, signature_key: undefined })).status).toBe(401);
    const junk = await fetch(connector.notifyUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"order_id":',
    });
    expect(junk.status).toBe(400);
    // A correctly signed notification of the pending state changes nothing either: the status check says pending.
    expect((await postNotification(sim.notification(key))).status).toBe(200);
    await settledDown();
    expect(await outcomes(key)).toEqual(before);
    expect(await paymentsOf(o._id)).toEqual([]);
  });

  it('provider down: failed with provider_unreachable, and nothing more once it is back', async () => {
    sim.setDown(true);
    const { key, order: o } = await kioskRequests().catch((e: unknown) => {
      sim.setDown(false);
      throw e;
    });
    try {
      const failed = await waitForDoc(updateId(key, 'failed'));
      expect(failed).toMatchObject({ status: 'failed', reason: 'provider_unreachable', writer: 'connector' });
    } finally {
      sim.setDown(false);
    }
    await settledDown();
    expect(Object.keys(await outcomes(key))).toEqual([updateId(key, 'failed')]);
    expect(await paymentsOf(o._id)).toEqual([]);
    expect(sim.transaction(key)).toBeUndefined();
  });

  it('the provider expires the QR code: expired, no payment', async () => {
    const { order: o, key } = await kioskRequests();
    await waitForDoc(updateId(key, 'pending'));
    expect(await sim.expire(key)).toBe(200);
    const expired = await waitForDoc(updateId(key, 'expired'));
    expect(expired).toMatchObject({ status: 'expired', writer: 'connector', request_id: `payment_request:${key}` });
    await settledDown();
    expect(Object.keys(await outcomes(key)).sort()).toEqual([updateId(key, 'expired'), updateId(key, 'pending')].sort());
    expect(await paymentsOf(o._id)).toEqual([]);
  });

  it('a request older than the QR validity is expired without a charge', async () => {
    const { key } = await kioskRequests(s, { created_at: new Date(Date.now() - 20 * 60_000).toISOString() });
    await waitForDoc(updateId(key, 'expired'));
    expect(sim.chargeCount(key)).toBe(0);
  });

  it("a request that does not agree with its order's total is failed, not charged", async () => {
    const k = kioskOf(s);
    const o: Order = { ...order(spec(s, k), { pay_at: 'qris' }), device_id: k.deviceId };
    expect((await k.client.put(`${s.ops}/${enc(o._id)}`, o)).status).toBe(201);
    const request = { ...paymentRequest(spec(s, k), o._id, { order_total: o.total + 1000, amount: 1000 }), device_id: k.deviceId };
    expect((await k.client.put(`${s.ops}/${enc(request._id)}`, request)).status).toBe(201);
    const key = requestKey(request._id)!;
    expect(await waitForDoc(updateId(key, 'failed'))).toMatchObject({ reason: 'order_mismatch' });
    expect(sim.chargeCount(key)).toBe(0);
  });
});

describe('a restart of the connector', () => {
  it('writes nothing twice and charges nothing again, and settles what was paid while it was down', async () => {
    const open = await kioskRequests();
    await waitForDoc(updateId(open.key, 'pending'));
    await settledDown();
    const all = async () => {
      const res = await adminOf('store').request<{ rows: { id: string; value: { rev: string } }[] }>('GET', `${enc(s.ops)}/_all_docs`);
      return res.body.rows
        .filter((r) => /^payment(_update)?:/.test(r.id))
        .map((r) => `${r.id} ${r.value.rev}`)
        .sort();
    };
    const charges = sim.chargeCount();
    await connector.stop();
    // Paid while the connector is down: the notification does not arrive.
    expect(await sim.settle(open.key)).toBeNull();
    const before = await all();

    connector = await startConnector(connectorOptions(s));
    sim.setNotifyUrl(connector.notifyUrl);
    await connector.caughtUp();
    const payment = await waitForDoc(paymentId(open.key));
    expect(payment).toMatchObject({ amount: open.order.total, reference: sim.transaction(open.key)!.transaction_id });
    await settledDown();
    expect(await all()).toEqual([...before, `${paymentId(open.key)} ${String(payment._rev)}`].sort());
    expect(sim.chargeCount()).toBe(charges);
  });
});

describe('the store server going down under the connector', () => {
  it('charges what was asked meanwhile when it is back, and writes a payment settled while it was down', async () => {
    // One connector per store: this one reaches the store server through a link the test can cut.
    await connector.stop();
    const link = await storeLink();
    const own = await startConnector(connectorOptions(s, { storeUrl: link.url }));
    try {
      sim.setNotifyUrl(own.notifyUrl);
      await own.caughtUp();
      await link.cut();
      const first = await kioskRequests();
      await waitFor('the connector to notice the outage', async () =>
        logs.some((l) => l.includes(`${link.url} did not answer`)) ? true : null,
      );
      await link.restore();
      await waitForDoc(updateId(first.key, 'pending'));
      await settledDown(own);
      expect(sim.chargeCount(first.key)).toBe(1);

      // Settled while the link is down: the notification reaches the connector, which cannot reach the store; polling writes it later.
      await link.cut();
      expect(await sim.settle(first.key)).toBe(200);
      expect(await docs([paymentId(first.key)])).toEqual({});
      await link.restore();
      const payment = await waitForDoc(paymentId(first.key));
      expect(payment).toMatchObject({ writer: 'connector', amount: first.order.total });
      expect(payment._rev).toMatch(/^1-/);
    } finally {
      await own.stop();
      await link.close();
      connector = await startConnector(connectorOptions(s));
      sim.setNotifyUrl(connector.notifyUrl);
    }
  });
});

describe('starting before the store is provisioned', () => {
  it('retries until its account and database exist, then works', async () => {
    const tenant = uniqueCode('pd');
    const early = await startConnector({ ...connectorOptions({ ...s, tenant }), tenant, store: 'bsd' });
    try {
      await waitFor('the connector to find it cannot sign in yet', async () =>
        logs.some((l) => l.includes(`connector.${tenant}.bsd`)) ? true : null,
      );
      const t = await createStore(tenant, 'bsd', { targets: { connectorPassword } });
      await early.caughtUp();
      const { key } = await kioskRequests(t);
      expect(await waitForDoc(updateId(key, 'pending'), t, 30_000)).toMatchObject({ writer: 'connector', status: 'pending' });
    } finally {
      await early.stop();
    }
  }, 120_000);

  it('a store server that does not answer: the connector keeps trying and stops cleanly', async () => {
    const nobody = `http://127.0.0.1:${await freePort()}`;
    const dead = await startConnector({ ...connectorOptions(s), storeUrl: nobody });
    await waitFor('the connector to notice', async () =>
      logs.some((l) => l.includes(`${nobody} did not answer GET _session (ECONNREFUSED)`)) ? true : null,
    );
    await dead.stop();
  });
});
