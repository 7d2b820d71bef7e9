// A second, much smaller demo tenant, so that tenant isolation at central can be seen with
// `npm start`: its HQ logs in to the same central server and sees only its own store and
// catalog, and YOGYA Group's HQ never sees it. Its store is provisioned on the same demo store
// server (a real store has its own), with no terminals: nobody sells there.
import { SCHEMA_VERSION } from '../../design-docs/lib/types';
import type { StoreSpec } from '../lib/store-spec';
import type { CatalogDoc } from './yogya-catalog';

export const SECOND_TENANT = { code: 'sinar', name: 'Sinar Rasa Group', store: 'kemang' };

export function sinarKemangSpec(): StoreSpec {
  return {
    tenant: { code: SECOND_TENANT.code, name: SECOND_TENANT.name },
    store: { code: SECOND_TENANT.store, name: 'Sinar Kemang', timezone: 'Asia/Jakarta', tax_rate_bp: 1000, service_rate_bp: 0 },
    brands: [{ code: 'SOTO', name: 'Soto Lamongan Cak Har', color: '#E0A100' }],
    terminals: [],
    storeAdmins: [],
  };
}

export function sinarCatalog(now: string): CatalogDoc[] {
  const base = { schema: SCHEMA_VERSION, tenant: SECOND_TENANT.code, updated_at: now };
  return [
    { _id: 'brand:SOTO', type: 'brand', ...base, code: 'SOTO', name: 'Soto Lamongan Cak Har', color: '#E0A100' },
    { _id: 'category:soto-soto', type: 'category', ...base, brand: 'SOTO', name: 'Soto', name_en: 'Soup', sort: 10 },
    {
      _id: 'product:soto-ayam',
      type: 'product',
      ...base,
      brand: 'SOTO',
      category_id: 'category:soto-soto',
      name: 'Soto Ayam Lamongan',
      name_en: 'Lamongan chicken soup',
      price: 22000,
      modifier_groups: [],
      available: true,
      sort: 10,
    },
    {
      _id: 'product:soto-daging',
      type: 'product',
      ...base,
      brand: 'SOTO',
      category_id: 'category:soto-soto',
      name: 'Soto Daging',
      name_en: 'Beef soup',
      price: 28000,
      modifier_groups: [],
      available: true,
      sort: 20,
    },
  ];
}
