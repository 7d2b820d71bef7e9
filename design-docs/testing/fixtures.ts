// Well-formed documents and identities for tests. Each builder returns a fresh object that a
// test can then break on purpose.
import { v7 as uuidv7 } from 'uuid';
import { lineTotal, orderTotals } from '../lib/money';
import { role, userName, type TerminalType } from '../lib/names';
import type { UserCtx } from '../lib/principal';
import {
  SCHEMA_VERSION,
  type Order,
  type CashierPayment,
  type CashMovement,
  type ConnectorPayment,
  type PaymentRequest,
  type PaymentUpdate,
  type Product,
  type Refund,
  type ShiftClose,
  type ShiftOpen,
  type Staff,
  type TicketEvent,
  type Void,
} from '../lib/types';

export const NOW = '2026-01-20T08:15:00.000Z';

/**
 * When a fact is written: the current time, because the server refuses facts dated in its
 * future or (from a terminal) more than 30 days back (design-docs/lib/limits.ts, TIME).
 */
export function writtenNow(): string {
  return new Date().toISOString();
}

export interface TerminalSpec {
  tenant: string;
  store: string;
  code: string;
  type: TerminalType;
  brand: string;
}

export function terminalRoles(t: TerminalSpec): string[] {
  return [role.tenant(t.tenant), role.store(t.tenant, t.store), role.terminalType(t.type), role.brand(t.brand)];
}

export function terminalCtx(t: TerminalSpec): UserCtx {
  return { name: userName.terminal(t.tenant, t.store, t.code), roles: terminalRoles(t) };
}

export const ctx = {
  anonymous: (): UserCtx => ({ name: null, roles: [] }),
  serverAdmin: (): UserCtx => ({ name: 'admin', roles: ['_admin'] }),
  hq: (tenant: string): UserCtx => ({ name: userName.hq(tenant, 'ani'), roles: [role.tenant(tenant), role.hq(tenant)] }),
  storeAdmin: (tenant: string, store: string): UserCtx => ({
    name: userName.storeAdmin(tenant, store, 'budi'),
    roles: [role.tenant(tenant), role.store(tenant, store), role.storeAdmin(tenant, store)],
  }),
  replicator: (tenant: string, store: string): UserCtx => ({
    name: userName.replicator(tenant, store),
    roles: [role.tenant(tenant), role.store(tenant, store), role.replicator(tenant, store)],
  }),
  relay: (tenant: string, store: string): UserCtx => ({ name: userName.relay(tenant, store), roles: [role.relay(tenant, store)] }),
  terminal: terminalCtx,
};

export function kiosk(tenant = 'acme', store = 'mall', brand = 'AYAMGEPREK', code = 'KIOSK-GEPREK-01'): TerminalSpec {
  return { tenant, store, code, type: 'kiosk', brand };
}

export function terminalOf(t: TerminalSpec, type: TerminalType, code: string): TerminalSpec {
  return { ...t, type, code };
}

export const DEVICE = 'dev_0123456789ab';

export function order(t: TerminalSpec, overrides: Partial<Order> = {}): Order {
  const items = [
    {
      product_id: 'product:geprek-original',
      name: 'Ayam Geprek Original',
      unit_price: 25000,
      qty: 2,
      modifiers: [{ group_id: 'level', option_id: 'l3', name: 'Level 3', price: 0 }],
      line_total: 0,
    },
    {
      product_id: 'product:es-teh',
      name: 'Es Teh Manis',
      unit_price: 8000,
      qty: 1,
      modifiers: [{ group_id: 'size', option_id: 'jumbo', name: 'Jumbo', price: 3000 }],
      line_total: 0,
    },
  ];
  for (const i of items) i.line_total = lineTotal(i);
  const totals = orderTotals(
    items.map((i) => i.line_total),
    0,
    500,
    1000,
  );
  return {
    _id: `order:${uuidv7()}`,
    type: 'order',
    schema: SCHEMA_VERSION,
    tenant: t.tenant,
    store: t.store,
    brand: t.brand,
    terminal: t.code,
    terminal_type: t.type,
    device_id: DEVICE,
    channel: t.type === 'cashier' ? 'cashier' : t.type === 'waiter' ? 'waiter' : 'kiosk',
    number: 'K1-0001',
    service: 'dine_in',
    customer_name: 'Rina',
    items,
    promotions: [],
    pay_at: 'cashier',
    created_at: writtenNow(),
    ...totals,
    ...overrides,
  };
}

