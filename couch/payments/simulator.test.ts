// The provider simulator against the connector's Midtrans client and notification endpoint:
// the API shapes, the refusals, the outage and the signed notifications. No database.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MidtransClient, verifyNotification, type MidtransNotification } from './midtrans';
import { startNotifyEndpoint, type NotifyEndpoint } from './notify-endpoint';
import { startProviderSimulator, type ProviderSimulator } from './simulator';

const SERVER_KEY = 'SB-Mid-server-unit-test';
let sim: ProviderSimulator;
let endpoint: NotifyEndpoint;
let client: MidtransClient;
const received: MidtransNotification[] = [];

beforeAll(async () => {
  endpoint = await startNotifyEndpoint({
    host: '127.0.0.1',
    port: 0,
    serverKey: SERVER_KEY,
    onNotification: async (n) => void received.push(n),
    log: () => {},
  });
  sim = await startProviderSimulator({ serverKey: SERVER_KEY, notifyUrl: endpoint.url });
  client = new MidtransClient({ baseUrl: sim.url, serverKey: SERVER_KEY, timeoutMs: 1_000 });
});

afterEach(() => {
  sim.setDown(false);
  sim.setDelay(0);
  sim.setDropNotifications(false);
  received.length = 0;
});

afterAll(async () => {
  await sim?.close();
  await endpoint?.close();
});

async function charged(amount = 50000): Promise<string> {
  const orderId = randomUUID();
  const answer = await client.charge(orderId, amount);
  expect(answer.kind).toBe('transaction');
  return orderId;
}

describe('charge and status', () => {
  it('a QRIS charge is pending with a QR payload naming the order, expiring in 15 minutes (Jakarta time)', async () => {
    const orderId = randomUUID();
    const answer = await client.charge(orderId, 50000);
    if (answer.kind !== 'transaction') throw new Error(JSON.stringify(answer));
    const t = answer.transaction;
    expect(t).toMatchObject({
      status_code: '201',
      order_id: orderId,
      gross_amount: '50000.00',
      transaction_status: 'pending',
      payment_type: 'qris',
    });
    expect(t.qr_string).toContain(orderId);
    expect(t.actions?.[0]?.name).toBe('generate-qr-code');
    expect(t.expiry_time).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const jakartaNow = Date.now() + 7 * 3600_000;
    const expiry = Date.parse(`${t.expiry_time!.replace(' ', 'T')}Z`);
    expect(Math.abs(expiry - jakartaNow - 15 * 60_000)).toBeLessThan(5_000);

    const status = await client.status(orderId);
    expect(status).toMatchObject({ kind: 'transaction', transaction: { transaction_status: 'pending', transaction_id: t.transaction_id } });
  });

  it('refuses a wrong server key (401), a bad body (400), a second charge of an order id (406); unknown is 404', async () => {
    const wrong = new MidtransClient({ baseUrl: sim.url, serverKey: 'SB-Mid-server-wrong' });
    expect(await wrong.charge(randomUUID(), 1000)).toMatchObject({ kind: 'refused', statusCode: '401' });
    expect(await client.charge('not a valid id!', 1000)).toMatchObject({ kind: 'refused', statusCode: '400' });
    expect(await client.charge(randomUUID(), 10.5)).toMatchObject({ kind: 'refused', statusCode: '400' });
    const bad = await fetch(`${sim.url}/v2/charge`, {
      method: 'POST',
      headers: { authorization: 'Basic ' + Buffer.from(`${SERVER_KEY}:`).toString('base64'), 'content-type': 'application/json' },
      body: '{"payment_type": "qris"',
    });
    expect(bad.status).toBe(400);
    const orderId = await charged();
    expect(await client.charge(orderId, 50000)).toMatchObject({ kind: 'refused', statusCode: '406' });
    expect(await client.status(randomUUID())).toMatchObject({ kind: 'refused', statusCode: '404' });
  });

  it('down: charge and status are unreachable (503); a slow answer past the timeout too', async () => {
    const orderId = await charged();
    sim.setDown(true);
    expect((await client.charge(randomUUID(), 1000)).kind).toBe('unreachable');
    expect((await client.status(orderId)).kind).toBe('unreachable');
    sim.setDown(false);
    sim.setDelay(1_500);
    expect(await client.status(orderId)).toMatchObject({
      kind: 'unreachable',
      reason: expect.stringContaining('no answer within 1000 ms'),
    });
  });

  it('a provider that does not listen is unreachable', async () => {
    const gone = await startProviderSimulator({ serverKey: SERVER_KEY });
    const url = gone.url;
    await gone.close();
    expect((await new MidtransClient({ baseUrl: url, serverKey: SERVER_KEY }).status('x')).kind).toBe('unreachable');
  });
});

