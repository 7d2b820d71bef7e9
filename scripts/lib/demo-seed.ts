// Seeds the demo tenant of the seeds: provisions Yogya BSD like any store, fills YOGYA
// Group's catalog at central (it reaches the store by replication) with photos, and makes
// a demo HQ login. Then a second, small tenant with its own HQ login, so that tenant
// isolation at central can be tried. Idempotent: a second run changes nothing.
import { dbName, role, userName } from '../../design-docs/lib/names';
import { foodPhotoSvg } from '../demo/food-photo';
import { photoFor, yogyaCatalog } from '../demo/yogya-catalog';
import { SECOND_TENANT, sinarCatalog, sinarKemangSpec } from '../demo/second-tenant';
import { demoStaff } from '../demo/yogya-staff';
import { yogyaBsdSpec } from '../demo/yogya-store';
import { ensureCatalogDoc } from './catalog-writer';
import { ensureDoc, ensureUser } from './ensure';
import { provisionStore, type ProvisionResult, type ProvisionTargets } from './provision';
import { StepLog, type Step } from './steps';

export const DEMO_HQ = { person: 'admin', password: 'demo-hq-yogya' };
/** HQ of the second demo tenant (Sinar Rasa Group). */
export const DEMO_HQ_SECOND = { person: 'admin', password: 'demo-hq-sinar' };

export interface DemoSeedResult {
  provision: ProvisionResult;
  hqUser: string;
  catalogChanges: number;
  /** The second tenant: its code, store and HQ login. */
  secondTenant: { tenant: string; store: string; hqUser: string; password: string } | null;
}

export async function seedDemo(
  t: ProvisionTargets,
  opts: {
    tenant?: string;
    store?: string;
    onStep?: (s: Step) => void;
    /** Default true; benchmarks leave it out. */ secondTenant?: boolean;
  } = {},
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
  // The people who sign in at the cashiers, in the store's directory like its terminals (the salted hash differs each run: not compared).
  for (const doc of await demoStaff(tenant, spec.store.code, now))
    await ensureDoc(t.store, log, dbName.directory(tenant, spec.store.code), doc, ['updated_at', 'pin']);
  for (const doc of yogyaCatalog(tenant, now)) {
    const photo =
      doc.type === 'product'
        ? { name: 'photo.svg', contentType: 'image/svg+xml', data: Buffer.from(foodPhotoSvg({ name: doc.name, ...photoFor(doc) })) }
        : null;
    await ensureCatalogDoc(t.central, log, dbName.catalog(tenant), doc, photo);
  }
  const secondTenant =
    opts.secondTenant === false ? null : await seedSecondTenant({ ...t, relayPassword: undefined }, log, now, opts.onStep);
  return { provision, hqUser, catalogChanges: log.steps.filter((s) => s.status !== 'unchanged').length, secondTenant };
}

async function seedSecondTenant(t: ProvisionTargets, log: StepLog, now: string, onStep?: (s: Step) => void) {
  const tenant = SECOND_TENANT.code;
  await provisionStore(sinarKemangSpec(), t, { onStep });
  const hqUser = userName.hq(tenant, DEMO_HQ_SECOND.person);
  await ensureUser(
    t.central,
    log,
    { name: hqUser, roles: [role.tenant(tenant), role.hq(tenant)], lapak: { kind: 'hq', tenant } },
    () => DEMO_HQ_SECOND.password,
  );
  for (const doc of sinarCatalog(now)) await ensureCatalogDoc(t.central, log, dbName.catalog(tenant), doc, null);
  return { tenant, store: SECOND_TENANT.store, hqUser, password: DEMO_HQ_SECOND.password };
}
