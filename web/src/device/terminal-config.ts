// What a paired device remembers about itself: which terminal it is, its secret (its
// CouchDB password, which only this device knows) and its printer.
import type { TerminalType } from '../../../design-docs/lib/names';

export interface TerminalConfig {
  tenant: string;
  store: string;
  storeName: string;
  code: string;
  name: string;
  brand: string;
  brandName: string;
  type: TerminalType;
  orderPrefix: string;
  userName: string;
  secret: string;
  deviceId: string;
  assignedAt: string;
  paperWidth: 58 | 80;
}

const KEY = 'lapak.terminal';

export function loadTerminalConfig(storage: Storage = localStorage): TerminalConfig | null {
  try {
    const raw = storage.getItem(KEY);
    return raw ? (JSON.parse(raw) as TerminalConfig) : null;
  } catch {
    return null;
  }
}

export function saveTerminalConfig(config: TerminalConfig, storage: Storage = localStorage): void {
  storage.setItem(KEY, JSON.stringify(config));
}

export function clearTerminalConfig(storage: Storage = localStorage): void {
  storage.removeItem(KEY);
}