function written(t: TerminalSpec) {
  return {
    schema: SCHEMA_VERSION,
    tenant: t.tenant,
    store: t.store,
    brand: t.brand,
    terminal: t.code,
    terminal_type: t.type,
    device_id: DEVICE,
    created_at: writtenNow(),
  };
}

/** The order a fact is about: by default one of the writer's own brand at its store. */
function about(t: TerminalSpec, orderId: string) {
  return { order_id: orderId, order_brand: t.brand, order_store: t.store };
}

/** The cashier signed in at the terminal, and the supervisor who approves with their PIN. */
export const CASHIER_STAFF = { staff: 'staff:sari', staff_name: 'Sari' };
export const APPROVED = { ...CASHIER_STAFF, approved_by: 'staff:budi', approved_by_name: 'Budi' };
export const SHIFT_KEY = '0190f0e0-0000-7000-8000-000000000001';

export function payment(t: TerminalSpec, orderId: string, overrides: Partial<CashierPayment> = {}): CashierPayment {
  return {
    _id: `payment:${uuidv7()}`,
    type: 'payment',
    ...written(t),
    ...about(t, orderId),
    ...CASHIER_STAFF,
    shift_id: `shift:${SHIFT_KEY}`,
    method: 'cash',
    order_total: 100000,
    amount: 50000,
    tendered: 100000,
    change: 50000,
    ...overrides,
  };
}

/** A kiosk's or cashier's request to charge an order through the payment provider. */
export function paymentRequest(t: TerminalSpec, orderId: string, overrides: Partial<PaymentRequest> = {}): PaymentRequest {
  return {
    _id: `payment_request:${uuidv7()}`,
    type: 'payment_request',
    ...written(t),
    ...about(t, orderId),
    method: 'qris',
    order_total: 50000,
    amount: 50000,
    ...overrides,
  };
}

export function connectorCtx(tenant: string, store: string): UserCtx {
  return { name: userName.connector(tenant, store), roles: [role.connector(tenant, store)] };
}

/** What the connector writes about `request`, as the connector. */
function connectorWritten(request: PaymentRequest) {
  return {
    schema: SCHEMA_VERSION,
    tenant: request.tenant,
    store: request.store,
    writer: 'connector' as const,
    brand: request.order_brand,
    created_at: writtenNow(),
    order_id: request.order_id,
    order_brand: request.order_brand,
    order_store: request.order_store,
    request_id: request._id,
    provider: 'midtrans' as const,
  };
}

const requestKey = (request: PaymentRequest) => request._id.slice('payment_request:'.length);

export function connectorPayment(request: PaymentRequest, overrides: Partial<ConnectorPayment> = {}): ConnectorPayment {
  return {
    _id: `payment:${requestKey(request)}`,
    type: 'payment',
    ...connectorWritten(request),
    method: 'qris',
    order_total: request.order_total,
    amount: request.amount,
    reference: 'b2a1e0f4-5c2e-4a7e-9d1c-3f0e2d1c0b9a',
    ...overrides,
  };
}

export function paymentUpdate(
  request: PaymentRequest,
  status: PaymentUpdate['status'],
  overrides: Partial<PaymentUpdate> = {},
): PaymentUpdate {
  return {
    _id: `payment_update:${requestKey(request)}-${status}`,
    type: 'payment_update',
    ...connectorWritten(request),
    status,
    ...(status === 'pending'
      ? { qr_string: '00020101021226620014COM.GO-JEK.WWW', reference: 'b2a1e0f4' }
      : { reason: 'provider_unreachable' }),
    ...overrides,
  };
}

export function voidDoc(t: TerminalSpec, orderId: string, reason = 'Pelanggan membatalkan pesanan'): Void {
  return { _id: `void:${uuidv7()}`, type: 'void', ...written(t), ...about(t, orderId), ...APPROVED, reason };
}

