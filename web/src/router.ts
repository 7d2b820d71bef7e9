import { createRouter, createWebHistory, type RouteLocationRaw } from 'vue-router';
import { useTerminal } from './device/terminal-store';

const modeRoute: Record<string, string> = {
  kiosk: '/kiosk',
  cashier: '/cashier',
  waiter: '/cashier',
  kitchen: '/kitchen',
  board: '/board',
};

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', component: () => import('./views/StoreHome.vue') },
    { path: '/setup', component: () => import('./views/SetupView.vue') },
    { path: '/kiosk', component: () => import('./views/KioskView.vue'), meta: { terminal: ['kiosk'] } },
    { path: '/cashier', component: () => import('./views/CashierView.vue'), meta: { terminal: ['cashier', 'waiter'] } },
    { path: '/kitchen', component: () => import('./views/KitchenView.vue'), meta: { terminal: ['kitchen'] } },
    { path: '/board', component: () => import('./views/BoardView.vue'), meta: { terminal: ['board'] } },
    { path: '/presence', component: () => import('./views/PresenceView.vue') },
    {
      path: '/hq',
      component: () => import('./views/hq/HqView.vue'),
      children: [
        { path: '', component: () => import('./views/hq/HqStoresPage.vue') },
        { path: 'terminals', component: () => import('./views/hq/HqTerminalsPage.vue') },
        { path: 'staff', component: () => import('./views/hq/HqStaffPage.vue') },
        { path: 'catalog', component: () => import('./views/hq/HqCatalogPage.vue') },
        { path: 'reports', component: () => import('./views/hq/HqReportsPage.vue') },
        { path: 'review', component: () => import('./views/hq/HqReviewPage.vue') },
      ],
    },
    { path: '/hq/provision', component: () => import('./views/hq/HqProvisionView.vue') },
    { path: '/:pathMatch(.*)*', redirect: '/' },
  ],
});

/** A terminal screen needs a paired device of that type; anything else goes to setup or to its own screen. */
router.beforeEach((to): RouteLocationRaw | true => {
  const allowed = to.meta.terminal as string[] | undefined;
  if (!allowed) return true;
  const config = useTerminal().config;
  if (!config) return { path: '/setup' };
  if (!allowed.includes(config.type)) return { path: modeRoute[config.type] ?? '/' };
  return true;
});

export function homeOf(type: string): string {
  return modeRoute[type] ?? '/';
}
