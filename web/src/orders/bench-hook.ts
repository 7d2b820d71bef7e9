// `?bench=1` on the kiosk exposes one function for bench/kiosk-to-kitchen: place a one-item
// order through the same code path as a customer, and say when the device committed it.
import { useCatalog } from '../catalog/catalog-store';
import { useOrders } from './orders-store';
import { priceCart } from './pricing';

declare global {
  interface Window {
    __lapakBench?: { placeOrder(): Promise<{ number: string; committedAt: number }> };
  }
}

export function exposeBenchHook(): void {
  window.__lapakBench = {
    async placeOrder() {
      const catalog = useCatalog();
      const product = catalog.products.find((p) => p.available && !p.modifier_groups.some((g) => g.required));
      if (!product) throw new Error('no product without required choices in the catalog yet');
      const cart = priceCart(
        [{ key: 'bench', product, modifiers: [], qty: 1, note: '' }],
        catalog.promotions,
        new Date().toISOString(),
        catalog.rates,
      );
      const order = await useOrders().placeOrder(cart, { service: 'takeaway', customerName: 'Bench', payAt: 'cashier' });
      return { number: order.number, committedAt: performance.timeOrigin + performance.now() };
    },
  };
}