export function refund(t: TerminalSpec, orderId: string, overrides: Partial<Refund> = {}): Refund {
  return {
    _id: `refund:${uuidv7()}`,
    type: 'refund',
    ...written(t),
    ...about(t, orderId),
    ...APPROVED,
    order_total: 50000,
    paid: 50000,
    refunded_before: 0,
    amount: 20000,
    method: 'cash',
    payment_id: `payment:${uuidv7()}`,
    shift_id: `shift:${SHIFT_KEY}`,
    reason: 'Es teh tidak tersedia',
    ...overrides,
  };
}

export function shiftOpen(t: TerminalSpec, key = SHIFT_KEY, float = 500000): ShiftOpen {
  return { _id: `shift_open:${key}`, type: 'shift_open', ...written(t), ...CASHIER_STAFF, shift_id: `shift:${key}`, float };
}

export function cashMovement(t: TerminalSpec, overrides: Partial<CashMovement> = {}): CashMovement {
  return {
    _id: `cash_movement:${uuidv7()}`,
    type: 'cash_movement',
    ...written(t),
    ...CASHIER_STAFF,
    shift_id: `shift:${SHIFT_KEY}`,
    kind: 'pay_out',
    amount: 20000,
    reason: 'Beli es batu',
    ...overrides,
  };
}

export function shiftClose(t: TerminalSpec, key = SHIFT_KEY, counted = 500000, expected = 500000): ShiftClose {
  return { _id: `shift_close:${key}`, type: 'shift_close', ...written(t), ...CASHIER_STAFF, shift_id: `shift:${key}`, counted, expected };
}

/** A supervisor; the PIN hash is a well-formed stand-in (tests that check a PIN hash one with pin.ts). */
export function staff(tenant: string, store: string, overrides: Partial<Staff> = {}): Staff {
  return {
    _id: 'staff:budi',
    type: 'staff',
    schema: SCHEMA_VERSION,
    tenant,
    store,
    name: 'Budi',
    role: 'supervisor',
    pin: { alg: 'pbkdf2-sha256', iterations: 150000, salt: 'c2FsdHNhbHRzYWx0c2FsdA==', hash: 'x'.repeat(43) + '=' },
    active: true,
    updated_at: writtenNow(),
    ...overrides,
  };
}

export function ticketEvent(t: TerminalSpec, orderId: string, status: TicketEvent['status']): TicketEvent {
  return { _id: `ticket_event:${uuidv7()}`, type: 'ticket_event', ...written(t), ...about(t, orderId), status };
}

export function product(tenant: string, overrides: Partial<Product> = {}): Product {
  return {
    _id: 'product:geprek-original',
    type: 'product',
    schema: SCHEMA_VERSION,
    tenant,
    brand: 'AYAMGEPREK',
    category_id: 'category:geprek-ayam',
    name: 'Ayam Geprek Original',
    price: 25000,
    modifier_groups: [{ id: 'level', name: 'Level Pedas', required: true, max: 1, options: [{ id: 'l0', name: 'Tidak pedas', price: 0 }] }],
    available: true,
    sort: 1,
    updated_at: NOW,
    ...overrides,
  };
}

export function binding(t: TerminalSpec, deviceId = DEVICE) {
  return {
    _id: `binding:${t.code}`,
    type: 'binding',
    schema: SCHEMA_VERSION,
    tenant: t.tenant,
    store: t.store,
    terminal: t.code,
    device_id: deviceId,
    device: { hostname: 'KASIR-PC-01', platform: 'Linux', user_agent: 'test', screen: '1280x800' },
    assigned_at: writtenNow(),
  };
}

export function terminalDoc(t: TerminalSpec) {
  return {
    _id: `terminal:${t.code}`,
    type: 'terminal',
    schema: SCHEMA_VERSION,
    tenant: t.tenant,
    store: t.store,
    code: t.code,
    name: t.code,
    terminal_type: t.type,
    brand: t.brand,
    order_prefix: 'K1',
    active: true,
    updated_at: NOW,
  };
}
