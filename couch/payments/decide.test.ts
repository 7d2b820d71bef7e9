import { describe, expect, it } from 'vitest';
import { kiosk, paymentRequest } from '../../design-docs/testing/fixtures';
import type { PaymentRequest } from '../../design-docs/lib/types';
import { chargeOutcome, outcomeOf, REASON } from './decide';
import type { MidtransTransaction } from './midtrans';
import { buildPayment, buildUpdate, outcomeErrors, outcomeIds, parseOutcomeId, requestKey } from './outcome-docs';

const request: PaymentRequest = paymentRequest(kiosk(), 'order:0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', {
  order_total: 57750,
  amount: 57750,
});
const key = requestKey(request._id)!;

const tx = (overrides: Partial<MidtransTransaction> = {}): MidtransTransaction => ({
  status_code: '200',
  transaction_id: 'b2a1e0f4-5c2e-4a7e-9d1c-3f0e2d1c0b9a',
  order_id: key,
  gross_amount: '57750.00',
  transaction_status: 'settlement',
  fraud_status: 'accept',
  ...overrides,
});

describe('when the provider counts as having been paid', () => {
  it('settlement of exactly the requested amount, under the request key', () => {
    expect(outcomeOf(tx(), request)).toEqual({ kind: 'paid', reference: tx().transaction_id });
  });

  it('capture only when the fraud check accepted it', () => {
    expect(outcomeOf(tx({ transaction_status: 'capture' }), request).kind).toBe('paid');
    expect(outcomeOf(tx({ transaction_status: 'capture', fraud_status: 'challenge' }), request).kind).toBe('none');
  });

  it('never for another amount, nor for another order id', () => {
    expect(outcomeOf(tx({ gross_amount: '5775.00' }), request)).toEqual({ kind: 'failed', reason: REASON.amountMismatch });
    expect(outcomeOf(tx({ gross_amount: '57750.50' }), request)).toEqual({ kind: 'failed', reason: REASON.amountMismatch });
    expect(outcomeOf(tx({ order_id: 'someone-else' }), request).kind).toBe('none');
  });

  it('pending carries the QR payload and the expiry in UTC; the end states say what they are', () => {
    expect(outcomeOf(tx({ transaction_status: 'pending', qr_string: '000201', expiry_time: '2026-01-20 15:30:00' }), request)).toEqual({
      kind: 'pending',
      reference: tx().transaction_id,
      qrString: '000201',
      expiresAt: '2026-01-20T08:30:00.000Z',
    });
    expect(outcomeOf(tx({ transaction_status: 'expire' }), request)).toEqual({ kind: 'expired' });
    for (const s of ['deny', 'cancel', 'failure'])
      expect(outcomeOf(tx({ transaction_status: s }), request)).toEqual({ kind: 'failed', reason: s });
    expect(outcomeOf(tx({ transaction_status: 'refund' }), request).kind).toBe('none');
  });

  it("a charge's refusal, an earlier charge of the same id, and no answer", () => {
    expect(chargeOutcome({ kind: 'refused', statusCode: '400', message: '' }, request)).toEqual({ kind: 'failed', reason: REASON.refused });
    expect(chargeOutcome({ kind: 'refused', statusCode: '401', message: '' }, request)).toEqual({ kind: 'failed', reason: REASON.refused });
    expect(chargeOutcome({ kind: 'refused', statusCode: '406', message: '' }, request)).toEqual({ kind: 'charged_before' });
    expect(chargeOutcome({ kind: 'unreachable', reason: 'timeout' }, request)).toEqual({ kind: 'failed', reason: REASON.unreachable });
  });
});

describe("the connector's documents", () => {
  const now = new Date();

  it('are well formed for the store, name the order and no terminal', () => {
    const docs = [
      buildUpdate(request, 'pending', { reference: 'tx-1', qr_string: '000201', expires_at: now.toISOString() }, now),
      buildUpdate(request, 'failed', { reason: REASON.unreachable }, now),
      buildUpdate(request, 'expired', {}, now),
      buildPayment(request, 'tx-1', now),
    ];
    for (const doc of docs) {
      expect(outcomeErrors(doc), doc._id).toEqual([]);
      expect(doc).toMatchObject({ writer: 'connector', brand: request.order_brand, order_id: request.order_id, request_id: request._id });
      for (const f of ['terminal', 'terminal_type', 'device_id']) expect(doc).not.toHaveProperty(f);
    }
    expect(docs.map((d) => d._id)).toEqual(outcomeIds(key));
    expect(docs[3]).toMatchObject({ method: 'qris', amount: request.amount, order_total: request.order_total, reference: 'tx-1' });
  });

  it('have ids that say which request and which outcome', () => {
    expect(parseOutcomeId(`payment_update:${key}-pending`)).toEqual({ key, status: 'pending' });
    expect(parseOutcomeId(`payment_update:${key}-expired`)).toEqual({ key, status: 'expired' });
    expect(parseOutcomeId(`payment:${key}`)).toEqual({ key, status: 'paid' });
    expect(parseOutcomeId(`order:${key}`)).toBeNull();
    expect(parseOutcomeId('payment_update:-pending')).toBeNull();
  });
});
