// Unassigning or adding a terminal from HQ. Both need the store server's admin (a terminal's
// account lives in the store's _users), so HQ writes a request into the store's control
// database at central; it replicates down, the store agent carries it out and writes the
// result (with a fresh pairing code) back up. Codes never travel through the directory,
// which tablets on the store LAN can read.
import { dbName, NO_ORDER_PREFIX, takesOrders } from '../../../design-docs/lib/names';
import {
  newTerminalRequestId,
  SCHEMA_VERSION,
  TERMINAL_REQUEST_PREFIX,
  TERMINAL_REQUEST_RESULT_PREFIX,
  type Terminal,
  type TerminalRequest,
  type TerminalRequestAction,
  type TerminalRequestResult,
} from '../../../design-docs/lib/types';
import { centralDb, docsWithPrefix } from './central-db';

export type { TerminalRequest, TerminalRequestResult };

export interface RequestWithResult {
  request: TerminalRequest;
  result: TerminalRequestResult | null;
}

export async function requestTerminalAction(
  tenant: string,
  store: string,
  action: TerminalRequestAction,
  terminal: string,
  user: string,
): Promise<TerminalRequest> {
  const now = new Date().toISOString();
  const doc: TerminalRequest = {
    _id: newTerminalRequestId(now, crypto.randomUUID()),
    type: 'terminal_request',
    schema: SCHEMA_VERSION,
    tenant,
    store,
    action,
    terminal,
    requested_by: user,
    requested_at: now,
  };
  await centralDb(dbName.control(tenant, store)).put(doc);
  return doc;
}

export interface NewTerminal {
  code: string;
  name: string;
  terminal_type: Terminal['terminal_type'];
  brand: string;
  order_prefix: string;
}

/** The directory document of a terminal HQ adds, as typed in the form (codes upper-cased, name defaulting to the code). */
export function newTerminalDoc(tenant: string, store: string, t: NewTerminal): Terminal {
  const code = t.code.trim().toUpperCase();
  return {
    _id: `terminal:${code}`,
    type: 'terminal',
    schema: SCHEMA_VERSION,
    tenant,
    store,
    code,
    name: t.name.trim() || code,
    terminal_type: t.terminal_type,
    brand: t.brand,
    order_prefix: takesOrders(t.terminal_type) ? t.order_prefix.trim().toUpperCase() : NO_ORDER_PREFIX,
    active: true,
    updated_at: new Date().toISOString(),
  };
}

/** Registers the terminal in the store directory (replicates down), then asks the store to create its account. */
export async function addTerminal(doc: Terminal, user: string): Promise<TerminalRequest> {
  await centralDb(dbName.directory(doc.tenant, doc.store)).put(doc);
  return requestTerminalAction(doc.tenant, doc.store, 'add', doc.code, user);
}

/** Recent requests of a store, newest first, each with its result once the store has answered. */
export async function listRequests(tenant: string, store: string): Promise<RequestWithResult[]> {
  const db = centralDb(dbName.control(tenant, store));
  const [requests, results] = await Promise.all([
    docsWithPrefix<TerminalRequest>(db, TERMINAL_REQUEST_PREFIX),
    docsWithPrefix<TerminalRequestResult>(db, TERMINAL_REQUEST_RESULT_PREFIX),
  ]);
  const byRequest = new Map(results.map((r) => [r.request, r]));
  return requests
    .map((request) => ({ request, result: byRequest.get(request._id) ?? null }))
    .sort((a, b) => b.request.requested_at.localeCompare(a.request.requested_at));
}
