// The tenant's stores, from its HQ database at central (written by provisioning): HQ
// cannot list databases itself (CouchDB 3 keeps _all_dbs for server admins).
import { dbName } from '../../../design-docs/lib/names';
import type { HqStoreEntry } from '../../../design-docs/lib/types';
import { centralDb, docsWithPrefix } from './central-db';

export type HqStore = HqStoreEntry;

export async function listStores(tenant: string): Promise<HqStore[]> {
  const stores = await docsWithPrefix<HqStore>(centralDb(dbName.hq(tenant)), 'store:');
  return stores.sort((a, b) => a.name.localeCompare(b.name));
}
