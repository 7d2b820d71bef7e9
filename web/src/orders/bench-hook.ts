// `?bench=1` on the kiosk exposes one function for bench/kiosk-to-kitchen: place a one-item
// order through the same code path as a customer, and say when the device committed it.
import { nowIso } from '../device/clock';
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
      const product = catalog.products.find((p) => p.available);
      if (!product) throw new Error('the catalog has not reached this tablet yet');
      // The first option of every required choice, as a customer tapping straight through would.
      const modifiers = product.modifier_groups
        .filter((g) => g.required && g.options[0])
        .map((g) => ({
          group_id: g.id,
          option_id: g.options[0]!.id,
          name: `${g.name}: ${g.options[0]!.name}`,
          price: g.options[0]!.price,
        }));
      const cart = priceCart([{ key: 'bench', product, modifiers, qty: 1, note: '' }], catalog.promotions, nowIso(), catalog.rates);
      const { order } = await useOrders().placeOrder(cart, { service: 'takeaway', customerName: 'Bench', payAt: 'cashier' });
      return { number: order.number, committedAt: performance.timeOrigin + performance.now() };
    },
  };
}
