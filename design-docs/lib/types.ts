// The documents Lapak stores. Money is integer rupiah; times are ISO-8601 UTC strings.
import type { TerminalType } from './names';

export const SCHEMA_VERSION = 1;

interface Base {
  _id: string;
  _rev?: string;
  _deleted?: boolean;
  type: string;
  schema: number;
}

interface TenantScoped extends Base {
  tenant: string;
}

interface StoreScoped extends TenantScoped {
  store: string;
}

// --- catalog (one database per tenant, edited by HQ, replicated down to its stores) ---

export interface CatalogBrand extends TenantScoped {
  type: 'brand';
  code: string;
  name: string;
  color?: string;
  updated_at: string;
}

export interface Category extends TenantScoped {
  type: 'category';
  brand: string;
  name: string;
  name_en?: string;
  sort: number;
  updated_at: string;
}

export interface ModifierOption {
  id: string;
  name: string;
  name_en?: string;
  price: number;
}

export interface ModifierGroup {
  id: string;
  name: string;
  name_en?: string;
  required: boolean;
  max: number;
  options: ModifierOption[];
}

export interface Product extends TenantScoped {
  type: 'product';
  brand: string;
  category_id: string;
  name: string;
  name_en?: string;
  description?: string;
  price: number;
  modifier_groups: ModifierGroup[];
  available: boolean;
  sort: number;
  updated_at: string;
  _attachments?: Record<string, unknown>;
}

export interface Promotion extends TenantScoped {
  type: 'promotion';
  brand: string;
  name: string;
  kind: 'percent' | 'amount';
  value: number;
  product_ids: string[];
  starts_at: string;
  ends_at: string;
  active: boolean;
  updated_at: string;
}

// --- directory (one per store: who is who; members only: the store's accounts, its relay and HQ) ---

export const KITCHEN_SENDS = ['on_order', 'when_paid'] as const;

export interface StoreDoc extends StoreScoped {
  type: 'store';
  name: string;
  tenant_name: string;
  timezone: string;
  tax_rate_bp: number;
  service_rate_bp: number;
  /** A kiosk returns to its welcome screen after this long without a touch (default 90). */
  kiosk_idle_seconds?: number;
  /** The ready board clears a ready number after this long (default 300). */
  ready_clear_seconds?: number;
  /**
   * When an order reaches the kitchen displays and the ready board: at once (`on_order`, the
   * default: unpaid tickets carry a "BELUM BAYAR" mark) or once paid in full (`when_paid`).
   * HQ sets it in the store's directory document at central; it replicates down.
   */
  kitchen_sends?: (typeof KITCHEN_SENDS)[number];
  /**
   * The business day ends at this local hour (default 4): a food court that closes after
   * midnight counts its late sales in the day they belong to (accounting.ts `businessDay`).
   */
  business_day_ends_hour?: number;
  /** A cashier terminal locks after this long without a touch; the next person signs in with a PIN (default 120). */
  cashier_lock_seconds?: number;
  updated_at: string;
}

