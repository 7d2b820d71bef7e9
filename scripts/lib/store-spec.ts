// What a field technician describes when provisioning a store, and the checks that say
// exactly what is wrong with it before anything is written.
import {
  BRAND_CODE,
  isTerminalCode,
  isTerminalType,
  STORE_CODE,
  takesOrders,
  TENANT_CODE,
  type TerminalType,
} from '../../design-docs/lib/names';

export interface StoreSpec {
  tenant: { code: string; name: string };
  store: { code: string; name: string; timezone: string; tax_rate_bp: number; service_rate_bp: number };
  brands: { code: string; name: string; color?: string }[];
  terminals: { code: string; name: string; type: TerminalType; brand: string; order_prefix: string }[];
  /** People who manage this store (unassign terminals, void orders); accounts storeadmin.<tenant>.<store>.<person>. */
  storeAdmins?: string[];
}

const PERSON = /^[a-z][a-z0-9-]{1,29}$/;
const ORDER_PREFIX = /^[A-Z0-9]{1,6}$/;

export function specErrors(spec: StoreSpec): string[] {
  const e: string[] = [];
  if (!spec || typeof spec !== 'object') return ['the store description is missing'];
  if (!TENANT_CODE.test(spec.tenant?.code ?? ''))
    e.push(
      `tenant code "${spec.tenant?.code ?? ''}" is invalid: use 2-30 lowercase letters, digits or "-", starting with a letter (e.g. yogya)`,
    );
  if (!spec.tenant?.name) e.push('tenant name is missing (e.g. "YOGYA Group")');
  if (!STORE_CODE.test(spec.store?.code ?? ''))
    e.push(
      `store code "${spec.store?.code ?? ''}" is invalid: use 2-30 lowercase letters, digits or "-", starting with a letter (e.g. bsd)`,
    );
  if (!spec.store?.name) e.push('store name is missing (e.g. "Yogya BSD")');
  if (!spec.store?.timezone) e.push('store timezone is missing (e.g. Asia/Jakarta)');
  for (const f of ['tax_rate_bp', 'service_rate_bp'] as const) {
    const v = spec.store?.[f];
    if (!Number.isInteger(v) || v < 0 || v > 10000)
      e.push(`store ${f} must be a whole number of basis points from 0 to 10000 (1000 = 10%)`);
  }
  const brands = new Set<string>();
  if (!Array.isArray(spec.brands) || spec.brands.length === 0) e.push('at least one brand is needed');
  for (const b of spec.brands ?? []) {
    if (!BRAND_CODE.test(b.code ?? '')) e.push(`brand code "${b.code}" is invalid: use 2-20 uppercase letters or digits (e.g. AYAMGEPREK)`);
    if (brands.has(b.code)) e.push(`brand ${b.code} is listed twice`);
    if (!b.name) e.push(`brand ${b.code} has no name`);
    brands.add(b.code);
  }
  const codes = new Set<string>();
  const prefixes = new Map<string, string>();
  for (const t of spec.terminals ?? []) {
    if (!isTerminalCode(t.code))
      e.push(`terminal code "${t.code}" is invalid: use uppercase letters, digits and single "-" (e.g. KIOSK-GEPREK-01)`);
    if (codes.has(t.code)) e.push(`terminal ${t.code} is listed twice`);
    codes.add(t.code);
    if (!isTerminalType(t.type)) e.push(`terminal ${t.code} has type "${t.type}": use kiosk, cashier, kitchen, waiter or board`);
    if (!brands.has(t.brand))
      e.push(`terminal ${t.code} belongs to brand "${t.brand}", which is not among this store's brands (${[...brands].join(', ')})`);
    if (!t.name) e.push(`terminal ${t.code} has no name`);
    if (takesOrders(t.type)) {
      if (!ORDER_PREFIX.test(t.order_prefix ?? ''))
        e.push(`terminal ${t.code} needs an order_prefix of 1-6 uppercase letters or digits (e.g. K1)`);
      const owner = prefixes.get(t.order_prefix);
      if (owner) e.push(`terminals ${owner} and ${t.code} share order prefix ${t.order_prefix}: order numbers would collide`);
      prefixes.set(t.order_prefix, t.code);
    }
  }
  for (const p of spec.storeAdmins ?? [])
    if (!PERSON.test(p)) e.push(`store admin "${p}" is invalid: use a lowercase name such as manager`);
  return e;
}
