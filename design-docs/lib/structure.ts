// Client-safe structure validator: is this a well-formed Lapak document? It says nothing
// about who may write it (that is authority.ts, server-only). The app runs it before
// saving so that a bad document is caught on the device with a clear message.
import { Check, DOC_KEY, isObject } from './check';
import { COUNTS, DEVICE_INFO, DOC_SIZE, MONEY, TEXT } from './limits';
import { lineTotal } from './money';
import { BRAND_CODE, isTerminalCode, STORE_CODE, TENANT_CODE, TERMINAL_TYPES } from './names';
import {
  CASH_MOVEMENT_KINDS,
  INTEGRITY_ALERT_PREFIX,
  KITCHEN_SENDS,
  ORDER_CHANNELS,
  PAYMENT_METHODS,
  PAYMENT_UPDATE_STATUSES,
  PROVIDERS,
  RECONCILE_REPORT_PREFIX,
  REPLICATION_STATES,
  REQUESTED_METHODS,
  REVIEW_REASONS,
  SCHEMA_VERSION,
  SERVICE_MODES,
  STAFF_ROLES,
  TERMINAL_REQUEST_ACTIONS,
  TERMINAL_REQUEST_PREFIX,
  TERMINAL_REQUEST_RESULT_PREFIX,
  TICKET_STATUSES,
} from './types';

export const ORDER_NUMBER = /^[A-Z0-9]{1,6}-[0-9]{1,6}$/;
const ORDER_ID = /^order:[A-Za-z0-9_-]{1,64}$/;
const DEVICE_ID = /^dev_[0-9a-f]{12}$/;
/** `<ISO time>:<random>`, the key of a terminal request and of its result. */
export const REQUEST_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z:[A-Za-z0-9_-]{4,64}$/;
const USER_NAME = /^[A-Za-z0-9_.@+-]{1,120}$/;
const REPLICATION_JOB = /^lapak_[a-z0-9_-]{1,120}$/;

const DB_NAME = /^(_users|_replicator|lapak_[a-z0-9_-]{1,120})$/;

type Rules = (c: Check, doc: Record<string, unknown>) => void;

export const STAFF_ID = /^staff:[A-Za-z0-9_-]{1,64}$/;
const SHIFT_ID = /^shift:[A-Za-z0-9_-]{1,64}$/;
const PAYMENT_ID = /^payment:[A-Za-z0-9_-]{1,64}$/;
/** PBKDF2 iterations a stored PIN must have been hashed with at least (pin.ts hashes with more). */
export const PIN_MIN_ITERATIONS = 100_000;

function tenantScoped(c: Check): void {
  c.string('tenant', { pattern: TENANT_CODE });
}

function storeScoped(c: Check): void {
  tenantScoped(c);
  c.string('store', { pattern: STORE_CODE });
}

function terminalWritten(c: Check): void {
  storeScoped(c);
  c.custom(isTerminalCode(c.get('terminal')), 'terminal', 'must be a terminal code such as KIOSK-GEPREK-01');
  c.oneOf('terminal_type', TERMINAL_TYPES);
  c.string('brand', { pattern: BRAND_CODE });
  c.string('device_id', { pattern: DEVICE_ID });
  c.time('created_at');
}

/** The payment connector's facts name no terminal or device; their brand is the order's. */
function connectorWritten(c: Check, doc: Record<string, unknown>): void {
  storeScoped(c);
  c.equals('writer', 'connector');
  c.custom(doc.brand === doc.order_brand, 'brand', "must be the order's brand (order_brand)");
  for (const f of ['terminal', 'terminal_type', 'device_id'])
    c.custom(doc[f] === undefined, f, 'must be absent: the payment connector is not a terminal');
  c.time('created_at');
}

const PAYMENT_REQUEST_ID = /^payment_request:[A-Za-z0-9_-]{1,48}$/;

/** The connector's facts about a request: `_id` is `<type>:<request key><suffix>`, so each is written once. */
function requestKeyId(c: Check, doc: Record<string, unknown>, suffix: string): void {
  const request = typeof doc.request_id === 'string' && PAYMENT_REQUEST_ID.test(doc.request_id) ? doc.request_id : null;
  c.custom(request !== null, 'request_id', 'must be the _id of a payment_request');
  if (request === null) return;
  const want = `${doc.type as string}:${request.slice('payment_request:'.length)}${suffix}`;
  c.custom(doc._id === want, '_id', `must be ${want}`);
}

