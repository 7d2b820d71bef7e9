// The connector's settings from the Lapak configuration (couch/config.ts, `connector`), shared
// by the development stack and the store server's entry point.
import type { LapakConfig } from '../config';
import type { ConnectorOptions } from './connector';

export function connectorOptionsFromConfig(config: LapakConfig, providerUrl: string, log: (line: string) => void): ConnectorOptions {
  return {
    storeUrl: config.store.url,
    tenant: config.tenant,
    store: config.storeCode,
    password: config.connector.password,
    providerUrl,
    serverKey: config.connector.serverKey,
    host: config.connector.host,
    port: config.connector.port,
    log,
  };
}
