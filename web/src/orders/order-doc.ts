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
  type Refund,
  type Review,
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
  now: string,
): CashierPayment {
  const doc: CashierPayment = {
    _id: `payment:${uuidv7({ msecs: Date.parse(now) })}`,
    type: 'payment',
    ...written(config, now),
    ...about(order),
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
    _id: `payment_request:${uuidv7({ msecs: Date.parse(now) })}`,
    type: 'payment_request',
    ...written(config, now),
    ...about(order),
    method: 'qris',
    order_total: order.total,
    amount: order.total,
  };
}

export function buildVoid(config: TerminalConfig, order: OrderRef, reason: string, now: string): Void {
  return {
    _id: `void:${uuidv7({ msecs: Date.parse(now) })}`,
    type: 'void',
    ...written(config, now),
    ...about(order),
    reason: reason.trim().slice(0, TEXT.reason),
  };
}

/** A refund of part or all of what was paid on an order; `paid` is what the terminal saw paid when it refunded. */
export function buildRefund(
  config: TerminalConfig,
  order: OrderRef,
  paid: number,
  amount: number,
  method: PaymentMethod,
  reason: string,
  now: string,
): Refund {
  if (amount > paid) throw new Error('A refund cannot be more than was paid on the order.');
  return {
    _id: `refund:${uuidv7({ msecs: Date.parse(now) })}`,
    type: 'refund',
    ...written(config, now),
    ...about(order),
    order_total: order.total,
    paid,
    amount,
    method,
    reason: reason.trim().slice(0, TEXT.reason),
  };
}

export function buildTicketEvent(config: TerminalConfig, order: OrderRef, status: TicketEvent['status'], now: string): TicketEvent {
  return {
    _id: `ticket_event:${uuidv7({ msecs: Date.parse(now) })}`,
    type: 'ticket_event',
    ...written(config, now),
    ...about(order),
    status,
  };
}

export function buildReview(config: TerminalConfig, orderId: string, reason: Review['reason'], detail: string, now: string): Review {
  return {
    _id: `review:${uuidv7({ msecs: Date.parse(now) })}`,
    type: 'review',
    ...written(config, now),
    order_id: orderId,
    reason,
    detail: detail.slice(0, TEXT.reviewDetail),
  };
}
