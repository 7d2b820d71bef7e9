// Builds the documents a terminal writes. Each is a fact, written once, with an id made on
// this device that cannot collide with another device's (UUIDv7).
import { v7 as uuidv7 } from 'uuid';
import {
  SCHEMA_VERSION,
  type Order,
  type CashierPayment,
  type Payment,
  type PaymentMethod,
  type PaymentRequest,
  type CashMovement,
  type Refund,
  type RefundLine,
  type Review,
  type ShiftClose,
  type ShiftOpen,
  type TicketEvent,
  type Void,
} from '../../../design-docs/lib/types';
import { TEXT } from '../../../design-docs/lib/limits';
import { takesOrders } from '../../../design-docs/lib/names';
import type { TerminalConfig } from '../device/terminal-config';
import type { PricedCart } from './pricing';

type Written = Pick<Order, 'schema' | 'tenant' | 'store' | 'brand' | 'terminal' | 'terminal_type' | 'device_id' | 'created_at'>;

function written(config: TerminalConfig, now: string): Written {
  return {
    schema: SCHEMA_VERSION,
    tenant: config.tenant,
    store: config.store,
    brand: config.brand,
    terminal: config.code,
    terminal_type: config.type,
    device_id: config.deviceId,
    created_at: now,
  };
}

/** The order a fact is about, as the server checks it: its id, brand and store. */
export type OrderRef = Pick<Order, '_id' | 'brand' | 'store' | 'total'>;

function about(order: OrderRef): Pick<Payment, 'order_id' | 'order_brand' | 'order_store'> {
  return { order_id: order._id, order_brand: order.brand, order_store: order.store };
}

/** The person signed in at the cashier and the shift their drawer is in: every cashier fact names both. */
export interface Acting {
  staff: string;
  staffName: string;
  shiftId: string;
}

/** The supervisor who approved with their PIN. */
export interface Approval {
  staff: string;
  staffName: string;
}

function byStaff(a: Pick<Acting, 'staff' | 'staffName'>) {
  return { staff: a.staff, staff_name: a.staffName };
}

function approved(a: Approval) {
  return { approved_by: a.staff, approved_by_name: a.staffName };
}

function newId(type: string, now: string): string {
  return `${type}:${uuidv7({ msecs: Date.parse(now) })}`;
}

export interface OrderChoices {
  number: string;
  service: Order['service'];
  customerName: string;
  payAt: Order['pay_at'];
}

export function buildOrder(config: TerminalConfig, cart: PricedCart, choices: OrderChoices, now: string): Order {
  if (!takesOrders(config.type)) throw new Error('Only kiosks, cashiers and waiters take orders.');
  return {
    _id: `order:${uuidv7({ msecs: Date.parse(now) })}`,
    type: 'order',
    ...written(config, now),
    channel: config.type,
    number: choices.number,
    service: choices.service,
    customer_name: choices.customerName.trim().slice(0, TEXT.customerName),
    items: cart.items,
    subtotal: cart.subtotal,
    promotions: cart.promotions,
    discount_total: cart.discount_total,
    service_charge: cart.service_charge,
    tax: cart.tax,
    total: cart.total,
    pay_at: choices.payAt,
  };
}

export function buildPayment(
  config: TerminalConfig,
  order: OrderRef,
  method: PaymentMethod,
  amount: number,
  extra: { tendered?: number; reference?: string },
  acting: Acting,
  now: string,
): CashierPayment {
  const doc: CashierPayment = {
    _id: newId('payment', now),
    type: 'payment',
    ...written(config, now),
    ...about(order),
    ...byStaff(acting),
    shift_id: acting.shiftId,
    method,
    order_total: order.total,
    amount,
  };
  if (method === 'cash') {
    const tendered = extra.tendered ?? amount;
    if (tendered < amount) throw new Error('tendered is less than the amount');
    doc.tendered = tendered;
    doc.change = tendered - amount;
  }
  if (extra.reference?.trim()) doc.reference = extra.reference.trim().slice(0, TEXT.paymentReference);
  return doc;
}

