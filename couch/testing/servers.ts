// What an integration test gets: the running servers, and helpers to talk to them as
// someone (always over HTTP, never through app code).
import { inject } from 'vitest';
import type { CouchEndpoint } from '../config';
import type { CouchAdmin } from '../../scripts/lib/couch-admin';
import { nanoAdmin } from '../../scripts/lib/nano-admin';
import { buildDesignDocs } from '../../design-docs/build';
import type { ProvisionTargets } from '../../scripts/lib/provision';

export interface ServerInfo {
  couchUrl: string;
  gatewayUrl: string;
  admin: { username: string; password: string };
}

export interface TestServers {
  store: ServerInfo;
  central: ServerInfo;
  dataDir: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    lapakServers: TestServers;
  }
}

export function servers(): TestServers {
  return inject('lapakServers');
}

function endpoint(s: ServerInfo): CouchEndpoint {
  return { url: s.couchUrl, admin: s.admin, embedded: false, port: Number(new URL(s.couchUrl).port) };
}

/** The servers' admin; `on`: a stack of the test's own instead of the run's shared one. */
export function adminOf(which: 'store' | 'central', on: TestServers = servers()): CouchAdmin {
  return nanoAdmin(`${which} server`, endpoint(on[which]));
}

export function testTargets(s: TestServers = servers(), extra: Partial<ProvisionTargets> = {}): ProvisionTargets {
  return {
    store: adminOf('store', s),
    central: adminOf('central', s),
    storeUrlForReplicator: s.store.couchUrl,
    centralUrlForReplicator: `${s.central.gatewayUrl}/db`,
    storePublicUrl: s.store.gatewayUrl,
    storeAdmin: s.store.admin,
    designDocs: buildDesignDocs,
    ...extra,
  };
}

/** Unique codes per test file, so files can share the servers without seeing each other's data. */
export function uniqueCode(prefix: string): string {
  return `${prefix}${Math.random().toString(36).slice(2, 8)}`;
}
