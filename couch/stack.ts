// Brings up the servers of a store and of central: each a CouchDB-compatible server (the
// embedded PouchDB Server unless a CouchDB URL is configured) behind a gateway. Used by
// `npm start` and by the tests, which also stop and restart one side to play an outage.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CouchEndpoint, GatewaySettings, LapakConfig } from './config';
import { startPouchDbServer, waitForCouch, type EmbeddedServer } from './embedded/pouchdb-server';
import { relayOptionsFromConfig } from '../edge-relay/config';
import { startRelay, type Relay } from '../edge-relay/server';
import { nanoAdmin } from '../scripts/lib/nano-admin';
import { startPublicDirectory } from './agent/public-directory';
import { buildDesignDocs } from '../design-docs/build';
import { startIntegrityGuard } from './agent/integrity-guard';
import { startReconciler } from './agent/reconcile';
import { agentTimings } from './agent/timings';
import { startAuditor } from './agent/auditor';
import { startReplicationStatus } from './agent/replication-status';
import { startReplicationWatchdog } from './agent/replication-watchdog';
import { startTerminalRequests } from './agent/terminal-requests';
import { DiskGuard } from './gateway/disk-guard';
import { startGateway, type Gateway, type SiteInfo } from './gateway/server';
import { startConnector, type Connector } from './payments/connector';
import { connectorOptionsFromConfig } from './payments/options';
import { startProviderSimulator, type ProviderSimulator } from './payments/simulator';

export const WEB_DIST = fileURLToPath(new URL('../web/dist', import.meta.url));

export type Side = 'store' | 'central';

interface Running {
  couch: EmbeddedServer | null;
  gateway: Gateway;
  relay: Relay | null;
  /** The store agent's duties (couch/agent), run in-process for development and tests. */
  agent: { stop(): void }[];
  /** The store's payment connector (couch/payments), beside its database server. */
  connector: Connector | null;
}

export interface Payments {
  /** The connector's notification endpoint (the last one, while the store side is down). */
  notifyUrl: string | null;
  /**
   * The local provider simulator, when no LAPAK_PAYMENT_PROVIDER_URL is configured: pay a QR code at
   * `${simulatorUrl}/simulator`, drive it over HTTP (POST /simulator/settle/{order_id}, /simulator/down,
   * /simulator/up, GET /simulator/transactions) or in-process. It plays the provider, on the internet:
   * it keeps running while the store side is stopped.
   */
  simulatorUrl: string | null;
  simulator: ProviderSimulator | null;
}

export interface Stack {
  store: { couch: CouchEndpoint; gateway: Gateway; relay: Relay | null; diskGuard: DiskGuard | null };
  payments: Payments;
  central: { couch: CouchEndpoint; gateway: Gateway; diskGuard: DiskGuard | null };
  /** Stops one side's database server and gateway; `SIGKILL` plays a power cut. */
  stopSide(side: Side, signal?: NodeJS.Signals): Promise<void>;
  /** Cuts or restores the store's link to central (central's gateway), leaving central itself up. */
  stopLink(): Promise<void>;
  startLink(): Promise<void>;
  /** Starts it again on the same ports and data. */
  startSide(side: Side): Promise<void>;
  /** Stops or starts only the store's edge relay (presence), leaving the database up. */
  stopRelay(): Promise<void>;
  startRelay(): Promise<void>;
  stop(): Promise<void>;
}

