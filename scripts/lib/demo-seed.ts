// Seeds the demo tenant of the seeds: provisions Yogya BSD like any store, fills YOGYA
// Group's catalog at central (it reaches the store by replication) with photos, and makes
// a demo HQ login. Idempotent: a second run changes nothing.
import { dbName, role, userName } from '../../design-docs/lib/names';
import { foodPhotoSvg } from '../demo/food-photo';
import { photoFor, yogyaCatalog } from '../demo/yogya-catalog';
import { yogyaBsdSpec } from '../demo/yogya-store';
import { ensureCatalogDoc } from './catalog-writer';
import { ensureUser } from './ensure';
import { provisionStore, type ProvisionResult, type ProvisionTargets } from './provision';
import { StepLog, type Step } from './steps';

export const DEMO_HQ = { person: 'admin', password: 'demo-hq-yogya' };

export interface DemoSeedResult {
  provision: ProvisionResult;
  hqUser: string;
  catalogChanges: number;
}

export async function seedDemo(
  t: ProvisionTargets,
  opts: { tenant?: string; store?: string; onStep?: (s: Step) => void } = {},
): Promise<DemoSeedResult> {
  const spec = yogyaBsdSpec(opts.tenant, opts.store);
  const tenant = spec.tenant.code;
  const provision = await provisionStore(spec, t, { onStep: opts.onStep });
  const log = new StepLog(false, opts.onStep);
  const hqUser = userName.hq(tenant, DEMO_HQ.person);
  await ensureUser(
    t.central,
    log,
    { name: hqUser, roles: [role.tenant(tenant), role.hq(tenant)], lapak: { kind: 'hq', tenant } },
    () => DEMO_HQ.password,
  );
  const now = new Date().toISOString();
  for (const doc of yogyaCatalog(tenant, now)) {
    const photo =
      doc.type === 'product'
        ? { name: 'photo.svg', contentType: 'image/svg+xml', data: Buffer.from(foodPhotoSvg({ name: doc.name, ...photoFor(doc) })) }
        : null;
    await ensureCatalogDoc(t.central, log, dbName.catalog(tenant), doc, photo);
  }
  return { provision, hqUser, catalogChanges: log.steps.filter((s) => s.status !== 'unchanged').length };
}
