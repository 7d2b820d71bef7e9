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

/** When the store's business day ends, from its settings in the directory at central (replicated up from the store). */
export async function businessDayEnds(tenant: string, store: string): Promise<number> {
  const doc = await centralDb(dbName.directory(tenant, store))
    .get<StoreDoc>('store')
    .catch(() => null);
  return doc?.business_day_ends_hour ?? BUSINESS_DAY_ENDS_HOUR;
}
