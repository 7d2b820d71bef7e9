// What the provider's word means for a payment request: the one place that decides when money
// counts as paid. Pure, so every rule is tested without a provider or a database.
import type { PaymentRequest } from '../../design-docs/lib/types';
import { jakartaToIso, rupiahOf, type MidtransTransaction, type ProviderAnswer } from './midtrans';
import { requestKey } from './outcome-docs';

export type Outcome =
  /** Settled for exactly the requested amount: write the payment. */
  | { kind: 'paid'; reference: string }
  /** The provider holds an open charge (with the QR payload when the answer carried one). */
  | { kind: 'pending'; reference: string; qrString: string | null; expiresAt: string | null }
  | { kind: 'failed'; reason: string }
  | { kind: 'expired' }
  /** The order id was charged before (an earlier run that stopped before writing): ask for its status. */
  | { kind: 'charged_before' }
  /** Nothing to write now: still waiting (a card challenge, a provider outage) or a state that changes nothing. */
  | { kind: 'none'; why: string };

/** Reasons of failed updates. The provider's own words (deny, cancel, failure) are used as they are. */
export const REASON = {
  unreachable: 'provider_unreachable',
  refused: 'provider_refused',
  /** The provider settled a different amount than was asked: never counted as paid. */
  amountMismatch: 'amount_mismatch',
  /** The request does not agree with its order (brand, store or total; design-docs/lib/fact-match.ts). */
  orderMismatch: 'order_mismatch',
} as const;

/** The transaction's meaning for `request` (whose key is the order id it was charged under). */
export function outcomeOf(tx: MidtransTransaction, request: PaymentRequest): Outcome {
  if (tx.order_id !== requestKey(request._id)) return { kind: 'none', why: `the provider answered about order ${tx.order_id}` };
  const status = tx.transaction_status;
  if (status === 'settlement' || (status === 'capture' && tx.fraud_status === 'accept')) {
    if (rupiahOf(tx.gross_amount) !== request.amount) return { kind: 'failed', reason: REASON.amountMismatch };
    return { kind: 'paid', reference: tx.transaction_id };
  }
  if (status === 'capture') return { kind: 'none', why: `captured with fraud status ${tx.fraud_status ?? 'unknown'}: waiting for review` };
  if (status === 'pending')
    return {
      kind: 'pending',
      reference: tx.transaction_id,
      qrString: typeof tx.qr_string === 'string' && tx.qr_string ? tx.qr_string : null,
      expiresAt: jakartaToIso(tx.expiry_time),
    };
  if (status === 'expire') return { kind: 'expired' };
  if (status === 'deny' || status === 'cancel' || status === 'failure') return { kind: 'failed', reason: status };
  return { kind: 'none', why: `transaction status ${status}` };
}

/** What a charge's answer means: a transaction as above, a refusal, or a provider that could not be reached. */
export function chargeOutcome(answer: ProviderAnswer, request: PaymentRequest): Outcome {
  if (answer.kind === 'unreachable') return { kind: 'failed', reason: REASON.unreachable };
  if (answer.kind === 'refused')
    return answer.statusCode === '406' ? { kind: 'charged_before' } : { kind: 'failed', reason: REASON.refused };
  return outcomeOf(answer.transaction, request);
}
