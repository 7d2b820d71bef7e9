// A local stand-in for the payment provider (the Midtrans Core API's QRIS charge, status and
// cancel), for development, the demo and the tests: transactions live in memory, and a person
// or a test pays, expires or breaks them through its controls. It signs its notifications
// with the server key exactly as the provider does, so the connector cannot tell it apart.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../gateway/request-body';
import { grossAmountString, isoToJakarta, ORDER_ID, signatureKey, type MidtransNotification } from './midtrans';
import { qrPayload } from './qr-payload';
import { listPage, payPage } from './simulator-page';

export interface SimulatorOptions {
  serverKey: string;
  /** Where notifications go (a charge's `X-Override-Notification` wins); none: nobody is notified. */
  notifyUrl?: string | null;
  /** Default 0: any free port. */
  port?: number;
  host?: string;
  /** How long a QR code can be paid (default 15 minutes). */
  validityMs?: number;
  log?: (line: string) => void;
}

export type SimulatedStatus = 'pending' | 'settlement' | 'expire' | 'deny' | 'cancel' | 'failure';

/** A transaction as the simulator holds it (`GET /simulator/transactions` lists these). */
export interface SimulatorTransaction {
  order_id: string;
  transaction_id: string;
  amount: number;
  gross_amount: string;
  transaction_status: SimulatedStatus;
  fraud_status: 'accept';
  transaction_time: string;
  expiry_time: string;
  settlement_time?: string;
  qr_string: string;
  /** Where this transaction's notifications go, from the charge's X-Override-Notification. */
  notify_url: string | null;
}

export interface ProviderSimulator {
  /** Base URL, e.g. http://127.0.0.1:40123: the connector's providerUrl. */
  readonly url: string;
  readonly port: number;
  /** The customer paid: settlement, and a signed notification. Resolves to the notification's HTTP status (null: not delivered). */
  settle(orderId: string): Promise<number | null>;
  /** The QR code timed out: expire, and a notification. */
  expire(orderId: string): Promise<number | null>;
  /** The provider gave up on it: deny, cancel or failure, and a notification. */
  fail(orderId: string, status: 'deny' | 'cancel' | 'failure'): Promise<number | null>;
  /** Down: charge, status and cancel answer 503 (the controls and pages keep working). */
  setDown(down: boolean): void;
  /** Settle and expire without notifying: only the connector's polling can find out. */
  setDropNotifications(drop: boolean): void;
  setNotifyUrl(url: string | null): void;
  /** Every API answer waits this long first (to play a slow provider). */
  setDelay(ms: number): void;
  transactions(): SimulatorTransaction[];
  transaction(orderId: string): SimulatorTransaction | undefined;
  /** Charge requests that reached the API while it was up, for this order id (all, when absent), accepted or not. */
  chargeCount(orderId?: string): number;
  /** The signed notification of the transaction's current state, as the provider would send it. */
  notification(orderId: string): MidtransNotification;
  /** Sends that notification (again). */
  notify(orderId: string): Promise<number | null>;
  close(): Promise<void>;
}

const STATUS_CODE: Record<SimulatedStatus, string> = {
  pending: '201',
  settlement: '200',
  cancel: '200',
  expire: '407',
  deny: '202',
  failure: '202',
};

const MESSAGE: Record<SimulatedStatus, string> = {
  pending: 'QRIS transaction is created',
  settlement: 'Success, transaction is found',
  cancel: 'Success, transaction is canceled',
  expire: 'Success, transaction is found',
  deny: 'Transaction is denied',
  failure: 'Transaction failed',
};

const MAX_BODY = 64 * 1024;
const MERCHANT_ID = 'G000LAPAK';

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) });
  res.end(html);
}

