// A client of the Midtrans Core API, as far as dynamic QRIS needs it: charge, status, cancel,
// and the check of an HTTP notification's signature. Every answer is sorted into three kinds:
// a transaction, a refusal (4xx: the provider read the request and said no) or unreachable
// (no answer, a timeout, 5xx, or something that is not the API's JSON), because the
// connector records each differently.
import { createHash, timingSafeEqual } from 'node:crypto';

/** `transaction_status` values of the Core API (docs.midtrans.com, "Transaction Status Cycle"). */
export type TransactionStatus =
  | 'pending'
  | 'settlement'
  | 'capture'
  | 'expire'
  | 'deny'
  | 'cancel'
  | 'failure'
  | 'authorize'
  | 'refund'
  | 'partial_refund'
  | 'chargeback'
  | 'partial_chargeback';

/** What charge and status answer about one transaction (the fields the connector reads; the API sends more). */
export interface MidtransTransaction {
  status_code: string;
  status_message?: string;
  transaction_id: string;
  order_id: string;
  /** Rupiah with two decimals, as a string: `"50000.00"`. */
  gross_amount: string;
  transaction_status: TransactionStatus | string;
  fraud_status?: string;
  payment_type?: string;
  transaction_time?: string;
  /** QRIS: the payload to render as a QR code (charge only). */
  qr_string?: string;
  /** `YYYY-MM-DD HH:mm:ss` in Jakarta time (UTC+7). */
  expiry_time?: string;
  actions?: { name: string; method: string; url: string }[];
  acquirer?: string;
}

/** The body of an HTTP notification (transaction), as far as the signature covers it. */
export interface MidtransNotification {
  order_id: string;
  status_code: string;
  gross_amount: string;
  signature_key: string;
  transaction_status?: string;
  transaction_id?: string;
  fraud_status?: string;
  payment_type?: string;
  [field: string]: unknown;
}

export type ProviderAnswer =
  | { kind: 'transaction'; transaction: MidtransTransaction }
  /** The provider answered 4xx: `statusCode` is its status_code ('401', '404', '406', …). */
  | { kind: 'refused'; statusCode: string; message: string }
  | { kind: 'unreachable'; reason: string };

export interface MidtransClientOptions {
  /** e.g. https://api.sandbox.midtrans.com or the local simulator's URL. */
  baseUrl: string;
  serverKey: string;
  /** Each request gives up after this long (default 5 s) and counts as unreachable. */
  timeoutMs?: number;
  /**
   * Sent as `X-Override-Notification` with each charge, so that the provider notifies this URL
   * instead of the one in its dashboard (one merchant account, one connector per store).
   */
  notificationUrl?: string;
}

export const DEFAULT_PROVIDER_TIMEOUT_MS = 5_000;

/** `sha512_hex(order_id + status_code + gross_amount + serverKey)`: Midtrans' transaction notification signature. */
export function signatureKey(orderId: string, statusCode: string, grossAmount: string, serverKey: string): string {
  return createHash('sha512')
    .update(orderId + statusCode + grossAmount + serverKey, 'utf8')
    .digest('hex');
}

/** The notification, when it is an object whose signature matches this server key; null otherwise. */
export function verifyNotification(body: unknown, serverKey: string): MidtransNotification | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const n = body as Record<string, unknown>;
  const fields = [n.order_id, n.status_code, n.gross_amount, n.signature_key];
  if (!fields.every((f): f is string => typeof f === 'string' && f.length > 0)) return null;
  const [orderId, statusCode, grossAmount, given] = fields as [string, string, string, string];
  const expected = new Uint8Array(Buffer.from(signatureKey(orderId, statusCode, grossAmount, serverKey), 'utf8'));
  const actual = new Uint8Array(Buffer.from(given.toLowerCase(), 'utf8'));
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return null;
  return n as MidtransNotification;
}

/** Integer rupiah as the API writes gross_amount: `50000` → `"50000.00"`. */
export function grossAmountString(rupiah: number): string {
  return `${rupiah}.00`;
}

/** Whole rupiah from the API's gross_amount (`"50000.00"`, `"50000"`), or null when it is not a whole amount. */
export function rupiahOf(grossAmount: unknown): number | null {
  const s = typeof grossAmount === 'number' ? String(grossAmount) : grossAmount;
  if (typeof s !== 'string') return null;
  const m = /^(\d{1,15})(?:\.(\d{1,2}))?$/.exec(s.trim());
  if (!m || (m[2] !== undefined && Number(m[2]) !== 0)) return null;
  return Number(m[1]);
}

