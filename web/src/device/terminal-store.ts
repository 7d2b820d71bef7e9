// Which terminal this device is, from pairing until an admin unassigns it. Starting a
// paired terminal starts its replication and live data at once, offline or not; the check
// that the device is still bound runs quietly behind it (seed scenario 2).
import { defineStore } from 'pinia';
import { ref, shallowRef, watch } from 'vue';
import { useCatalog } from '../catalog/catalog-store';
import { useOrders } from '../orders/orders-store';
import { loadSite, type Site } from '../pairing/directory';
import { revalidate } from '../pairing/pair';
import { usePresence } from '../sync/presence-store';
import { useStaff } from '../staff/staff-store';
import { useSync } from '../sync/sync-store';
import { clearTerminalConfig, loadTerminalConfig, saveTerminalConfig, type TerminalConfig } from './terminal-config';

export const useTerminal = defineStore('terminal', () => {
  const config = shallowRef<TerminalConfig | null>(loadTerminalConfig());
  const site = shallowRef<Site | null>(null);
  const unassigned = ref<string | null>(null);

  let watching = false;
  function startServices(c: TerminalConfig) {
    useSync().start(c);
    void usePresence().start(c);
    const catalog = useCatalog();
    const orders = useOrders();
    catalog.start(c);
    orders.start(c);
    if (c.type === 'cashier' || c.type === 'waiter') useStaff().start(c);
    if (watching) return;
    watching = true;
    // A new catalog may reveal orders taken at a price that had already changed.
    watch(
      () => [catalog.productById, orders.orders] as const,
      ([products]) => void orders.flagPriceOverrides(products).catch(() => {}),
    );
    // An order arriving by replication may carry a number another order already has today.
    watch(
      () => orders.orders,
      () => void orders.flagNumberCollisions().catch(() => {}),
    );
  }

  async function boot() {
    site.value = await loadSite().catch(() => null);
    const c = config.value;
    if (!c) return;
    startServices(c);
    if (!site.value) return;
    if ((await revalidate(site.value, c)) === 'unassigned') {
      unassigned.value = c.code;
      useSync().stop();
      usePresence().stop();
      clearTerminalConfig();
      config.value = null;
    }
  }

  function paired(c: TerminalConfig) {
    saveTerminalConfig(c);
    config.value = c;
    unassigned.value = null;
    startServices(c);
  }

  function setPaperWidth(width: 58 | 80) {
    if (!config.value) return;
    const next = { ...config.value, paperWidth: width };
    saveTerminalConfig(next);
    config.value = next;
  }

  return { config, site, unassigned, boot, paired, setPaperWidth };
});
