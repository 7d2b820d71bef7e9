import type { PairingCode } from '../scripts/lib/provision';

export interface E2eEnv {
  storeUrl: string;
  centralUrl: string;
  pairingCodes: PairingCode[];
  storeAdmin: { name: string; password: string };
}

export function e2eEnv(): E2eEnv {
  return JSON.parse(process.env.LAPAK_E2E ?? '{}') as E2eEnv;
}
