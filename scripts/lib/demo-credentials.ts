// The demo's one-time codes and passwords are shown when they are made; `npm start` keeps
// them in the data directory so that it can show them again on later starts (demo only:
// a real store prints them once, on the provisioning sheet).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DemoSeedResult } from './demo-seed';
import type { ProvisionResult } from './provision';

export interface DemoCredentials {
  pairingCodes: ProvisionResult['pairingCodes'];
  storeAdminPasswords: ProvisionResult['storeAdminPasswords'];
}

function file(dataDir: string): string {
  return join(dataDir, 'demo-credentials.json');
}

export function loadDemoCredentials(dataDir: string): DemoCredentials {
  return existsSync(file(dataDir))
    ? (JSON.parse(readFileSync(file(dataDir), 'utf8')) as DemoCredentials)
    : { pairingCodes: [], storeAdminPasswords: [] };
}

/** Merges what this run created into what earlier runs saved. */
export function saveDemoCredentials(dataDir: string, result: DemoSeedResult): DemoCredentials {
  const saved = loadDemoCredentials(dataDir);
  const merged: DemoCredentials = {
    pairingCodes: [
      ...saved.pairingCodes.filter((p) => !result.provision.pairingCodes.some((n) => n.terminal === p.terminal)),
      ...result.provision.pairingCodes,
    ],
    storeAdminPasswords: [
      ...saved.storeAdminPasswords.filter((p) => !result.provision.storeAdminPasswords.some((n) => n.name === p.name)),
      ...result.provision.storeAdminPasswords,
    ],
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file(dataDir), JSON.stringify(merged, null, 2));
  return merged;
}
