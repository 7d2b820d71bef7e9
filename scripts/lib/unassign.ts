// Unassigning a terminal: its account gets a fresh one-time pairing code (so the device's
// secret, and any session cookie made with it, stops working at once) and its device
// binding is deleted. Needs the store server's admin: that is what a store admin is on the
// store's own server.
import { dbName, userDocId, userName } from '../../design-docs/lib/names';
import { docPath, type CouchAdmin } from './couch-admin';
import { fail, getDoc } from './ensure';
import { newPairingCode, setupUrl } from './pairing';
import { syncPublicDirectory } from './public-directory';
import { ProvisionError } from './steps';

export interface UnassignResult {
  terminal: string;
  previousDevice: string | null;
  code: string;
  setupUrl: string;
}

export async function unassignTerminal(
  store: CouchAdmin,
  tenant: string,
  storeCode: string,
  terminal: string,
  storePublicUrl: string,
): Promise<UnassignResult> {
  const directory = dbName.directory(tenant, storeCode);
  const registry = await getDoc<{ brand: string }>(store, directory, `terminal:${terminal}`);
  if (!registry)
    throw new ProvisionError(
      `Terminal ${terminal} is not registered at store ${tenant}/${storeCode}. Check the code (for example KIOSK-GEPREK-01).`,
    );
  const id = userDocId(userName.terminal(tenant, storeCode, terminal));
  const account = await getDoc<Record<string, unknown>>(store, '_users', id);
  if (!account)
    throw new ProvisionError(`Terminal ${terminal} has no account on the store server; run provision-store for this store again.`);
  const code = newPairingCode();
  const put = await store.request('PUT', docPath('_users', id), { ...account, password: code });
  if (put.status >= 400) fail(store, `reset the account of ${terminal}`, put);
  const binding = await getDoc<{ _rev: string; device_id: string }>(store, directory, `binding:${terminal}`);
  if (binding) {
    const del = await store.request('DELETE', `${docPath(directory, `binding:${terminal}`)}?rev=${encodeURIComponent(binding._rev)}`);
    if (del.status >= 400) fail(store, `delete the device binding of ${terminal}`, del);
  }
  // The public directory says "not paired" at once, also when no store agent is running.
  await syncPublicDirectory(store, tenant, storeCode);
  return { terminal, previousDevice: binding?.device_id ?? null, code, setupUrl: setupUrl(storePublicUrl, registry.brand, terminal, code) };
}
