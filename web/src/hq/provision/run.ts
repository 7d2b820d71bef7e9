// One provisioning run from the page: the shared provisionStore (scripts/lib/provision.ts,
// the same code as the CLI) against the two servers the form names, through fetch.
import { provisionStore, type ProvisionResult } from '../../../../scripts/lib/provision';
import { ProvisionError, type Step } from '../../../../scripts/lib/steps';
import { loadDesignDocs } from './design-docs';
import { fetchAdmin } from './fetch-admin';
import { specOf, type ProvisionForm } from './form';
import { siteAt, siteMismatch } from './site';

export function dbUrlOf(serverUrl: string): string {
  return `${serverUrl.replace(/\/+$/, '')}/db`;
}

export async function runProvisioning(
  form: ProvisionForm,
  opts: { dryRun: boolean; update: boolean; onStep: (s: Step) => void },
): Promise<ProvisionResult> {
  const spec = specOf(form);
  const [storeSite, centralSite] = await Promise.all([siteAt(form.store.url), siteAt(form.central.url)]);
  const mismatch = siteMismatch(storeSite, centralSite, spec.tenant.code, spec.store.code);
  if (mismatch) throw new ProvisionError(`Nothing was written. ${mismatch}`);
  const storeDb = dbUrlOf(form.store.url);
  const centralDb = dbUrlOf(form.central.url);
  return provisionStore(
    spec,
    {
      store: fetchAdmin('store server', storeDb, form.store),
      central: fetchAdmin('central server', centralDb, form.central),
      storeUrlForReplicator: form.storeUrlForReplicator.trim().replace(/\/+$/, '') || storeDb,
      centralUrlForReplicator: centralDb,
      storePublicUrl: form.store.url.replace(/\/+$/, ''),
      storeAdmin: { username: form.store.username, password: form.store.password },
      relayPassword: form.relayPassword || undefined,
      designDocs: loadDesignDocs,
    },
    opts,
  );
}

/** provisionStore's refusal to change an existing store's settings: the page offers to apply them. */
export function isConflict(e: unknown): e is ProvisionError {
  return e instanceof ProvisionError && e.problems.length > 0 && e.message.startsWith('This store already exists with different settings');
}
