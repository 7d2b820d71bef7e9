// The tenant's stores, from its HQ database at central (written by provisioning): HQ
// cannot list databases itself (CouchDB 3 keeps _all_dbs for server admins).
import { hqDbName } from './db-names';
import { centralDb, docsWithPrefix } from './central-db';

export interface HqStore {
  _id: string;
  type: 'store';
  tenant: string;
  store: string;
  name: string;
  timezone: string;
  public_url?: string;
  provisioned_at?: string;
}

export async function listStores(tenant: string): Promise<HqStore[]> {
  const stores = await docsWithPrefix<HqStore>(centralDb(hqDbName(tenant)), 'store:');
  return stores.sort((a, b) => a.name.localeCompare(b.name));
}
