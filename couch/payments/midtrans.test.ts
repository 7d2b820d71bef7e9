import { describe, expect, it } from 'vitest';
import { grossAmountString, isoToJakarta, jakartaToIso, rupiahOf, signatureKey, verifyNotification } from './midtrans';
import { crc16, qrPayload } from './qr-payload';

// The inputs of Midtrans' "Receiving Notifications" page (docs.midtrans.com/reference/receiving-notifications):
// order 1111, status 200, amount 100000.00 and its sample server key. The page prints no hash; this one is
// what Python's hashlib.sha512 gives for them, and the signature_key of a sample notification with the
// same fields in omnipay-midtrans' tests.
const DOC_KEY = 'askvnoibnosifnboseofinbofinfgbiufglnbfg';
const DOC_SIGNATURE =
  'edc076b21793ebe3e17926350f5b8ae67d902fe657b3d0aa31b932d5c127e2375d308a2bc94f3265ac2d80a1f181a79b997ac178a236fcff35af263fc4d4c231';

const notification = (overrides: Record<string, unknown> = {}) => ({
  order_id: '1111',
  status_code: '200',
  gross_amount: '100000.00',
  transaction_status: 'settlement',
  transaction_id: '249fc620-6017-4540-af7c-5a1c25788f46',
  payment_type: 'qris',
  fraud_status: 'accept',
  signature_key: DOC_SIGNATURE,
  ...overrides,
});

describe('the notification signature', () => {
  it("is sha512 of order_id + status_code + gross_amount + server key (Midtrans' documented inputs)", () => {
    expect(signatureKey('1111', '200', '100000.00', DOC_KEY)).toBe(DOC_SIGNATURE);
  });

  it('accepts the notification it signs, in either hex case', () => {
    expect(verifyNotification(notification(), DOC_KEY)?.order_id).toBe('1111');
    expect(verifyNotification(notification({ signature_key: DOC_SIGNATURE.toUpperCase() }), DOC_KEY)).not.toBeNull();
  });

  it('refuses a tampered amount, status code or order id', () => {
    expect(verifyNotification(notification({ gross_amount: '1000.00' }), DOC_KEY)).toBeNull();
    expect(verifyNotification(notification({ gross_amount: '100000' }), DOC_KEY)).toBeNull();
    expect(verifyNotification(notification({ status_code: '201' }), DOC_KEY)).toBeNull();
    expect(verifyNotification(notification({ order_id: '1112' }), DOC_KEY)).toBeNull();
  });

  it('refuses another server key, a missing or truncated signature and what is not a notification', () => {
    expect(verifyNotification(notification(), 'SB-Mid-server-other')).toBeNull();
    expect(verifyNotification(notification({ signature_key: undefined }), DOC_KEY)).toBeNull();
    expect(verifyNotification(notification({ signature_key: DOC_SIGNATURE.slice(0, 64) }), DOC_KEY)).toBeNull();
    expect(verifyNotification(notification({ gross_amount: 100000 }), DOC_KEY)).toBeNull();
    for (const junk of [null, 'x', 42, [notification()]]) expect(verifyNotification(junk, DOC_KEY)).toBeNull();
  });

  it('does not cover transaction_status: the connector asks for the status before acting', () => {
    // Documented: the signature covers order_id, status_code and gross_amount only.
    expect(verifyNotification(notification({ transaction_status: 'pending' }), DOC_KEY)).not.toBeNull();
  });
});

describe('amounts and times as the API writes them', () => {
  it('gross_amount has two decimals; only whole rupiah read back', () => {
    expect(grossAmountString(50000)).toBe('50000.00');
    expect(rupiahOf('50000.00')).toBe(50000);
    expect(rupiahOf('50000')).toBe(50000);
    expect(rupiahOf(50000)).toBe(50000);
    expect(rupiahOf('50000.50')).toBeNull();
    expect(rupiahOf('-5')).toBeNull();
    expect(rupiahOf('5e4')).toBeNull();
    expect(rupiahOf(undefined)).toBeNull();
  });

  it('expiry_time is Jakarta time (UTC+7)', () => {
    expect(jakartaToIso('2026-01-20 15:30:00')).toBe('2026-01-20T08:30:00.000Z');
    expect(jakartaToIso('2026-01-01 03:00:00')).toBe('2025-12-31T20:00:00.000Z');
    expect(jakartaToIso('2026-01-20T15:30:00Z')).toBeNull();
    expect(isoToJakarta(new Date('2026-01-20T08:30:00.000Z'))).toBe('2026-01-20 15:30:00');
  });
});

describe("the simulator's QR payload", () => {
  it('is an EMV-style payload naming the order and amount, with a correct CRC', () => {
    expect(crc16('123456789')).toBe('29B1'); // CRC-16/CCITT-FALSE check value
    const qr = qrPayload({
      orderId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
      amount: 50000,
      payUrl: 'http://127.0.0.1:40000/simulator/pay/x',
    });
    expect(qr.startsWith('000201010212')).toBe(true);
    expect(qr).toContain('0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b');
    expect(qr).toContain('540550000');
    expect(qr.slice(-4)).toBe(crc16(qr.slice(0, -4)));
  });
});
