// The order being put together on this terminal, priced live from the local catalog.
import { nowIso } from '../device/clock';
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { OrderModifier, Product } from '../../../design-docs/lib/types';
import { useCatalog } from '../catalog/catalog-store';
import { priceCart, type CartLine } from './pricing';

const KEY = 'lapak.cart';

function restore(): CartLine[] {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) ?? '[]') as CartLine[];
  } catch {
    return [];
  }
}

export const useCart = defineStore('cart', () => {
  // Kept in sessionStorage so that a reload (after a storage error, or an update) keeps the customer's order.
  const lines = ref<CartLine[]>(restore());
  watch(lines, (l) => sessionStorage.setItem(KEY, JSON.stringify(l)), { deep: true });
  const now = ref(nowIso());
  setInterval(() => (now.value = nowIso()), 60_000);

  const priced = computed(() => {
    const catalog = useCatalog();
    return priceCart(lines.value, catalog.promotions, now.value, catalog.rates);
  });
  const count = computed(() => lines.value.reduce((s, l) => s + l.qty, 0));

  function add(product: Product, modifiers: OrderModifier[] = [], qty = 1, note = '') {
    const key = JSON.stringify([product._id, modifiers.map((m) => m.option_id), note.trim()]);
    const same = lines.value.find((l) => l.key === key);
    if (same) same.qty = Math.min(999, same.qty + qty);
    else
      lines.value.push({
        key,
        product: { _id: product._id, name: product.name, price: product.price, brand: product.brand },
        modifiers,
        qty,
        note,
      });
  }

  function setQty(key: string, qty: number) {
    if (qty <= 0) lines.value = lines.value.filter((l) => l.key !== key);
    else {
      const line = lines.value.find((l) => l.key === key);
      if (line) line.qty = Math.min(999, qty);
    }
  }

  function clear() {
    lines.value = [];
    now.value = nowIso();
  }

  return { lines, priced, count, add, setQty, clear };
});
