// The alerts of the HQ stores page. Thresholds follow the seeds' health report: a store is
// unreachable when its agent has not reported for an hour; a terminal is online when seen
// within five minutes.
import type { IntegrityRepair } from '../../../design-docs/lib/types';
import type { StoreStatus } from './store-status';
import { localHour } from './reports/zoned';

export const UNREACHABLE_AFTER_MS = 60 * 60_000;
export const MANY_PENDING = 500;
/** Food-court hours when a store has not said otherwise (store doc `opens_at` / `closes_at`, "HH:MM" local). */
export const DEFAULT_HOURS = { opens: '10:00', closes: '22:00' };

export type Alert =
  | { kind: 'unreachable'; since: string | null }
  | { kind: 'replication_error'; job: string; reason: string }
  | { kind: 'pending'; job: string; pending: number }
  | { kind: 'terminal_offline'; terminal: string; lastSeen: string | null }
  | { kind: 'integrity'; at: string; server: 'store' | 'central'; repairs: IntegrityRepair[] }
  | { kind: 'reconciled'; at: string; pushed: number };

function isOpen(status: StoreStatus, now: number): boolean {
  const doc = status.storeDoc as (StoreStatus['storeDoc'] & { opens_at?: string; closes_at?: string }) | null;
  const opens = doc?.opens_at ?? DEFAULT_HOURS.opens;
  const closes = doc?.closes_at ?? DEFAULT_HOURS.closes;
  const utcHour = new Date(now).toISOString().slice(0, 13);
  const minute = new Date(now).toISOString().slice(14, 16);
  const local = `${localHour(utcHour, status.store.timezone).hour}:${minute}`;
  return opens <= closes ? local >= opens && local < closes : local >= opens || local < closes;
}

export function storeAlerts(status: StoreStatus, now = Date.now()): Alert[] {
  const alerts: Alert[] = [];
  const lastReport =
    status.replications
      .map((r) => r.updated_at)
      .sort()
      .pop() ?? null;
  if (!lastReport || now - Date.parse(lastReport) > UNREACHABLE_AFTER_MS) alerts.push({ kind: 'unreachable', since: lastReport });
  for (const r of status.replications) {
    if (r.state === 'error' || r.state === 'crashing')
      alerts.push({ kind: 'replication_error', job: `${r.db} ${r.direction}`, reason: r.reason ?? r.state });
    if ((r.docs_pending ?? 0) > MANY_PENDING) alerts.push({ kind: 'pending', job: `${r.db} ${r.direction}`, pending: r.docs_pending ?? 0 });
  }
  if (isOpen(status, now))
    for (const t of status.terminals)
      if (t.active && t.device && !t.online) alerts.push({ kind: 'terminal_offline', terminal: t.code, lastSeen: t.lastSeen });
  // Someone changed what the access rules rest on, or a replication skipped documents: both
  // were repaired, and both mean HQ should find out how (docs/security.md, rules 11 and 13).
  for (const a of status.integrity) alerts.push({ kind: 'integrity', at: a.found_at, server: a.server, repairs: a.repairs });
  for (const r of status.reconciled) if (r.pushed > 0) alerts.push({ kind: 'reconciled', at: r.done_at, pushed: r.pushed });
  return alerts;
}