/** Amount and the order's total of a payment or request: never more than the order. */
function amountWithinOrder(c: Check, doc: Record<string, unknown>): void {
  c.int('order_total', { min: 1, max: MONEY.orderTotalMax });
  c.int('amount', { min: 1, max: MONEY.orderTotalMax });
  if (c.errors.length === 0)
    c.custom(
      (doc.amount as number) <= (doc.order_total as number),
      'amount',
      `must not exceed the order's total (${String(doc.order_total)})`,
    );
}

/**
 * A fact about an order (payment, void, refund, ticket event) says which brand and store the
 * order belongs to, so the server can refuse a writer that may not act on it without reading
 * the order (a validate function sees one document only). Readers count a fact for an order
 * only when these agree with the order (see fact-match.ts).
 */
function aboutOrder(c: Check, doc: Record<string, unknown>): void {
  c.string('order_id', { pattern: ORDER_ID });
  c.string('order_brand', { pattern: BRAND_CODE });
  c.custom(doc.order_store === doc.store, 'order_store', 'must be the store of the order, which is this store (store)');
}

/** Who did it at a cashier, and (`approved`) which supervisor approved it with their PIN. */
function byStaff(c: Check, approved = false): void {
  c.string('staff', { pattern: STAFF_ID });
  c.string('staff_name', { max: TEXT.name });
  if (!approved) return;
  c.string('approved_by', { pattern: STAFF_ID });
  c.string('approved_by_name', { max: TEXT.name });
}

/** A cash shift's documents share one key: `shift_open:<key>`, `shift_close:<key>` and `shift:<key>`. */
function shiftKeyId(c: Check, doc: Record<string, unknown>): void {
  c.string('shift_id', { pattern: SHIFT_ID });
  const key = typeof doc.shift_id === 'string' ? doc.shift_id.slice('shift:'.length) : '';
  c.custom(doc._id === `${doc.type as string}:${key}`, '_id', `must be ${doc.type as string}:<the key of shift_id>`);
}

function modifierGroup(g: Record<string, unknown>, c: Check): void {
  c.string('id', { pattern: DOC_KEY });
  c.string('name', { max: 60 });
  c.string('name_en', { max: 60, optional: true });
  c.bool('required');
  c.int('max', { min: 1, max: 20 });
  c.array(
    'options',
    (_o, oc) => {
      oc.string('id', { pattern: DOC_KEY });
      oc.string('name', { max: 60 });
      oc.string('name_en', { max: 60, optional: true });
      oc.int('price', { max: MONEY.modifierPriceMax });
    },
    { min: 1, max: COUNTS.optionsPerModifierGroup },
  );
}

/** The id says what the document is: `<type>:<key>`, where the key is a code or a client-made UUID. */
function idRule(c: Check, doc: Record<string, unknown>, key: RegExp = DOC_KEY): void {
  const id = doc._id;
  const prefix = `${doc.type as string}:`;
  c.custom(typeof id === 'string' && id.indexOf(prefix) === 0 && key.test(id.slice(prefix.length)), '_id', `must look like ${prefix}<key>`);
}

function codeIdRule(field: string): Rules {
  return (c, doc) =>
    c.custom(doc._id === `${doc.type as string}:${doc[field] as string}`, '_id', `must be ${doc.type as string}:<${field}>`);
}

