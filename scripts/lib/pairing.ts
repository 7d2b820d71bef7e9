// One-time pairing codes: the first password of a terminal's account. The device that pairs
// replaces it with a secret only it holds, so the code is worthless afterwards.

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O or 1/I to misread

export function newPairingCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  const chars = Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4)}`;
}

/** A long random password for service accounts (replication, store admins). */
export function newSecret(bytes = 24): string {
  // base64url by hand: the browser (HQ provisioning page) has no Buffer.
  const binary = String.fromCharCode(...crypto.getRandomValues(new Uint8Array(bytes)));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function setupUrl(storePublicUrl: string, brand: string, terminal: string, code: string): string {
  const u = new URL('/setup', storePublicUrl);
  u.searchParams.set('brand', brand);
  u.searchParams.set('terminal', terminal);
  u.searchParams.set('code', code);
  return u.toString();
}
