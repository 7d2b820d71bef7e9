// Brings up the servers of a store and of central: each a CouchDB-compatible server (the
// embedded PouchDB Server unless a CouchDB URL is configured) behind a gateway. Used by
// `npm start` and by the integration tests.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CouchEndpoint, LapakConfig } from './config';
import { startPouchDbServer, waitForCouch, type EmbeddedServer } from './embedded/pouchdb-server';
import { startGateway, type Gateway } from './gateway/server';

export const WEB_DIST = fileURLToPath(new URL('../web/dist', import.meta.url));

export interface Stack {
  store: { couch: CouchEndpoint; gateway: Gateway };
  central: { couch: CouchEndpoint; gateway: Gateway };
  stop(): Promise<void>;
}

async function couchFor(
  endpoint: CouchEndpoint,
  dir: string,
  label: string,
  log: (l: string) => void,
  stoppers: (() => Promise<void>)[],
): Promise<void> {
  if (!endpoint.embedded) return waitForCouch(endpoint.url);
  const server: EmbeddedServer = await startPouchDbServer(endpoint, dir, label, log);
  stoppers.push(() => server.stop());
}

export async function startStack(config: LapakConfig, log: (line: string) => void = console.log): Promise<Stack> {
  const stoppers: (() => Promise<void>)[] = [];
  try {
    await Promise.all([
      couchFor(config.store, join(config.dataDir, 'store'), 'store couch', log, stoppers),
      couchFor(config.central, join(config.dataDir, 'central'), 'central couch', log, stoppers),
    ]);
    const storeGateway = await startGateway({
      ...config.storeGateway,
      upstream: config.store.url,
      staticDir: WEB_DIST,
      label: 'store',
      site: { kind: 'store', tenant: config.tenant, store: config.storeCode },
    });
    stoppers.push(() => storeGateway.close());
    const centralGateway = await startGateway({
      ...config.centralGateway,
      upstream: config.central.url,
      staticDir: WEB_DIST,
      label: 'central',
      site: { kind: 'central' },
    });
    stoppers.push(() => centralGateway.close());
    return {
      store: { couch: config.store, gateway: storeGateway },
      central: { couch: config.central, gateway: centralGateway },
      stop: async () => {
        for (const stop of stoppers.reverse()) await stop();
      },
    };
  } catch (e) {
    for (const stop of stoppers.reverse()) await stop().catch(() => {});
    throw e;
  }
}