const JAKARTA_OFFSET_MS = 7 * 60 * 60 * 1000;

/** The API's `YYYY-MM-DD HH:mm:ss` (Jakarta, UTC+7) as an ISO-8601 UTC time, or null when it is not one. */
export function jakartaToIso(local: unknown): string | null {
  if (typeof local !== 'string') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(local.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const utc = Date.UTC(y, mo - 1, d, h, mi, s) - JAKARTA_OFFSET_MS;
  return isNaN(utc) ? null : new Date(utc).toISOString();
}

/** A time as the API writes it: `YYYY-MM-DD HH:mm:ss` in Jakarta time. */
export function isoToJakarta(at: Date): string {
  return new Date(at.getTime() + JAKARTA_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** Order ids the API accepts: up to 50 of letters, digits, `-`, `_`, `~` and `.`. */
export const ORDER_ID = /^[A-Za-z0-9_.~-]{1,50}$/;

function isTransaction(body: unknown): body is MidtransTransaction {
  if (typeof body !== 'object' || body === null) return false;
  const b = body as Record<string, unknown>;
  return (
    typeof b.order_id === 'string' &&
    typeof b.transaction_id === 'string' &&
    typeof b.transaction_status === 'string' &&
    (typeof b.gross_amount === 'string' || typeof b.gross_amount === 'number')
  );
}

export class MidtransClient {
  private readonly base: string;
  private readonly auth: string;
  private readonly timeoutMs: number;

  constructor(private readonly o: MidtransClientOptions) {
    this.base = o.baseUrl.replace(/\/+$/, '');
    this.auth = 'Basic ' + Buffer.from(`${o.serverKey}:`).toString('base64');
    this.timeoutMs = o.timeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS;
  }

  /** `POST /v2/charge` for a dynamic QRIS of `amount` rupiah, acquired by GoPay. */
  charge(orderId: string, amount: number): Promise<ProviderAnswer> {
    const body = { payment_type: 'qris', transaction_details: { order_id: orderId, gross_amount: amount }, qris: { acquirer: 'gopay' } };
    const extra: Record<string, string> = this.o.notificationUrl ? { 'X-Override-Notification': this.o.notificationUrl } : {};
    return this.call('POST', '/v2/charge', body, extra);
  }

  /** `GET /v2/{order_id}/status`: the transaction as the provider has it now ('404' refused when unknown). */
  status(orderId: string): Promise<ProviderAnswer> {
    return this.call('GET', `/v2/${encodeURIComponent(orderId)}/status`);
  }

  /** `POST /v2/{order_id}/cancel`: a pending transaction can no longer be paid. */
  cancel(orderId: string): Promise<ProviderAnswer> {
    return this.call('POST', `/v2/${encodeURIComponent(orderId)}/cancel`);
  }

  private async call(method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<ProviderAnswer> {
    let status: number;
    let text: string;
    try {
      const res = await fetch(this.base + path, {
        method,
        headers: {
          authorization: this.auth,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...extra,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
      status = res.status;
      text = await res.text();
    } catch (e) {
      const err = e as Error & { cause?: { code?: string; message?: string } };
      const reason =
        err.name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : (err.cause?.code ?? err.cause?.message ?? err.message);
      return { kind: 'unreachable', reason: `${method} ${path}: ${reason}` };
    }
    if (status >= 500) return { kind: 'unreachable', reason: `${method} ${path}: HTTP ${status}` };
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { kind: 'unreachable', reason: `${method} ${path}: HTTP ${status}, not JSON` };
    }
    // A transaction is an answer whatever its status_code: '407' is an expired one, '202' a denied one.
    if (isTransaction(parsed)) {
      const t = parsed;
      return {
        kind: 'transaction',
        transaction: { ...t, gross_amount: String(t.gross_amount), status_code: String(t.status_code ?? status) },
      };
    }
    const b = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as { status_code?: unknown; status_message?: unknown };
    const code = typeof b.status_code === 'string' && /^\d{3}$/.test(b.status_code) ? b.status_code : String(status);
    const message = typeof b.status_message === 'string' ? b.status_message : '';
    if (code.startsWith('4')) return { kind: 'refused', statusCode: code, message };
    return { kind: 'unreachable', reason: `${method} ${path}: status_code ${code} without a transaction${message ? ` (${message})` : ''}` };
  }
}
