// The tenant's stores, from its HQ database at central (written by provisioning): HQ
// cannot list databases itself (CouchDB 3 keeps _all_dbs for server admins).
import { dbName } from '../../../design-docs/lib/names';
import { BUSINESS_DAY_ENDS_HOUR } from '../../../design-docs/lib/accounting';
import type { HqStoreEntry, StoreDoc } from '../../../design-docs/lib/types';
import { centralDb, docsWithPrefix } from './central-db';

export type HqStore = HqStoreEntry;

export async function listStores(tenant: string): Promise<HqStore[]> {
  const stores = await docsWithPrefix<HqStore>(centralDb(dbName.hq(tenant)), 'store:');
  return stores.sort((a, b) => a.name.localeCompare(b.name));
}

/** Settings change rarely; the report page asks for them on every refresh, for sales and for money. */
const ENDS_TTL_MS = 5 * 60_000;
const endsCache = new Map<string, { at: number; hour: Promise<number> }>();

/** When the store's business day ends, from its settings in the directory at central (replicated up from the store). */
export function businessDayEnds(tenant: string, store: string, now = Date.now()): Promise<number> {
  const key = `${tenant}/${store}`;
  const hit = endsCache.get(key);
  if (hit && now - hit.at < ENDS_TTL_MS) return hit.hour;
  const hour = centralDb(dbName.directory(tenant, store))
    .get<StoreDoc>('store')
    .then((doc) => doc.business_day_ends_hour ?? BUSINESS_DAY_ENDS_HOUR)
    .catch(() => BUSINESS_DAY_ENDS_HOUR);
  endsCache.set(key, { at: now, hour });
  return hour;
}
