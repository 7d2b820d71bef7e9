// Provisioning targets from the local configuration (environment, lapak.config.json).
import { buildDesignDocs } from '../../design-docs/build';
import { loadConfig, type LapakConfig } from '../../couch/config';
import { nanoAdmin } from './nano-admin';
import type { ProvisionTargets } from './provision';

export function targetsFromConfig(config: LapakConfig = loadConfig()): ProvisionTargets {
  return {
    store: nanoAdmin('store server', config.store),
    central: nanoAdmin('central server', config.central),
    storeUrlForReplicator: config.store.url,
    centralUrlForReplicator: config.centralPublicUrl,
    storePublicUrl: config.storePublicUrl,
    storeAdmin: config.store.admin,
    relayPassword: config.relay.password,
    connectorPassword: config.connector.password,
    centralShards: config.centralShards,
    designDocs: buildDesignDocs,
  };
}
