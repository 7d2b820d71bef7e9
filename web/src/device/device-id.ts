// A device's identity: `dev_` + 12 hex characters, made once and kept.
const KEY = 'lapak.deviceId';

export function newDeviceId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return `dev_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export function deviceId(storage: Storage = localStorage): string {
  let id = storage.getItem(KEY);
  if (!id || !/^dev_[0-9a-f]{12}$/.test(id)) {
    id = newDeviceId();
    storage.setItem(KEY, id);
  }
  return id;
}