/** The charge body's problems, as the API lists them in `validation_messages`. */
function chargeProblems(body: unknown): string[] {
  if (typeof body !== 'object' || body === null) return ['the body must be a JSON object'];
  const b = body as {
    payment_type?: unknown;
    transaction_details?: { order_id?: unknown; gross_amount?: unknown };
    qris?: { acquirer?: unknown };
  };
  const out: string[] = [];
  if (b.payment_type !== 'qris') out.push('payment_type must be qris');
  const d = b.transaction_details;
  if (typeof d !== 'object' || d === null) return [...out, 'transaction_details is required'];
  if (typeof d.order_id !== 'string' || !ORDER_ID.test(d.order_id)) out.push('transaction_details.order_id is invalid');
  if (typeof d.gross_amount !== 'number' || !Number.isInteger(d.gross_amount) || d.gross_amount < 1)
    out.push('transaction_details.gross_amount must be a whole number of rupiah');
  if (
    b.qris !== undefined &&
    (typeof b.qris !== 'object' || b.qris === null || !['gopay', 'airpay shopee'].includes(String(b.qris.acquirer)))
  )
    out.push('qris.acquirer must be gopay or airpay shopee');
  return out;
}

export async function startProviderSimulator(o: SimulatorOptions): Promise<ProviderSimulator> {
  const log = o.log ?? (() => {});
  const validityMs = o.validityMs ?? 15 * 60_000;
  const expectedAuth = 'Basic ' + Buffer.from(`${o.serverKey}:`).toString('base64');
  const txs = new Map<string, SimulatorTransaction & { expiresAt: number }>();
  const charges = new Map<string, number>();
  let notifyUrl = o.notifyUrl ?? null;
  let down = false;
  let dropNotifications = false;
  let delayMs = 0;
  let base = '';

  /** A pending transaction past its expiry is expired, whenever anyone looks at it. */
  function current(orderId: string) {
    const t = txs.get(orderId);
    if (t && t.transaction_status === 'pending' && Date.now() >= t.expiresAt) t.transaction_status = 'expire';
    return t;
  }

  const publicTx = ({ expiresAt: _e, ...t }: SimulatorTransaction & { expiresAt: number }): SimulatorTransaction => ({ ...t });

  function statusBody(t: SimulatorTransaction) {
    return {
      status_code: STATUS_CODE[t.transaction_status],
      status_message: MESSAGE[t.transaction_status],
      transaction_id: t.transaction_id,
      order_id: t.order_id,
      merchant_id: MERCHANT_ID,
      gross_amount: t.gross_amount,
      currency: 'IDR',
      payment_type: 'qris',
      transaction_time: t.transaction_time,
      transaction_status: t.transaction_status,
      fraud_status: t.fraud_status,
      expiry_time: t.expiry_time,
      acquirer: 'gopay',
      ...(t.settlement_time ? { settlement_time: t.settlement_time } : {}),
    };
  }

  function notification(orderId: string): MidtransNotification {
    const t = current(orderId);
    if (!t) throw new Error(`the simulator has no transaction ${orderId}`);
    const status_code = STATUS_CODE[t.transaction_status];
    return {
      ...statusBody(t),
      transaction_type: 'on-us',
      issuer: 'gopay',
      status_message: 'midtrans payment notification',
      status_code,
      signature_key: signatureKey(t.order_id, status_code, t.gross_amount, o.serverKey),
    };
  }

  async function notify(orderId: string): Promise<number | null> {
    const t = current(orderId);
    const url = t?.notify_url ?? notifyUrl;
    if (!t || !url || dropNotifications) return null;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(notification(orderId)),
        signal: AbortSignal.timeout(10_000),
      });
      await res.text();
      log(`provider simulator: notified ${url} of ${orderId} ${t.transaction_status}: HTTP ${res.status}`);
      return res.status;
    } catch (e) {
      log(`provider simulator: could not notify ${url} of ${orderId}: ${(e as Error).message}`);
      return null;
    }
  }

  /** Moves a pending transaction to `status` and notifies; throws when there is none pending. */
  async function finish(orderId: string, status: SimulatedStatus): Promise<number | null> {
    const t = current(orderId);
    if (!t) throw new Error(`the simulator has no transaction ${orderId}`);
    if (t.transaction_status !== 'pending') throw new Error(`transaction ${orderId} is ${t.transaction_status}, not pending`);
    t.transaction_status = status;
    if (status === 'settlement') t.settlement_time = isoToJakarta(new Date());
    log(`provider simulator: ${orderId} ${status}`);
    return notify(orderId);
  }

  async function charge(req: IncomingMessage, res: ServerResponse, raw: string): Promise<void> {
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return send(res, 400, {
        status_code: '400',
        status_message: 'One or more parameters in the payload is invalid.',
        validation_messages: ['the body is not JSON'],
      });
    }
    const problems = chargeProblems(body);
    const orderId = (body as { transaction_details?: { order_id?: unknown } })?.transaction_details?.order_id;
    if (typeof orderId === 'string') charges.set(orderId, (charges.get(orderId) ?? 0) + 1);
    if (problems.length)
      return send(res, 400, {
        status_code: '400',
        status_message: 'One or more parameters in the payload is invalid.',
        validation_messages: problems,
      });
    const details = (body as { transaction_details: { order_id: string; gross_amount: number } }).transaction_details;
    if (txs.has(details.order_id))
      return send(res, 406, {
        status_code: '406',
        status_message:
          'The request could not be completed due to a conflict with the current state of the target resource, please try again',
      });
    const now = new Date();
    const transactionId = randomUUID();
    const override = req.headers['x-override-notification'];
    const t = {
      order_id: details.order_id,
      transaction_id: transactionId,
      amount: details.gross_amount,
      gross_amount: grossAmountString(details.gross_amount),
      transaction_status: 'pending' as SimulatedStatus,
      fraud_status: 'accept' as const,
      transaction_time: isoToJakarta(now),
      expiry_time: isoToJakarta(new Date(now.getTime() + validityMs)),
      expiresAt: now.getTime() + validityMs,
      qr_string: qrPayload({
        orderId: details.order_id,
        amount: details.gross_amount,
        payUrl: `${base}/simulator/pay/${details.order_id}`,
      }),
      notify_url: typeof override === 'string' && /^https?:\/\//.test(override) ? override.split(',')[0]!.trim() : null,
    };
    txs.set(t.order_id, t);
    log(`provider simulator: charged ${t.order_id} Rp ${t.amount}`);
    send(res, 201, {
      ...statusBody(t),
      actions: [{ name: 'generate-qr-code', method: 'GET', url: `${base}/v2/qris/${transactionId}/qr-code` }],
      qr_string: t.qr_string,
    });
  }

  async function api(req: IncomingMessage, res: ServerResponse, path: string, raw: string): Promise<void> {
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    if (down) return send(res, 503, { status_code: '503', status_message: 'Midtrans is under maintenance (simulated)' });
    if (req.headers.authorization !== expectedAuth)
      return send(res, 401, { status_code: '401', status_message: 'Unknown Merchant server_key/id' });
    if (path === '/v2/charge' && req.method === 'POST') return charge(req, res, raw);
    const m = /^\/v2\/([^/]+)\/(status|cancel)$/.exec(path);
    if (!m) return send(res, 404, { status_code: '404', status_message: 'The requested resource is not found' });
    const orderId = decodeURIComponent(m[1]!);
    const t = current(orderId);
    if (!t) return send(res, 404, { status_code: '404', status_message: "Transaction doesn't exist." });
    if (m[2] === 'status' && req.method === 'GET') return send(res, 200, statusBody(t));
    if (m[2] === 'cancel' && req.method === 'POST') {
      if (t.transaction_status !== 'pending')
        return send(res, 412, { status_code: '412', status_message: 'Merchant cannot modify the status of the transaction' });
      t.transaction_status = 'cancel';
      log(`provider simulator: ${orderId} cancelled by the merchant`);
      return send(res, 200, statusBody(t));
    }
    send(res, 405, { status_code: '405', status_message: 'Method not allowed' });
  }

  function list(): SimulatorTransaction[] {
    return [...txs.keys()].map((id) => publicTx(current(id)!)).reverse();
  }

  async function control(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (req.method === 'GET' && (path === '/simulator' || path === '/simulator/')) return sendHtml(res, 200, listPage(list(), down));
    if (req.method === 'GET' && path === '/simulator/transactions') return send(res, 200, list());
    const pay = /^\/simulator\/pay\/([^/]+)$/.exec(path);
    if (pay && req.method === 'GET') {
      const t = current(decodeURIComponent(pay[1]!));
      return sendHtml(res, t ? 200 : 404, payPage(t && publicTx(t)));
    }
    if (req.method !== 'POST') return send(res, 405, { error: 'method not allowed' });
    if (pay) {
      // The page's button: pay, then back to the list.
      await finish(decodeURIComponent(pay[1]!), 'settlement').catch(() => null);
      res.writeHead(303, { location: '/simulator' });
      return void res.end();
    }
    const toggles: Record<string, () => void> = {
      '/simulator/down': () => (down = true),
      '/simulator/up': () => (down = false),
      '/simulator/notifications/drop': () => (dropNotifications = true),
      '/simulator/notifications/deliver': () => (dropNotifications = false),
    };
    const toggle = toggles[path];
    if (toggle) {
      toggle();
      log(`provider simulator: ${path.slice('/simulator/'.length)}`);
      return send(res, 200, { ok: true, down, drop_notifications: dropNotifications });
    }
    const act = /^\/simulator\/(settle|expire|deny|cancel|failure|notify)\/([^/]+)$/.exec(path);
    if (!act) return send(res, 404, { error: 'not found' });
    const orderId = decodeURIComponent(act[2]!);
    if (!txs.has(orderId)) return send(res, 404, { error: `no transaction ${orderId}` });
    try {
      const action = act[1]!;
      const notified =
        action === 'notify'
          ? await notify(orderId)
          : await finish(orderId, action === 'settle' ? 'settlement' : (action as SimulatedStatus));
      send(res, 200, { ok: true, transaction: publicTx(current(orderId)!), notified });
    } catch (e) {
      send(res, 409, { error: (e as Error).message });
    }
  }

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://simulator').pathname;
    readBody(req, MAX_BODY)
      .then((bytes) => {
        if (bytes === null) {
          res.setHeader('connection', 'close');
          return send(res, 413, { status_code: '413', status_message: 'Request entity too large' });
        }
        const raw = bytes.toString('utf8');
        return path.startsWith('/v2/') ? api(req, res, path, raw) : control(req, res, path);
      })
      .catch((e: unknown) => {
        if (res.headersSent) return void res.end();
        send(res, 500, { status_code: '500', status_message: (e as Error).message });
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  base = `http://${o.host && o.host !== '0.0.0.0' ? o.host : '127.0.0.1'}:${port}`;
  log(`provider simulator: ${base} (pay QR codes at ${base}/simulator)`);

  return {
    url: base,
    port,
    settle: (id) => finish(id, 'settlement'),
    expire: (id) => finish(id, 'expire'),
    fail: (id, status) => finish(id, status),
    setDown: (v) => void (down = v),
    setDropNotifications: (v) => void (dropNotifications = v),
    setNotifyUrl: (url) => void (notifyUrl = url),
    setDelay: (ms) => void (delayMs = ms),
    transactions: list,
    transaction: (id) => {
      const t = current(id);
      return t && publicTx(t);
    },
    chargeCount: (id) => (id === undefined ? [...charges.values()].reduce((a, b) => a + b, 0) : (charges.get(id) ?? 0)),
    notification,
    notify,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