export async function startStack(config: LapakConfig, log: (line: string) => void = console.log): Promise<Stack> {
  const settings: Record<Side, { couch: CouchEndpoint; gateway: GatewaySettings; site: SiteInfo; relay: boolean }> = {
    store: {
      couch: config.store,
      gateway: config.storeGateway,
      site: { kind: 'store', tenant: config.tenant, store: config.storeCode },
      relay: true,
    },
    central: { couch: config.central, gateway: config.centralGateway, site: { kind: 'central' }, relay: false },
  };
  const relayOptions = { ...relayOptionsFromConfig(config), log };
  const relayPorts: Partial<Record<Side, number>> = {};
  const running: Partial<Record<Side, Running>> = {};
  const gateways = {} as Record<Side, Gateway>;
  const guardDirs: Record<Side, string | null> = { store: config.diskGuard.storeDir, central: config.diskGuard.centralDir };
  const diskGuards = {} as Record<Side, DiskGuard | null>;
  /** The provider simulator outlives store-side restarts; the connector's endpoint is remembered across them. */
  const pay: { simulator: ProviderSimulator | null; notifyUrl: string | null } = { simulator: null, notifyUrl: null };
  for (const side of ['store', 'central'] as const) {
    const dir = guardDirs[side];
    diskGuards[side] = dir && config.diskGuard.minFreeBytes > 0 ? new DiskGuard(dir, config.diskGuard.minFreeBytes, side) : null;
  }

  async function startSide(side: Side): Promise<void> {
    if (running[side]) return;
    const s = settings[side];
    let couch: EmbeddedServer | null = null;
    if (s.couch.embedded) couch = await startPouchDbServer(s.couch, join(config.dataDir, side), `${side} couch`, log);
    else await waitForCouch(s.couch.url);
    let relay: Relay | null = null;
    let connector: Connector | null = null;
    try {
      // The store's relay and payment connector run beside its database server: a store server outage takes them down.
      if (s.relay) relay = await startRelay(relayOptions);
      if (side === 'store') connector = await startPayments(s.couch);
      const gateway = await startGatewayOf(side, relay);
      const agent = side === 'store' ? startStoreAgent(s.couch) : [];
      running[side] = { couch, gateway, relay, agent, connector };
      if (relay) relayPorts[side] = relay.port;
    } catch (e) {
      await connector?.stop();
      await relay?.close();
      await couch?.stop();
      throw e;
    }
  }

  async function stopSide(side: Side, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const r = running[side];
    delete running[side];
    if (!r) return;
    for (const duty of r.agent) duty.stop();
    if (signal === 'SIGKILL') await r.couch?.stop('SIGKILL');
    await r.connector?.stop();
    await r.gateway.close();
    await r.relay?.close();
    await r.couch?.stop();
  }

  /** What couch/agent/main.ts does on a store server, with the same settings. */
  function startStoreAgent(couch: CouchEndpoint): { stop(): void }[] {
    const store = nanoAdmin('store server', couch);
    const common = { store, tenant: config.tenant, storeCode: config.storeCode, log };
    const timings = agentTimings(process.env);
    return [
      startReplicationWatchdog({ ...common, centralUrl: config.centralPublicUrl, intervalMs: 3000 }),
      startTerminalRequests({ ...common, storePublicUrl: config.storePublicUrl }),
      startReplicationStatus({ ...common, centralUrl: config.centralPublicUrl }),
      startPublicDirectory(common),
      startIntegrityGuard({ ...common, designDocs: buildDesignDocs, intervalMs: timings.integrityMs }),
      startReconciler({ ...common, ...timings.reconcile }),
      startAuditor(common),
    ];
  }

  /**
   * The payment connector against the store server, as its own account (provisioning creates it
   * from config.connector.password; until then it retries). With no provider configured, the
   * local simulator plays the provider, and is told where to send its notifications.
   */
  async function startPayments(couch: CouchEndpoint): Promise<Connector> {
    const c = config.connector;
    if (!c.providerUrl && !pay.simulator) pay.simulator = await startProviderSimulator({ serverKey: c.serverKey, log });
    const providerUrl = c.providerUrl ?? pay.simulator!.url;
    const options = { ...connectorOptionsFromConfig(config, providerUrl, log), storeUrl: couch.url };
    let connector: Connector;
    try {
      connector = await startConnector(options);
    } catch (e) {
      // The simulator is told the endpoint, wherever it is: a busy port (another stack on this machine) is no reason to fail.
      if ((e as { code?: string }).code !== 'EADDRINUSE' || c.providerUrl) throw e;
      log(`payment connector: port ${c.port} is in use; listening on another one for the simulator's notifications`);
      connector = await startConnector({ ...options, port: 0 });
    }
    pay.simulator?.setNotifyUrl(connector.notifyUrl);
    pay.notifyUrl = connector.notifyUrl;
    return connector;
  }

  async function startGatewayOf(side: Side, relay: Relay | null): Promise<Gateway> {
    const s = settings[side];
    const gateway = await startGateway({
      ...s.gateway,
      upstream: s.couch.url,
      staticDir: WEB_DIST,
      label: side,
      site: s.site,
      relay: relay ? { host: relayOptions.host, port: relay.port } : undefined,
      diskGuard: diskGuards[side] ?? undefined,
    });
    gateways[side] = gateway;
    return gateway;
  }

  try {
    await Promise.all([startSide('store'), startSide('central')]);
  } catch (e) {
    await Promise.all([stopSide('store'), stopSide('central')]);
    await pay.simulator?.close();
    throw e;
  }
  return {
    store: {
      couch: config.store,
      get gateway() {
        return gateways.store;
      },
      get relay() {
        return running.store?.relay ?? null;
      },
      diskGuard: diskGuards.store,
    },
    payments: {
      get notifyUrl() {
        return pay.notifyUrl;
      },
      get simulatorUrl() {
        return pay.simulator?.url ?? null;
      },
      get simulator() {
        return pay.simulator;
      },
    },
    central: {
      couch: config.central,
      get gateway() {
        return gateways.central;
      },
      diskGuard: diskGuards.central,
    },
    stopSide,
    startSide,
    stopLink: async () => {
      const r = running.central;
      if (r) await r.gateway.close();
    },
    startLink: async () => {
      const r = running.central;
      if (r && !r.gateway.server.listening) r.gateway = await startGatewayOf('central', null);
    },
    stopRelay: async () => {
      const r = running.store;
      if (!r?.relay) return;
      await r.relay.close();
      r.relay = null;
    },
    startRelay: async () => {
      const r = running.store;
      if (!r || r.relay) return;
      // Same port as before: the gateway keeps proxying /relay to it.
      r.relay = await startRelay({ ...relayOptions, port: relayPorts.store ?? relayOptions.port });
    },
    stop: async () => {
      await Promise.all([stopSide('store'), stopSide('central')]);
      await pay.simulator?.close();
      pay.simulator = null;
    },
  };
}