describe('settling, expiring and notifying', () => {
  it('settle sends a notification the connector verifies; status says settlement', async () => {
    const orderId = await charged(75000);
    expect(await sim.settle(orderId)).toBe(200);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      order_id: orderId,
      status_code: '200',
      gross_amount: '75000.00',
      transaction_status: 'settlement',
    });
    expect(verifyNotification(received[0], SERVER_KEY)).not.toBeNull();
    expect(await client.status(orderId)).toMatchObject({ kind: 'transaction', transaction: { transaction_status: 'settlement' } });
  });

  it('dropped notifications: settled, nobody told', async () => {
    const orderId = await charged();
    sim.setDropNotifications(true);
    expect(await sim.settle(orderId)).toBeNull();
    expect(received).toHaveLength(0);
    expect(sim.transaction(orderId)?.transaction_status).toBe('settlement');
  });

  it('expire and cancel end a pending transaction, and a settled one cannot be cancelled', async () => {
    const a = await charged();
    await sim.expire(a);
    expect(await client.status(a)).toMatchObject({
      kind: 'transaction',
      transaction: { transaction_status: 'expire', status_code: '407' },
    });
    const b = await charged();
    expect(await client.cancel(b)).toMatchObject({ kind: 'transaction', transaction: { transaction_status: 'cancel' } });
    const c = await charged();
    await sim.settle(c);
    expect(await client.cancel(c)).toMatchObject({ kind: 'refused', statusCode: '412' });
    await expect(sim.settle(a)).rejects.toThrow(/not pending/);
  });

  it('the notification endpoint: 401 for a bad signature, 400 for junk, 413 when too large, 404 elsewhere', async () => {
    const orderId = await charged();
    await sim.settle(orderId);
    received.length = 0;
    const post = (body: string, path = '/payments/notify') =>
      fetch(endpoint.url.replace('/payments/notify', path), { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const good = sim.notification(orderId);
    expect((await post(JSON.stringify({ ...good, gross_amount: '1.00' }))).status).toBe(401);
    expect((await post(JSON.stringify({ ...good, signature_key: undefined }))).status).toBe(401);
    expect((await post('{not json')).status).toBe(400);
    expect((await post('[1]')).status).toBe(400);
    expect((await post(JSON.stringify({ ...good, padding: 'x'.repeat(20_000) }))).status).toBe(413);
    expect((await post(JSON.stringify(good), '/elsewhere')).status).toBe(404);
    expect((await fetch(endpoint.url)).status).toBe(405);
    expect(received).toHaveLength(0);
    expect((await post(JSON.stringify(good))).status).toBe(200);
    expect(received).toHaveLength(1);
  });
});

describe('the HTTP controls and pages', () => {
  it('down and up, settle by URL, the transaction list and the Bayar / Pay page', async () => {
    const orderId = await charged(12000);
    expect((await fetch(`${sim.url}/simulator/down`, { method: 'POST' })).status).toBe(200);
    expect((await client.status(orderId)).kind).toBe('unreachable');
    await fetch(`${sim.url}/simulator/up`, { method: 'POST' });
    const page = await (await fetch(`${sim.url}/simulator`)).text();
    expect(page).toContain(orderId);
    expect(page).toContain('Bayar / Pay');
    const list = (await (await fetch(`${sim.url}/simulator/transactions`)).json()) as { order_id: string; transaction_status: string }[];
    expect(list.find((t) => t.order_id === orderId)?.transaction_status).toBe('pending');
    const paid = await fetch(`${sim.url}/simulator/pay/${orderId}`, { method: 'POST', redirect: 'manual' });
    expect(paid.status).toBe(303);
    expect(sim.transaction(orderId)?.transaction_status).toBe('settlement');
    expect(received.map((n) => n.order_id)).toContain(orderId);
    expect((await fetch(`${sim.url}/simulator/settle/${orderId}`, { method: 'POST' })).status).toBe(409);
    expect((await fetch(`${sim.url}/simulator/settle/nope`, { method: 'POST' })).status).toBe(404);
    expect(await (await fetch(`${sim.url}/simulator/pay/${orderId}`)).text()).toContain('settlement');
  });
});