/** Asks the payment connector to charge the whole order through the provider (dynamic QRIS). */
export function buildPaymentRequest(config: TerminalConfig, order: OrderRef, now: string): PaymentRequest {
  return {
    _id: newId('payment_request', now),
    type: 'payment_request',
    ...written(config, now),
    ...about(order),
    method: 'qris',
    order_total: order.total,
    amount: order.total,
  };
}

export function buildVoid(config: TerminalConfig, order: OrderRef, reason: string, acting: Acting, approval: Approval, now: string): Void {
  return {
    _id: newId('void', now),
    type: 'void',
    ...written(config, now),
    ...about(order),
    ...byStaff(acting),
    ...approved(approval),
    reason: reason.trim().slice(0, TEXT.reason),
  };
}

export interface RefundChoice {
  /** What the terminal saw paid and already refunded on the order when it refunded. */
  paid: number;
  refundedBefore: number;
  amount: number;
  method: PaymentMethod;
  paymentId: string;
  lines?: RefundLine[];
}

/** A refund of part or all of what was paid on an order and not yet refunded. */
export function buildRefund(
  config: TerminalConfig,
  order: OrderRef,
  choice: RefundChoice,
  reason: string,
  acting: Acting,
  approval: Approval,
  now: string,
): Refund {
  if (choice.amount > choice.paid - choice.refundedBefore) throw new Error('A refund cannot be more than was paid and not yet refunded.');
  const doc: Refund = {
    _id: newId('refund', now),
    type: 'refund',
    ...written(config, now),
    ...about(order),
    ...byStaff(acting),
    ...approved(approval),
    order_total: order.total,
    paid: choice.paid,
    refunded_before: choice.refundedBefore,
    amount: choice.amount,
    method: choice.method,
    payment_id: choice.paymentId,
    shift_id: acting.shiftId,
    reason: reason.trim().slice(0, TEXT.reason),
  };
  if (choice.lines?.length) doc.lines = choice.lines;
  return doc;
}

/** A drawer opened with a counted float; the shift's key is the opening document's. */
export function buildShiftOpen(config: TerminalConfig, staff: Pick<Acting, 'staff' | 'staffName'>, float: number, now: string): ShiftOpen {
  const key = uuidv7({ msecs: Date.parse(now) });
  return { _id: `shift_open:${key}`, type: 'shift_open', ...written(config, now), ...byStaff(staff), shift_id: `shift:${key}`, float };
}

export function buildCashMovement(
  config: TerminalConfig,
  kind: CashMovement['kind'],
  amount: number,
  reason: string,
  acting: Acting,
  now: string,
): CashMovement {
  return {
    _id: newId('cash_movement', now),
    type: 'cash_movement',
    ...written(config, now),
    ...byStaff(acting),
    shift_id: acting.shiftId,
    kind,
    amount,
    reason: reason.trim().slice(0, TEXT.reason),
  };
}

export function buildShiftClose(config: TerminalConfig, counted: number, expected: number, acting: Acting, now: string): ShiftClose {
  return {
    _id: `shift_close:${acting.shiftId.slice('shift:'.length)}`,
    type: 'shift_close',
    ...written(config, now),
    ...byStaff(acting),
    shift_id: acting.shiftId,
    counted,
    expected,
  };
}

export function buildTicketEvent(config: TerminalConfig, order: OrderRef, status: TicketEvent['status'], now: string): TicketEvent {
  return {
    _id: newId('ticket_event', now),
    type: 'ticket_event',
    ...written(config, now),
    ...about(order),
    status,
  };
}

export function buildReview(config: TerminalConfig, orderId: string, reason: Review['reason'], detail: string, now: string): Review {
  return {
    _id: newId('review', now),
    type: 'review',
    ...written(config, now),
    order_id: orderId,
    reason,
    detail: detail.slice(0, TEXT.reviewDetail),
  };
}
