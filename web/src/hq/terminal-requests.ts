// Unassigning or adding a terminal from HQ. Both need the store server's admin (a terminal's
// account lives in the store's _users), so HQ writes a request into the store's control
// database at central; it replicates down, the store agent carries it out and writes the
// result (with a fresh pairing code) back up. Codes never travel through the directory,
// which tablets on the store LAN can read.
import { dbName, NO_ORDER_PREFIX, takesOrders } from '../../../design-docs/lib/names';
import {
  newTerminalRequestId,
  resultIdFor,
  SCHEMA_VERSION,
  TERMINAL_REQUEST_PREFIX,
  type Terminal,
  type TerminalRequest,
  type TerminalRequestAction,
  type TerminalRequestResult,
} from '../../../design-docs/lib/types';
import { centralDb } from './central-db';

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

/** The store's most recent requests, newest first (ids sort by time), each with its result once the store has answered. */
export async function listRequests(tenant: string, store: string, limit = 20): Promise<RequestWithResult[]> {
  const db = centralDb(dbName.control(tenant, store));
  const recent = await db.allDocs({
    include_docs: true,
    descending: true,
    startkey: `${TERMINAL_REQUEST_PREFIX}\ufff0`,
    endkey: TERMINAL_REQUEST_PREFIX,
    limit,
  });
  const requests = recent.rows.flatMap((r) => (r.doc ? [r.doc as unknown as TerminalRequest] : []));
  if (requests.length === 0) return [];
  const results = await db.allDocs({ include_docs: true, keys: requests.map((r) => resultIdFor(r._id)) });
  const byRequest = new Map(
    results.rows.flatMap((r) =>
      'doc' in r && r.doc ? [[(r.doc as unknown as TerminalRequestResult).request, r.doc as unknown as TerminalRequestResult]] : [],
    ),
  );
  return requests.map((request) => ({ request, result: byRequest.get(request._id) ?? null }));
}
