// HQ's money figures from the documents themselves, through the same accounting rules as the
// cashier's X and Z reports (accounting.ts): each store's business days, read by id range
// (fact ids begin with their time), then added up, so HQ's total is the sum of its stores.
import { addSummaries, daysScope, indexLedger, summarize, type LedgerDoc, type Summary } from '../../../../design-docs/lib/accounting';
import { dbName } from '../../../../design-docs/lib/names';
import { uuidv7Floor } from '../../../../design-docs/lib/uuidv7-floor';
import { centralDb } from '../central-db';
import { businessDayEnds, type HqStore } from '../stores';
import { addDays, startOfLocalDay } from './zoned';

const LEDGER_TYPES = ['order', 'payment', 'refund', 'void', 'shift_open', 'cash_movement', 'shift_close'];
const DAY_MS = 24 * 3600_000;

async function storeLedger(tenant: string, store: HqStore, from: string, to: string): Promise<Summary> {
  const ops = centralDb(dbName.ops(tenant, store.store));
  const endsHour = await businessDayEnds(tenant, store.store);
  // A day's margin on both sides: a connector's payment is named by its request's time, and a business day runs past midnight.
  const start = startOfLocalDay(from, store.timezone).getTime() - DAY_MS;
  const end = startOfLocalDay(addDays(to, 1), store.timezone).getTime() + 2 * DAY_MS;
  const pages = await Promise.all(
    LEDGER_TYPES.map((type) =>
      ops.allDocs({ include_docs: true, startkey: `${type}:${uuidv7Floor(start)}`, endkey: `${type}:${uuidv7Floor(end)}\ufff0` }),
    ),
  );
  const docs = pages.flatMap((p) => p.rows.flatMap((r) => (r.doc ? [r.doc as unknown as LedgerDoc] : [])));
  return summarize(indexLedger(docs), daysScope(from, to, store.timezone, endsHour));
}

/** The stores' business days `from`..`to`, each by its own rules, and their sum. */
export async function loadLedger(
  tenant: string,
  stores: HqStore[],
  from: string,
  to: string,
): Promise<{ total: Summary | null; byStore: Record<string, Summary> }> {
  const each = await Promise.all(stores.map(async (s) => [s.store, await storeLedger(tenant, s, from, to)] as const));
  const byStore = Object.fromEntries(each);
  const total = each.map(([, v]) => v).reduce<Summary | null>((acc, v) => (acc ? addSummaries(acc, v) : v), null);
  return { total, byStore };
}
