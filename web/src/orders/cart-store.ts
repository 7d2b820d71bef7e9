// The order being put together on this terminal, priced live from the local catalog.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { OrderModifier, Product } from '../../../design-docs/lib/types';
import { useCatalog } from '../catalog/catalog-store';
import { priceCart, type CartLine } from './pricing';

export const useCart = defineStore('cart', () => {
  const lines = ref<CartLine[]>([]);
  const now = ref(new Date().toISOString());
  setInterval(() => (now.value = new Date().toISOString()), 60_000);

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
    now.value = new Date().toISOString();
  }

  return { lines, priced, count, add, setQty, clear };
});