const RULES: Record<string, Rules[]> = {
  // catalog
  category: [
    idRule,
    (c) => {
      tenantScoped(c);
      c.string('brand', { pattern: BRAND_CODE });
      c.string('name', { max: 60 });
      c.string('name_en', { max: 60, optional: true });
      c.int('sort', { max: 100000 });
      c.time('updated_at');
    },
  ],
  product: [
    idRule,
    (c) => {
      tenantScoped(c);
      c.string('brand', { pattern: BRAND_CODE });
      c.string('category_id', { pattern: /^category:[A-Za-z0-9_-]{1,64}$/ });
      c.string('name', { max: 80 });
      c.string('name_en', { max: 80, optional: true });
      c.string('description', { max: 400, optional: true, min: 0 });
      c.int('price', { max: MONEY.productPriceMax });
      c.array('modifier_groups', modifierGroup, { max: COUNTS.modifierGroupsPerProduct });
      c.bool('available');
      c.int('sort', { max: 100000 });
      c.time('updated_at');
    },
  ],
  promotion: [
    idRule,
    (c, doc) => {
      tenantScoped(c);
      c.string('brand', { pattern: BRAND_CODE });
      c.string('name', { max: 80 });
      c.oneOf('kind', ['percent', 'amount']);
      c.int('value', { min: 1, max: doc.kind === 'percent' ? 100 : 100000000 });
      c.stringList('product_ids', /^product:[A-Za-z0-9_-]{1,64}$/);
      c.time('starts_at');
      c.time('ends_at');
      c.custom(
        typeof doc.starts_at !== 'string' || typeof doc.ends_at !== 'string' || doc.starts_at < doc.ends_at,
        'ends_at',
        'must be after starts_at',
      );
      c.bool('active');
      c.time('updated_at');
    },
  ],
  // brand lives in the catalog (tenant-wide) and in the directory (enabled at this store)
  brand: [
    codeIdRule('code'),
    (c, doc) => {
      tenantScoped(c);
      if (doc.store !== undefined) {
        c.string('store', { pattern: STORE_CODE });
        c.bool('active');
        c.int('amber_after_min', { min: 1, max: 240, optional: true });
        c.int('red_after_min', { min: 1, max: 480, optional: true });
      }
      c.string('code', { pattern: BRAND_CODE });
      c.string('name', { max: 80 });
      c.string('color', { pattern: /^#[0-9a-fA-F]{6}$/, optional: true });
      c.time('updated_at');
    },
  ],
  // directory
  store: [
    (c, doc) => {
      if (typeof doc._id === 'string' && doc._id.indexOf('store:') === 0) return hqStoreEntry(c, doc);
      c.custom(doc._id === 'store', '_id', 'must be "store" (in a store directory) or store:<store code> (in the HQ database)');
      storeScoped(c);
      c.string('name', { max: 80 });
      c.string('tenant_name', { max: 80 });
      c.string('timezone', { max: 60 });
      c.int('tax_rate_bp', { max: 10000 });
      c.int('service_rate_bp', { max: 10000 });
      c.int('kiosk_idle_seconds', { min: 15, max: 3600, optional: true });
      c.int('ready_clear_seconds', { min: 10, max: 7200, optional: true });
      c.int('business_day_ends_hour', { max: 12, optional: true });
      c.int('cashier_lock_seconds', { min: 15, max: 3600, optional: true });
      c.custom(
        doc.kitchen_sends === undefined || (KITCHEN_SENDS as readonly unknown[]).indexOf(doc.kitchen_sends) !== -1,
        'kitchen_sends',
        `must be one of ${KITCHEN_SENDS.join(', ')}`,
      );
      c.time('updated_at');
    },
  ],
  staff: [
    idRule,
    (c, doc) => {
      storeScoped(c);
      c.string('name', { max: TEXT.name });
      c.oneOf('role', STAFF_ROLES);
      c.bool('active');
      c.time('updated_at');
      const pin = doc.pin;
      c.custom(isObject(pin), 'pin', 'must be the PIN hash object {alg, iterations, salt, hash} (design-docs/lib/pin.ts)');
      if (!isObject(pin)) return;
      const pc = new Check(pin);
      pc.equals('alg', 'pbkdf2-sha256');
      pc.int('iterations', { min: PIN_MIN_ITERATIONS, max: 10_000_000 });
      pc.string('salt', { pattern: /^[A-Za-z0-9+/]{16,64}={0,2}$/ });
      pc.string('hash', { pattern: /^[A-Za-z0-9+/]{43}=$/ });
      for (const e of pc.errors) c.errors.push(`pin.${e}`);
    },
  ],
  // control (HQ's requests to the store agent, and what it reports)
  terminal_request: [
    (c, doc) => idRule(c, doc, REQUEST_KEY),
    (c, doc) => {
      storeScoped(c);
      c.oneOf('action', TERMINAL_REQUEST_ACTIONS);
      c.custom(isTerminalCode(doc.terminal), 'terminal', 'must be a terminal code such as KIOSK-GEPREK-01');
      c.string('requested_by', { pattern: USER_NAME });
      c.time('requested_at');
    },
  ],
  terminal_request_result: [
    (c, doc) => idRule(c, doc, REQUEST_KEY),
    (c, doc) => {
      storeScoped(c);
      const request = doc.request;
      c.custom(
        typeof request === 'string' &&
          request.indexOf(TERMINAL_REQUEST_PREFIX) === 0 &&
          doc._id === TERMINAL_REQUEST_RESULT_PREFIX + request.slice(TERMINAL_REQUEST_PREFIX.length),
        'request',
        'must be the id of the request this result answers (terminal_request:<key>, with the same <key> as this result)',
      );
      c.oneOf('action', TERMINAL_REQUEST_ACTIONS);
      c.custom(isTerminalCode(doc.terminal), 'terminal', 'must be a terminal code');
      c.bool('ok');
      c.string('code', { max: 40, optional: true });
      c.string('setup_url', { max: 500, optional: true });
      c.custom(
        doc.previous_device === undefined || doc.previous_device === null || typeof doc.previous_device === 'string',
        'previous_device',
        'must be a device id or null',
      );
      c.string('error', { max: 1000, optional: true });
      if (doc.ok === true) c.string('code', { max: 40 });
      if (doc.ok === false) c.string('error', { max: 1000 });
      c.time('done_at');
    },
  ],
  replication_status: [
    (c, doc) => c.custom(doc._id === `replication_status:${doc.job as string}`, '_id', 'must be replication_status:<job>'),
    (c, doc) => {
      storeScoped(c);
      c.string('job', { pattern: REPLICATION_JOB });
      c.string('db', { pattern: REPLICATION_JOB });
      c.oneOf('direction', ['up', 'down']);
      c.oneOf('state', REPLICATION_STATES);
      c.string('reason', { max: 1000, optional: true, min: 0 });
      for (const f of ['docs_pending', 'docs_written']) if (doc[f] !== null) c.int(f, { optional: true });
      if (doc.last_checkpoint_at !== null) c.time('last_checkpoint_at', { optional: true });
      c.bool('central_reachable');
      c.time('updated_at');
    },
  ],
  integrity_alert: [
    (c, doc) => agentReportId(c, doc, INTEGRITY_ALERT_PREFIX, 'found_at'),
    (c) => {
      storeScoped(c);
      c.oneOf('server', ['store', 'central']);
      c.array(
        'repairs',
        (r, rc) => {
          rc.string('db', { pattern: DB_NAME });
          rc.oneOf('what', ['design_doc', 'security', 'database']);
          if (r.what === 'design_doc') rc.string('id', { pattern: /^_design\/[^\s]{1,120}$/ });
          rc.oneOf('change', ['restored', 'removed', 'created']);
        },
        { min: 1, max: 200 },
      );
      c.time('found_at');
    },
  ],
  reconcile_report: [
    (c, doc) => agentReportId(c, doc, RECONCILE_REPORT_PREFIX, 'done_at'),
    (c, doc) => {
      storeScoped(c);
      c.oneOf('sweep', ['window', 'full']);
      if (doc.sweep === 'window') c.time('since');
      c.array(
        'dbs',
        (_d, dc) => {
          dc.string('db', { pattern: DB_NAME });
          dc.int('checked');
          dc.int('pushed');
        },
        { min: 1, max: 20 },
      );
      c.int('checked');
      c.int('pushed');
      c.time('done_at');
    },
  ],
  terminal: [
    codeIdRule('code'),
    (c) => {
      storeScoped(c);
      c.custom(isTerminalCode(c.get('code')), 'code', 'must be a terminal code such as KIOSK-GEPREK-01');
      c.string('name', { max: 80 });
      c.oneOf('terminal_type', TERMINAL_TYPES);
      c.string('brand', { pattern: BRAND_CODE });
      c.string('order_prefix', { pattern: /^[A-Z0-9]{1,6}$/ });
      c.bool('active');
      c.time('updated_at');
    },
  ],
  binding: [
    codeIdRule('terminal'),
    (c, doc) => {
      storeScoped(c);
      c.custom(isTerminalCode(doc.terminal), 'terminal', 'must be a terminal code');
      c.string('device_id', { pattern: DEVICE_ID });
      deviceInfo(c, doc.device);
      c.time('assigned_at');
    },
  ],
  // ops
  order: [
    (c, doc) => idRule(c, doc),
    (c, doc) => {
      terminalWritten(c);
      c.oneOf('channel', ORDER_CHANNELS);
      c.string('number', { pattern: ORDER_NUMBER });
      c.oneOf('service', SERVICE_MODES);
      c.string('customer_name', { max: TEXT.customerName, min: 0 });
      c.oneOf('pay_at', ['cashier', ...PAYMENT_METHODS]);
      const lines: number[] = [];
      c.array(
        'items',
        (item, ic) => {
          ic.string('product_id', { pattern: /^product:[A-Za-z0-9_-]{1,64}$/ });
          ic.string('name', { max: TEXT.name });
          ic.int('unit_price', { min: MONEY.unitPriceMin, max: MONEY.unitPriceMax });
          ic.int('qty', { min: 1, max: COUNTS.qtyMax });
          ic.string('note', { max: TEXT.itemNote, optional: true, min: 0 });
          ic.array(
            'modifiers',
            (_m, mc) => {
              mc.string('group_id', { pattern: DOC_KEY });
              mc.string('option_id', { pattern: DOC_KEY });
              mc.string('name', { max: TEXT.modifierName });
              mc.int('price', { max: MONEY.modifierPriceMax });
            },
            { max: COUNTS.modifiersPerItem },
          );
          ic.int('line_total');
          if (ic.errors.length === 0) {
            const expected = lineTotal(item as never);
            ic.custom(item.line_total === expected, 'line_total', `must be qty × (unit_price + modifiers) = ${expected}`);
            lines.push(expected);
          }
        },
        { min: 1, max: COUNTS.itemsPerOrder },
      );
      let discount = 0;
      c.array(
        'promotions',
        (p, pc) => {
          pc.string('promotion_id', { pattern: /^promotion:[A-Za-z0-9_-]{1,64}$/ });
          pc.string('name', { max: TEXT.name });
          pc.int('amount', { max: MONEY.orderTotalMax });
          discount += typeof p.amount === 'number' ? p.amount : 0;
        },
        { max: COUNTS.promotionsPerOrder },
      );
      for (const f of ['subtotal', 'discount_total', 'service_charge', 'tax']) c.int(f, { max: MONEY.orderTotalMax });
      c.int('total', { max: MONEY.orderTotalMax });
      if (c.errors.length > 0) return;
      const subtotal = lines.reduce((a, b) => a + b, 0);
      c.custom(doc.subtotal === subtotal, 'subtotal', `must be the sum of line totals (${subtotal})`);
      c.custom(
        doc.discount_total === discount && discount <= subtotal,
        'discount_total',
        'must be the sum of promotion amounts and not exceed the subtotal',
      );
      const total = subtotal - discount + (doc.service_charge as number) + (doc.tax as number);
      c.custom(doc.total === total, 'total', `must be subtotal - discount_total + service_charge + tax (${total})`);
    },
  ],
  payment: [
    (c, doc) => (doc.writer === undefined ? idRule(c, doc) : requestKeyId(c, doc, '')),
    (c, doc) => {
      if (doc.writer === undefined) terminalWritten(c);
      else connectorWritten(c, doc);
      aboutOrder(c, doc);
      c.oneOf('method', doc.writer === undefined ? PAYMENT_METHODS : REQUESTED_METHODS);
      amountWithinOrder(c, doc);
      // Cash is counted in hand; QRIS and card are confirmed by what was seen: the provider's transaction
      // id, the static QRIS notification's reference or the card terminal's approval code.
      c.string('reference', { max: TEXT.paymentReference, min: 4, optional: doc.method === 'cash' });
      if (doc.writer !== undefined) c.oneOf('provider', PROVIDERS);
      else {
        byStaff(c);
        c.string('shift_id', { pattern: SHIFT_ID });
      }
      if (doc.method === 'cash') {
        c.int('tendered', { min: 1, max: MONEY.tenderedMax });
        c.int('change');
        c.custom(doc.tendered === (doc.amount as number) + (doc.change as number), 'change', 'must be tendered - amount');
      }
    },
  ],
  payment_request: [
    (c, doc) => idRule(c, doc),
    (c, doc) => {
      terminalWritten(c);
      aboutOrder(c, doc);
      c.oneOf('method', REQUESTED_METHODS);
      amountWithinOrder(c, doc);
    },
  ],
  payment_update: [
    (c, doc) => requestKeyId(c, doc, `-${String(doc.status)}`),
    (c, doc) => {
      connectorWritten(c, doc);
      aboutOrder(c, doc);
      c.oneOf('status', PAYMENT_UPDATE_STATUSES);
      c.oneOf('provider', PROVIDERS);
      c.string('reference', { max: TEXT.paymentReference, optional: true });
      c.string('qr_string', { max: 1024, optional: true });
      c.time('expires_at', { optional: true });
      c.string('reason', { max: TEXT.reason, optional: true });
      if (doc.status === 'pending') c.custom(typeof doc.qr_string === 'string', 'qr_string', 'is needed when the status is pending');
    },
  ],
  void: [
    (c, doc) => idRule(c, doc),
    (c, doc) => {
      terminalWritten(c);
      aboutOrder(c, doc);
      byStaff(c, true);
      c.string('reason', { max: TEXT.reason, min: TEXT.reasonMin });
    },
  ],
  refund: [
    (c, doc) => idRule(c, doc),
    (c, doc) => {
      terminalWritten(c);
      aboutOrder(c, doc);
      // What the refund refers to: the order's total and what had been paid on it when it was written.
      c.int('order_total', { min: 1, max: MONEY.orderTotalMax });
      c.int('paid', { min: 1, max: MONEY.orderTotalMax });
      c.int('refunded_before', { max: MONEY.orderTotalMax });
      c.int('amount', { min: 1, max: MONEY.orderTotalMax });
      if (c.errors.length === 0) {
        c.custom(
          (doc.paid as number) <= (doc.order_total as number),
          'paid',
          `must not exceed the order's total (${String(doc.order_total)})`,
        );
        const left = (doc.paid as number) - (doc.refunded_before as number);
        c.custom((doc.amount as number) <= left, 'amount', `must not exceed what was paid and not yet refunded (${left})`);
      }
      c.oneOf('method', PAYMENT_METHODS);
      c.string('payment_id', { pattern: PAYMENT_ID });
      if (doc.lines !== undefined) {
        c.array(
          'lines',
          (_l, lc) => {
            lc.int('line', { max: COUNTS.itemsPerOrder - 1 });
            lc.int('qty', { min: 1, max: COUNTS.qtyMax });
            lc.int('amount', { max: MONEY.orderTotalMax });
          },
          { min: 1, max: COUNTS.itemsPerOrder },
        );
        const lines = Array.isArray(doc.lines) ? (doc.lines as { amount?: unknown }[]) : [];
        const sum = lines.reduce((a, l) => a + (typeof l.amount === 'number' ? l.amount : 0), 0);
        c.custom(sum === doc.amount, 'amount', `must be the sum of the refunded lines (${sum})`);
      }
      byStaff(c, true);
      c.string('shift_id', { pattern: SHIFT_ID });
      c.string('reason', { max: TEXT.reason, min: TEXT.reasonMin });
    },
  ],
  shift_open: [
    shiftKeyId,
    (c) => {
      terminalWritten(c);
      byStaff(c);
      c.int('float', { max: MONEY.tenderedMax });
    },
  ],
  cash_movement: [
    idRule,
    (c) => {
      terminalWritten(c);
      byStaff(c);
      c.string('shift_id', { pattern: SHIFT_ID });
      c.oneOf('kind', CASH_MOVEMENT_KINDS);
      c.int('amount', { min: 1, max: MONEY.tenderedMax });
      c.string('reason', { max: TEXT.reason, min: TEXT.reasonMin });
    },
  ],
  shift_close: [
    shiftKeyId,
    (c) => {
      terminalWritten(c);
      byStaff(c);
      c.int('counted', { max: MONEY.tenderedMax * 100 });
      c.int('expected', { min: -MONEY.tenderedMax * 100, max: MONEY.tenderedMax * 100 });
    },
  ],
  ticket_event: [
    (c, doc) => idRule(c, doc),
    (c, doc) => {
      terminalWritten(c);
      aboutOrder(c, doc);
      c.oneOf('status', TICKET_STATUSES);
    },
  ],
  review: [
    (c, doc) => idRule(c, doc),
    (c) => {
      terminalWritten(c);
      c.string('order_id', { pattern: ORDER_ID });
      c.oneOf('reason', REVIEW_REASONS);
      c.string('detail', { max: TEXT.reviewDetail });
    },
  ],
  heartbeat: [
    codeIdRule('terminal'),
    (c, doc) => {
      storeScoped(c);
      c.custom(isTerminalCode(doc.terminal), 'terminal', 'must be a terminal code');
      c.time('last_seen');
      c.string('device_id', { pattern: DEVICE_ID, optional: true });
      c.string('app_version', { max: 40, optional: true });
    },
  ],
};

/** What the pairing screen shows about a device: a few short strings, nothing else. */
function deviceInfo(c: Check, device: unknown): void {
  if (!isObject(device)) return c.custom(false, 'device', 'must be an object');
  for (const key of Object.keys(device)) {
    const v = device[key];
    c.custom(
      (DEVICE_INFO.fields as readonly string[]).indexOf(key) !== -1,
      `device.${key}`,
      `is not a device field (allowed: ${DEVICE_INFO.fields.join(', ')})`,
    );
    c.custom(
      typeof v === 'string' && v.length <= TEXT.deviceField,
      `device.${key}`,
      `must be a string of at most ${TEXT.deviceField} characters`,
    );
  }
  c.custom(jsonSize(device) <= DEVICE_INFO.maxJson, 'device', `must be at most ${DEVICE_INFO.maxJson} characters as JSON`);
}

/** The document's size as JSON, without replication metadata (`_revisions`) and attachments, which CouchDB bounds itself. */
export function jsonSize(doc: Record<string, unknown>): number {
  const body: Record<string, unknown> = {};
  for (const key of Object.keys(doc)) if (key === '_id' || key.charAt(0) !== '_') body[key] = doc[key];
  return JSON.stringify(body).length;
}

/** `<prefix><time>:<random>`, where the time is the document's own `timeField`: ids sort by time. */
function agentReportId(c: Check, doc: Record<string, unknown>, prefix: string, timeField: string): void {
  const id = doc._id;
  const key = typeof id === 'string' && id.indexOf(prefix) === 0 ? id.slice(prefix.length) : '';
  c.custom(REQUEST_KEY.test(key) && key.indexOf(`${String(doc[timeField])}:`) === 0, '_id', `must be ${prefix}<${timeField}>:<random>`);
}

/** The store's entry in the tenant's HQ database (`store:<code>`), written by provisioning. */
function hqStoreEntry(c: Check, doc: Record<string, unknown>): void {
  c.custom(doc._id === `store:${doc.store as string}`, '_id', 'must be store:<store code>');
  storeScoped(c);
  c.string('name', { max: 80 });
  c.string('timezone', { max: 60 });
  c.string('public_url', { max: 300, pattern: /^https?:\/\/[^\s]+$/ });
  c.time('provisioned_at');
  c.time('updated_at');
}

export const DOC_TYPES = Object.keys(RULES);

/** Structure errors of a document, empty when it is well formed. Deletions carry no body to check. */
export function structureErrors(doc: Record<string, unknown>): string[] {
  if (doc._deleted === true) return [];
  const type = doc.type;
  if (typeof type !== 'string' || !RULES[type]) return [`type must be one of ${DOC_TYPES.join(', ')}`];
  const c = new Check(doc);
  const maxSize = DOC_SIZE[type];
  if (maxSize !== undefined && jsonSize(doc) > maxSize)
    return [`the ${type} document is ${jsonSize(doc)} characters as JSON; at most ${maxSize} are allowed (design-docs/lib/limits.ts)`];
  c.custom(doc.schema === SCHEMA_VERSION, 'schema', `must be ${SCHEMA_VERSION}`);
  for (const rule of RULES[type] as Rules[]) rule(c, doc);
  return c.errors;
}
