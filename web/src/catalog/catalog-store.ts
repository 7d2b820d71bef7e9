// The menu of this terminal's brand, from the local catalog replica, kept live.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { Category, Product, Promotion, StoreBrand, StoreDoc } from '../../../design-docs/lib/types';
import { terminalDbs } from '../db/terminal-dbs';
import type { TerminalConfig } from '../device/terminal-config';
import { productPhoto } from './product-photo';

export const useCatalog = defineStore('catalog', () => {
  const categories = shallowRef<Category[]>([]);
  const products = shallowRef<Product[]>([]);
  const promotions = shallowRef<Promotion[]>([]);
  const store = shallowRef<StoreDoc | null>(null);
  const storeBrand = shallowRef<StoreBrand | null>(null);
  const photos = ref<Record<string, string>>({});
  const loaded = ref(false);
  let brand = '';
  let started = false;

  async function load(config: TerminalConfig) {
    const dbs = terminalDbs(config);
    const [cat, dir, brandDoc] = await Promise.all([
      dbs.catalog.allDocs({ include_docs: true }),
      dbs.directory.get<StoreDoc>('store').catch(() => null),
      dbs.directory.get<StoreBrand>(`brand:${brand}`).catch(() => null),
    ]);
    storeBrand.value = brandDoc;
    const docs = cat.rows.map((r) => r.doc as unknown as { type?: string; brand?: string }).filter((d) => d && d.brand === brand);
    categories.value = (docs.filter((d) => d.type === 'category') as unknown as Category[]).sort((a, b) => a.sort - b.sort);
    products.value = (docs.filter((d) => d.type === 'product') as unknown as Product[]).sort((a, b) => a.sort - b.sort);
    promotions.value = docs.filter((d) => d.type === 'promotion') as unknown as Promotion[];
    store.value = dir;
    loaded.value = true;
    for (const p of products.value) void loadPhoto(config, p);
  }

  /** Which photo (by digest) each product's object URL shows: HQ may replace a photo while the kiosk runs. */
  const photoDigest = new Map<string, string>();

  async function loadPhoto(config: TerminalConfig, p: Product) {
    const photo = productPhoto(p);
    if (!photo || photoDigest.get(p._id) === photo.version) return;
    photoDigest.set(p._id, photo.version);
    try {
      const blob = (await terminalDbs(config).catalog.getAttachment(p._id, photo.name)) as Blob;
      const old = photos.value[p._id];
      photos.value = { ...photos.value, [p._id]: URL.createObjectURL(blob) };
      if (old) URL.revokeObjectURL(old);
    } catch {
      // the photo has not replicated yet; the card shows a placeholder until the next change
      photoDigest.delete(p._id);
    }
  }

  function start(config: TerminalConfig) {
    brand = config.brand;
    void load(config);
    if (started) return;
    started = true;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const reload = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void load(config), 150);
    };
    const dbs = terminalDbs(config);
    dbs.catalog.changes({ since: 'now', live: true }).on('change', reload);
    dbs.directory.changes({ since: 'now', live: true }).on('change', reload);
  }

  const productsByCategory = computed(() => {
    const map: Record<string, Product[]> = {};
    for (const p of products.value) (map[p.category_id] ??= []).push(p);
    return map;
  });
  const productById = computed(() => Object.fromEntries(products.value.map((p) => [p._id, p])));
  const rates = computed(() => ({ service_rate_bp: store.value?.service_rate_bp ?? 0, tax_rate_bp: store.value?.tax_rate_bp ?? 0 }));

  return { storeBrand, categories, products, promotions, store, photos, loaded, productsByCategory, productById, rates, start };
});
