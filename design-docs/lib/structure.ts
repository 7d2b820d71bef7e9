// Client-safe structure validator: is this a well-formed Lapak document? It says nothing
// about who may write it (that is authority.ts, server-only). The app runs it before
// saving so that a bad document is caught on the device with a clear message.
import { Check, DOC_KEY, isObject } from './check';
import { lineTotal } from './money';
import { BRAND_CODE, isTerminalCode, STORE_CODE, TENANT_CODE, TERMINAL_TYPES } from './names';
import {
  ORDER_CHANNELS,
  PAYMENT_METHODS,
  REPLICATION_STATES,
  REVIEW_REASONS,
  SCHEMA_VERSION,
  SERVICE_MODES,
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

type Rules = (c: Check, doc: Record<string, unknown>) => void;

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
  c.string('brand', { pattern: BRAND_CODE });
  c.string('device_id', { pattern: DEVICE_ID });
  c.time('created_at');
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
      oc.int('price', { max: 10000000 });
    },
    { min: 1, max: 30 },
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
      c.int('price', { max: 100000000 });
      c.array('modifier_groups', modifierGroup, { max: 10 });
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
      c.time('updated_at');
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
      c.custom(isObject(doc.device), 'device', 'must be an object');
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
      c.string('customer_name', { max: 40, min: 0 });
      c.oneOf('pay_at', ['cashier', ...PAYMENT_METHODS]);
      const lines: number[] = [];
      c.array(
        'items',
        (item, ic) => {
          ic.string('product_id', { pattern: /^product:[A-Za-z0-9_-]{1,64}$/ });
          ic.string('name', { max: 80 });
          ic.int('unit_price', { max: 100000000 });
          ic.int('qty', { min: 1, max: 999 });
          ic.string('note', { max: 200, optional: true, min: 0 });
          ic.array(
            'modifiers',
            (_m, mc) => {
              mc.string('group_id', { pattern: DOC_KEY });
              mc.string('option_id', { pattern: DOC_KEY });
              mc.string('name', { max: 60 });
              mc.int('price', { max: 10000000 });
            },
            { max: 30 },
          );
          ic.int('line_total');
          if (ic.errors.length === 0) {
            const expected = lineTotal(item as never);
            ic.custom(item.line_total === expected, 'line_total', `must be qty × (unit_price + modifiers) = ${expected}`);
            lines.push(expected);
          }
        },
        { min: 1, max: 100 },
      );
      let discount = 0;
      c.array(
        'promotions',
        (p, pc) => {
          pc.string('promotion_id', { pattern: /^promotion:[A-Za-z0-9_-]{1,64}$/ });
          pc.string('name', { max: 80 });
          pc.int('amount');
          discount += typeof p.amount === 'number' ? p.amount : 0;
        },
        { max: 10 },
      );
      for (const f of ['subtotal', 'discount_total', 'service_charge', 'tax', 'total']) c.int(f);
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
    (c, doc) => idRule(c, doc),
    (c, doc) => {
      terminalWritten(c);
      c.string('order_id', { pattern: ORDER_ID });
      c.oneOf('method', PAYMENT_METHODS);
      c.int('amount', { min: 1 });
      c.string('reference', { max: 80, optional: true });
      if (doc.method === 'cash') {
        c.int('tendered', { min: 1 });
        c.int('change');
        c.custom(doc.tendered === (doc.amount as number) + (doc.change as number), 'change', 'must be tendered - amount');
      }
    },
  ],
  void: [
    (c, doc) => idRule(c, doc),
    (c) => {
      terminalWritten(c);
      c.string('order_id', { pattern: ORDER_ID });
      c.string('reason', { max: 200, min: 3 });
    },
  ],
  refund: [
    (c, doc) => idRule(c, doc),
    (c) => {
      terminalWritten(c);
      c.string('order_id', { pattern: ORDER_ID });
      c.int('amount', { min: 1 });
      c.oneOf('method', PAYMENT_METHODS);
      c.string('reason', { max: 200, min: 3 });
    },
  ],
  ticket_event: [
    (c, doc) => idRule(c, doc),
    (c) => {
      terminalWritten(c);
      c.string('order_id', { pattern: ORDER_ID });
      c.oneOf('status', TICKET_STATUSES);
    },
  ],
  review: [
    (c, doc) => idRule(c, doc),
    (c) => {
      terminalWritten(c);
      c.string('order_id', { pattern: ORDER_ID });
      c.oneOf('reason', REVIEW_REASONS);
      c.string('detail', { max: 400 });
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
  c.custom(doc.schema === SCHEMA_VERSION, 'schema', `must be ${SCHEMA_VERSION}`);
  for (const rule of RULES[type] as Rules[]) rule(c, doc);
  return c.errors;
}