export const STAFF_ROLES = ['cashier', 'supervisor', 'manager'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
/** Who may approve voids and refunds with their PIN. */
export const APPROVER_ROLES: readonly StaffRole[] = ['supervisor', 'manager'];

/** A PIN as stored: PBKDF2-SHA-256 of the PIN with a random salt (pin.ts); the PIN itself is never stored. */
export interface PinHash {
  alg: 'pbkdf2-sha256';
  iterations: number;
  /** base64 */
  salt: string;
  /** base64 */
  hash: string;
}

/**
 * A person who works the store's cashier terminals, managed by HQ (central directory, replicated
 * down) and by the store manager. Supervisors and managers approve voids, refunds and pay-outs
 * with their PIN. `_id` is `staff:<key>`.
 */
export interface Staff extends StoreScoped {
  type: 'staff';
  name: string;
  role: StaffRole;
  pin: PinHash;
  active: boolean;
  updated_at: string;
}

export interface StoreBrand extends StoreScoped {
  type: 'brand';
  code: string;
  name: string;
  active: boolean;
  /** Kitchen tickets turn amber, then red, after this many minutes (defaults 5 and 10). */
  amber_after_min?: number;
  red_after_min?: number;
  updated_at: string;
}

export interface Terminal extends StoreScoped {
  type: 'terminal';
  code: string;
  name: string;
  terminal_type: TerminalType;
  brand: string;
  order_prefix: string;
  active: boolean;
  updated_at: string;
}

export interface DeviceInfo {
  hostname?: string;
  user_agent?: string;
  platform?: string;
  screen?: string;
}

export interface Binding extends StoreScoped {
  type: 'binding';
  terminal: string;
  device_id: string;
  device: DeviceInfo;
  assigned_at: string;
}

// --- public directory (store server only, lapak_<t>_<s>_public): read before login ---
// Projected from the directory by the store server's admin (scripts/lib/public-directory.ts),
// so that the setup wizard and the front page need no account, while device ids, device
// details and heartbeat internals stay with the store's members.

export interface PublicStore extends StoreScoped {
  _id: 'store';
  type: 'public_store';
  name: string;
  tenant_name: string;
}

export interface PublicBrand extends StoreScoped {
  type: 'public_brand';
  code: string;
  name: string;
  active: boolean;
}

export interface PublicTerminal extends StoreScoped {
  type: 'public_terminal';
  code: string;
  name: string;
  terminal_type: TerminalType;
  brand: string;
  active: boolean;
  /** Bound to a device (binding:<CODE> exists). */
  assigned: boolean;
  assigned_at: string | null;
  /**
   * One-way hash of the bound device's id (`deviceHash`), so a device can tell that the
   * binding is its own without the id being readable by anyone on the LAN.
   */
  device_hash: string | null;
  /** When the terminal was last seen (its heartbeat), to the minute. */
  last_seen: string | null;
}

export type PublicDoc = PublicStore | PublicBrand | PublicTerminal;

// --- ops (one per store: what happened; replicated up to central) ---

export interface OrderModifier {
  group_id: string;
  option_id: string;
  name: string;
  price: number;
}

export interface OrderItem {
  product_id: string;
  name: string;
  unit_price: number;
  qty: number;
  modifiers: OrderModifier[];
  note?: string;
  line_total: number;
}

export interface AppliedPromotion {
  promotion_id: string;
  name: string;
  amount: number;
}

export const ORDER_CHANNELS = ['kiosk', 'cashier', 'waiter'] as const;
export const SERVICE_MODES = ['dine_in', 'takeaway'] as const;
export const PAYMENT_METHODS = ['cash', 'qris', 'card'] as const;
export const TICKET_STATUSES = ['preparing', 'ready', 'served', 'recalled'] as const;

export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/**
 * Written as terminal operations by the identity in `terminal`; immutable once created.
 * `terminal`, `terminal_type` and `brand` are the writer's: the store's validate forces them
 * to equal the authenticated terminal, and central re-checks the same rules from them.
 */
interface TerminalWritten extends StoreScoped {
  terminal: string;
  terminal_type: TerminalType;
  brand: string;
  device_id: string;
  created_at: string;
}

/** A fact about an order: names the order's brand and store, which may differ from the writer's brand. */
interface AboutOrder {
  order_id: string;
  order_brand: string;
  order_store: string;
}

export interface Order extends TerminalWritten {
  type: 'order';
  channel: (typeof ORDER_CHANNELS)[number];
  number: string;
  service: (typeof SERVICE_MODES)[number];
  customer_name: string;
  items: OrderItem[];
  subtotal: number;
  promotions: AppliedPromotion[];
  discount_total: number;
  service_charge: number;
  tax: number;
  total: number;
  pay_at: 'cashier' | PaymentMethod;
}

/** Who did it at a cashier: the person signed in with a PIN (`staff:<key>`) and their name as it was then. */
interface ByStaff {
  staff: string;
  staff_name: string;
}

/** The supervisor or manager who approved it on the spot with their PIN (the person themself when one is signed in). */
interface Approved {
  approved_by: string;
  approved_by_name: string;
}

/**
 * Confirmed money. A cashier confirms what the cashier can see (cash in hand, a static QRIS
 * notification on the merchant's phone, a standalone card terminal's approval code: its
 * `reference`); the payment connector confirms what the provider settled. A kiosk never writes one.
 */
export interface CashierPayment extends TerminalWritten, AboutOrder, ByStaff {
  type: 'payment';
  method: PaymentMethod;
  /** The cash shift the money went into (`shift:<key>`). */
  shift_id: string;
  /** The order's total when paid: a payment is never for more. */
  order_total: number;
  amount: number;
  tendered?: number;
  change?: number;
  reference?: string;
  writer?: undefined;
}

/** Written by the store's payment connector, not a terminal: it names no terminal or device. */
interface ConnectorWritten extends StoreScoped {
  writer: 'connector';
  /** The order's brand: readers match a fact to its order by brand (fact-match.ts). */
  brand: string;
  created_at: string;
}

export const PROVIDERS = ['midtrans'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** A payment the provider settled, for a terminal's request; `_id` is `payment:<request key>` (one per request). */
export interface ConnectorPayment extends ConnectorWritten, AboutOrder {
  type: 'payment';
  method: 'qris' | 'card';
  order_total: number;
  amount: number;
  request_id: string;
  provider: Provider;
  /** The provider's transaction id. */
  reference: string;
}

export type Payment = CashierPayment | ConnectorPayment;

export const REQUESTED_METHODS = ['qris'] as const;

/**
 * A kiosk or cashier asks the payment connector to charge an order through the provider
 * (dynamic QRIS, integrated card reader). Requested is not paid: the answer is a
 * payment_update and, once the provider settles, a payment.
 */
export interface PaymentRequest extends TerminalWritten, AboutOrder {
  type: 'payment_request';
  method: (typeof REQUESTED_METHODS)[number];
  order_total: number;
  amount: number;
}

export const PAYMENT_UPDATE_STATUSES = ['pending', 'failed', 'expired'] as const;

/**
 * The connector's answer to a request short of settlement: `pending` (the provider took the
 * charge: here is the QR code to show), `failed` (refused, or the provider could not be reached:
 * `reason` says which) or `expired`. `_id` is `payment_update:<request key>-<status>`, so each
 * status is written once.
 */
export interface PaymentUpdate extends ConnectorWritten, AboutOrder {
  type: 'payment_update';
  request_id: string;
  status: (typeof PAYMENT_UPDATE_STATUSES)[number];
  provider: Provider;
  reference?: string;
  /** The QRIS payload to render (pending, QRIS only). */
  qr_string?: string;
  expires_at?: string;
  /** `provider_unreachable`, `provider_refused` or the provider's status, for the screen and HQ. */
  reason?: string;
}

export interface Void extends TerminalWritten, AboutOrder, ByStaff, Approved {
  type: 'void';
  reason: string;
}

/** Which of the order's lines a refund by item gives back: `line` is the index into the order's items. */
export interface RefundLine {
  line: number;
  qty: number;
  amount: number;
}

export interface Refund extends TerminalWritten, AboutOrder, ByStaff, Approved {
  type: 'refund';
  /**
   * The order's total, what had been paid on it and what earlier refunds gave back when this was
   * written: a refund is never for more than was paid and not yet refunded.
   */
  order_total: number;
  paid: number;
  refunded_before: number;
  amount: number;
  /** The original payment's method, or cash from the drawer. */
  method: PaymentMethod;
  /** The payment it gives back (`payment:<key>`). */
  payment_id: string;
  /** Absent: the whole remaining amount; present: these lines. */
  lines?: RefundLine[];
  reason: string;
  /** The shift it was given in (cash comes out of its drawer). */
  shift_id: string;
}

// --- cash shifts (a cashier terminal's drawer, from a counted float to a blind count) ---

/** A drawer opened with a counted float. `_id` is `shift_open:<key>` and `shift_id` `shift:<key>`, the same key. */
export interface ShiftOpen extends TerminalWritten, ByStaff {
  type: 'shift_open';
  shift_id: string;
  float: number;
}

export const CASH_MOVEMENT_KINDS = ['pay_in', 'pay_out'] as const;

/** Cash put into or taken out of the drawer for something other than a sale (change from the bank, buying ice). */
export interface CashMovement extends TerminalWritten, ByStaff {
  type: 'cash_movement';
  shift_id: string;
  kind: (typeof CASH_MOVEMENT_KINDS)[number];
  amount: number;
  reason: string;
}

/**
 * The drawer closed with a blind count: the cashier counts before seeing what was expected.
 * `_id` is `shift_close:<key>` (one close per shift); `expected` is accounting.ts's expected cash.
 */
export interface ShiftClose extends TerminalWritten, ByStaff {
  type: 'shift_close';
  shift_id: string;
  counted: number;
  expected: number;
}

export interface TicketEvent extends TerminalWritten, AboutOrder {
  type: 'ticket_event';
  status: TicketStatus;
}

export const REVIEW_REASONS = ['price_override', 'number_collision', 'conflict', 'audit'] as const;

/** Something HQ should look at about an order (seed scenarios 3 and 4); written by the terminal that noticed. */
export interface Review extends TerminalWritten {
  type: 'review';
  order_id: string;
  reason: (typeof REVIEW_REASONS)[number];
  detail: string;
  /**
   * `audit` only (written by the store agent's auditor, `_id` `review:audit-<type>-<fact key>`):
   * the fact that failed, and the codes of the checks it failed (see couch/agent/order-audit.ts).
   * `terminal`, `brand` and `device_id` are the fact's writer.
   */
  fact_id?: string;
  checks?: string[];
}

/** Lives in the store directory: presence is not an operation, and the setup wizard shows it before login. */
export interface Heartbeat extends StoreScoped {
  type: 'heartbeat';
  terminal: string;
  last_seen: string;
  device_id?: string;
  app_version?: string;
}

// --- control (one per store, store server and central: HQ's requests to the store agent and its reports) ---

export const TERMINAL_REQUEST_ACTIONS = ['unassign', 'add'] as const;
export type TerminalRequestAction = (typeof TERMINAL_REQUEST_ACTIONS)[number];

/**
 * HQ (or the store's manager) asks the store agent to unassign or add a terminal: only the
 * store server's admin can reset a terminal's password. `_id` is
 * `terminal_request:<requested_at>:<random>`; immutable once written.
 */
export interface TerminalRequest extends StoreScoped {
  type: 'terminal_request';
  action: TerminalRequestAction;
  terminal: string;
  /** The CouchDB user who wrote it: must be the writer's own name. */
  requested_by: string;
  requested_at: string;
}

/**
 * What the store agent did with a request. `_id` is `terminal_request_result:` followed by
 * the request id without its `terminal_request:` prefix (see `resultIdFor`). Written only
 * by the store server's admin; a request with a result is never processed again.
 */
export interface TerminalRequestResult extends StoreScoped {
  type: 'terminal_request_result';
  request: string;
  action: TerminalRequestAction;
  terminal: string;
  ok: boolean;
  /** The terminal's new one-time pairing code (ok only). */
  code?: string;
  setup_url?: string;
  /** The device the terminal was bound to before an unassign, null when it was not bound. */
  previous_device?: string | null;
  /** Why it failed and what to do (not ok only). */
  error?: string;
  done_at: string;
}

export const REPLICATION_STATES = ['running', 'pending', 'error', 'crashing', 'completed', 'unknown'] as const;
export type ReplicationState = (typeof REPLICATION_STATES)[number];

/**
 * One store replication as its store server sees it, reported by the store agent.
 * `_id` is `replication_status:<_replicator doc id>`. `updated_at` is also the store's
 * liveness: the agent rewrites it at least every 5 minutes while it runs.
 */
export interface ReplicationStatus extends StoreScoped {
  type: 'replication_status';
  /** The `_replicator` document id, e.g. lapak_yogya_bsd_ops_up. */
  job: string;
  /** The database replicated (same name on both sides). */
  db: string;
  direction: 'up' | 'down';
  state: ReplicationState;
  /** The server's reason for an error, with any credentials removed. */
  reason?: string;
  last_checkpoint_at?: string | null;
  docs_pending?: number | null;
  docs_written?: number | null;
  central_reachable: boolean;
  updated_at: string;
}

export const INTEGRITY_ALERT_PREFIX = 'integrity_alert:';
export const RECONCILE_REPORT_PREFIX = 'reconcile_report:';

/** One thing the integrity guard found different from what provisioning installs, and put back. */
export interface IntegrityRepair {
  db: string;
  what: 'design_doc' | 'security' | 'database';
  /** The design document's id (design_doc only). */
  id?: string;
  /** restored: put back as provisioned; removed: a design document provisioning does not install; created: a missing database. */
  change: 'restored' | 'removed' | 'created';
}

/**
 * The store agent's integrity guard found a design document or `_security` of a server
 * different from what provisioning installs and restored it. `_id` is
 * `integrity_alert:<found_at>:<random>`; written by the store server's admin only.
 */
export interface IntegrityAlert extends StoreScoped {
  type: 'integrity_alert';
  server: 'store' | 'central';
  repairs: IntegrityRepair[];
  found_at: string;
}

/**
 * Anti-entropy found documents central lacked although replication should have carried them,
 * and pushed them. `_id` is `reconcile_report:<done_at>:<random>`; written by the store
 * server's admin only, and only when something was pushed.
 */
export interface ReconcileReport extends StoreScoped {
  type: 'reconcile_report';
  /** window: the recent documents of ops (by id time) and all of the small databases; full: every document. */
  sweep: 'window' | 'full';
  /** Start of the window (window only). */
  since?: string;
  dbs: { db: string; checked: number; pushed: number }[];
  checked: number;
  pushed: number;
  done_at: string;
}

// --- hq (central only, one per tenant) ---

/** A store of the tenant, written by provisioning into `lapak_<tenant>_hq` as `store:<code>`. */
export interface HqStoreEntry extends StoreScoped {
  type: 'store';
  name: string;
  timezone: string;
  /** The store's URL as tablets reach it, e.g. https://192.168.1.10:8443 */
  public_url: string;
  provisioned_at: string;
  updated_at: string;
}

export const TERMINAL_REQUEST_PREFIX = 'terminal_request:';
export const TERMINAL_REQUEST_RESULT_PREFIX = 'terminal_request_result:';

/** The id of the result of a terminal request: the request id with the result prefix in place of its own. */
export function resultIdFor(requestId: string): string {
  return TERMINAL_REQUEST_RESULT_PREFIX + requestId.slice(TERMINAL_REQUEST_PREFIX.length);
}

/** A fresh terminal request id: the request time, then randomness so two requests in one millisecond differ. */
export function newTerminalRequestId(requestedAt: string, random: string): string {
  return `${TERMINAL_REQUEST_PREFIX}${requestedAt}:${random}`;
}
