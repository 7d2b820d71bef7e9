// The service worker: the app shell is precached so the app starts and reloads with no
// network at all. Database traffic (/db) and the relay never go through a cache: PouchDB
// owns offline data.
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { NetworkFirst } from 'workbox-strategies';

declare let self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (string | { url: string; revision: string | null })[] };

// The first install takes over the open page at once, so it works offline from its first visit.
clientsClaim();
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html'), { denylist: [/^\/db(\/|$)/, /^\/relay(\/|$)/] }));
registerRoute(({ url }) => url.pathname === '/lapak-site.json', new NetworkFirst({ cacheName: 'lapak-site', networkTimeoutSeconds: 3 }));

// A new version waits until the page says the terminal is idle (pwa/register.ts).
self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});
