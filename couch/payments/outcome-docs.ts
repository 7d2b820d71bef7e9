// The documents the connector writes about a payment request: a payment_update per status
// (pending, failed, expired) and the confirmed payment. Their ids come from the request's key,
// so each is written at most once, whoever tries and however often.
import { structureErrors } from '../../design-docs/lib/structure';
import { SCHEMA_VERSION, type ConnectorPayment, type PaymentRequest, type PaymentUpdate } from '../../design-docs/lib/types';

export type UpdateStatus = PaymentUpdate['status'];
export type OutcomeDoc = PaymentUpdate | ConnectorPayment;

export const REQUEST_PREFIX = 'payment_request:';
export const UPDATE_PREFIX = 'payment_update:';
export const PAYMENT_PREFIX = 'payment:';
export const UPDATE_STATUSES: readonly UpdateStatus[] = ['pending', 'failed', 'expired'];

/** The request's key (its id after `payment_request:`), which is also the provider's order_id. */
export function requestKey(requestId: string): string | null {
  return requestId.startsWith(REQUEST_PREFIX) ? requestId.slice(REQUEST_PREFIX.length) || null : null;
}

export const updateId = (key: string, status: UpdateStatus) => `${UPDATE_PREFIX}${key}-${status}`;
export const paymentId = (key: string) => `${PAYMENT_PREFIX}${key}`;

/** Every id an outcome of this request can have. */
export function outcomeIds(key: string): string[] {
  return [...UPDATE_STATUSES.map((s) => updateId(key, s)), paymentId(key)];
}

/** What an outcome id says: the request key and the status (`paid` for the payment), or null for other ids. */
export function parseOutcomeId(id: string): { key: string; status: UpdateStatus | 'paid' } | null {
  if (id.startsWith(UPDATE_PREFIX)) {
    const rest = id.slice(UPDATE_PREFIX.length);
    for (const status of UPDATE_STATUSES)
      if (rest.endsWith(`-${status}`) && rest.length > status.length + 1) return { key: rest.slice(0, -status.length - 1), status };
    return null;
  }
  if (id.startsWith(PAYMENT_PREFIX)) return { key: id.slice(PAYMENT_PREFIX.length), status: 'paid' };
  return null;
}

/** What the connector copies from the request into everything it writes about it. */
function written(request: PaymentRequest, now: Date) {
  return {
    schema: SCHEMA_VERSION,
    tenant: request.tenant,
    store: request.store,
    writer: 'connector' as const,
    brand: request.order_brand,
    created_at: now.toISOString(),
    order_id: request.order_id,
    order_brand: request.order_brand,
    order_store: request.order_store,
    request_id: request._id,
    provider: 'midtrans' as const,
  };
}

export interface UpdateDetails {
  /** The provider's transaction id. */
  reference?: string;
  qr_string?: string;
  expires_at?: string;
  reason?: string;
}

export function buildUpdate(request: PaymentRequest, status: UpdateStatus, details: UpdateDetails, now: Date): PaymentUpdate {
  const key = requestKey(request._id);
  if (!key) throw new Error(`${request._id} is not a payment request id`);
  const doc: PaymentUpdate = { _id: updateId(key, status), type: 'payment_update', ...written(request, now), status };
  for (const f of ['reference', 'qr_string', 'expires_at', 'reason'] as const) if (details[f] !== undefined) doc[f] = details[f];
  return doc;
}

export function buildPayment(request: PaymentRequest, reference: string, now: Date): ConnectorPayment {
  const key = requestKey(request._id);
  if (!key) throw new Error(`${request._id} is not a payment request id`);
  return {
    _id: paymentId(key),
    type: 'payment',
    ...written(request, now),
    method: request.method,
    order_total: request.order_total,
    amount: request.amount,
    reference,
  };
}

/** The document's structure errors (design-docs/lib/structure.ts), empty when the store will accept its shape. */
export function outcomeErrors(doc: OutcomeDoc): string[] {
  return structureErrors(doc as unknown as Record<string, unknown>);
}
