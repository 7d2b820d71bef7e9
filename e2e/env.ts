// What the browser tests know about the servers that global-setup started, and the few
// things they do to them from outside the browser (read a database as admin, play an outage).
import type { PairingCode } from '../scripts/lib/provision';

interface CouchAccess {
  url: string;
  username: string;
  password: string;
}

export interface E2eEnv {
  storeUrl: string;
  centralUrl: string;
  controlUrl: string;
  storeCouch: CouchAccess;
  centralCouch: CouchAccess;
  pairingCodes: PairingCode[];
  storeAdmin: { name: string; password: string };
  /** HQ of the demo tenant (yogya) and of the second demo tenant (sinar), at central. */
  hq: { name: string; password: string };
  secondHq: { name: string; password: string };
  /** The payment provider simulator the store's connector charges (couch/payments/simulator.ts). */
  simulatorUrl: string;
}

export function e2eEnv(): E2eEnv {
  return JSON.parse(process.env.LAPAK_E2E ?? '{}') as E2eEnv;
}

export async function control(path: string): Promise<Record<string, string>> {
  const res = await fetch(`${e2eEnv().controlUrl}/${path}`, { method: 'POST' });
  if (!res.ok) throw new Error(`control ${path}: ${await res.text()}`);
  return (await res.json()) as Record<string, string>;
}

/** Drives the payment provider simulator: `settle/<order id>`, `down`, `up`. */
export async function simulator(path: string): Promise<void> {
  const res = await fetch(`${e2eEnv().simulatorUrl}/simulator/${path}`, { method: 'POST' });
  if (!res.ok) throw new Error(`simulator ${path}: ${res.status} ${await res.text()}`);
}

/** A fresh one-time pairing code for a terminal (unassigning it first, as an admin would). */
export async function freshCode(terminal: string): Promise<string> {
  return (await control(`unassign/${terminal}`)).code!;
}

export async function adminGet<T = Record<string, unknown>>(side: 'store' | 'central', path: string): Promise<{ status: number; body: T }> {
  const c = side === 'store' ? e2eEnv().storeCouch : e2eEnv().centralCouch;
  const res = await fetch(`${c.url}/${path}`, {
    // CouchDB answers a document with attachments as multipart unless JSON is asked for.
    headers: { accept: 'application/json', authorization: 'Basic ' + Buffer.from(`${c.username}:${c.password}`).toString('base64') },
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** Writes a document as a server's admin (what HQ or a technician would do in Fauxton). */
export async function adminPut(side: 'store' | 'central', path: string, doc: unknown): Promise<void> {
  const c = side === 'store' ? e2eEnv().storeCouch : e2eEnv().centralCouch;
  const res = await fetch(`${c.url}/${path}`, {
    method: 'PUT',
    headers: {
      'content-type': 'application/json',
      authorization: 'Basic ' + Buffer.from(`${c.username}:${c.password}`).toString('base64'),
    },
    body: JSON.stringify(doc),
  });
  if (!res.ok) throw new Error(`PUT ${path}: ${res.status} ${await res.text()}`);
}

export interface OrderRow {
  number: string;
  terminal: string;
  total: number;
  pay_at: string;
}

/** Orders of a terminal in a server's copy of the store database. */
export async function ordersAt(side: 'store' | 'central', terminal: string): Promise<OrderRow[]> {
  const res = await adminGet<{ rows: { doc: OrderRow & { type: string } }[] }>(side, 'lapak_yogya_bsd_ops/_all_docs?include_docs=true');
  return (res.body.rows ?? []).map((r) => r.doc).filter((d) => d.type === 'order' && d.terminal === terminal);
}
