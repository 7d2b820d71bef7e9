// The tenant's stores and catalog brands, loaded once after login and shared by the HQ pages.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { dbName } from '../../../design-docs/lib/names';
import type { CatalogBrand } from '../../../design-docs/lib/types';
import { centralDb, docsWithPrefix } from './central-db';
import { listStores, type HqStore } from './stores';

export const useHq = defineStore('hq', () => {
  const stores = ref<HqStore[]>([]);
  const brands = ref<CatalogBrand[]>([]);
  const error = ref<string | null>(null);
  const loadedFor = ref<string | null>(null);
  const brandName = computed(() => Object.fromEntries(brands.value.map((b) => [b.code, b.name])) as Record<string, string>);
  const storeName = computed(() => Object.fromEntries(stores.value.map((s) => [s.store, s.name])) as Record<string, string>);

  async function load(tenant: string) {
    error.value = null;
    try {
      const [s, b] = await Promise.all([listStores(tenant), docsWithPrefix<CatalogBrand>(centralDb(dbName.catalog(tenant)), 'brand:')]);
      stores.value = s;
      brands.value = b;
      loadedFor.value = tenant;
    } catch (e) {
      error.value =
        (e as { status?: number }).status === 401 || (e as { status?: number }).status === 403 ? 'hqForbidden' : 'hqUnreachable';
    }
  }

  return { stores, brands, error, loadedFor, brandName, storeName, load };
});
