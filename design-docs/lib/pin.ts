// Staff PINs: stored as PBKDF2-SHA-256 with a random salt, checked on the device (Web Crypto,
// offline too). A 4–6 digit PIN is no secret from whoever can read the store directory and has
// time to guess offline: see docs/security.md ("Staff PINs") for what this does and does not protect.
import type { PinHash } from './types';

export const PIN_ITERATIONS = 150_000;
export const PIN_PATTERN = /^[0-9]{4,6}$/;

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function fromBase64(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function derive(pin: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, ['deriveBits']);
  return new Uint8Array(await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, 256));
}

export async function hashPin(pin: string, iterations = PIN_ITERATIONS): Promise<PinHash> {
  if (!PIN_PATTERN.test(pin)) throw new Error('A PIN is 4 to 6 digits.');
  const salt = crypto.getRandomValues(new Uint8Array(16));
  return { alg: 'pbkdf2-sha256', iterations, salt: toBase64(salt), hash: toBase64(await derive(pin, salt, iterations)) };
}

export async function pinMatches(pin: string, stored: PinHash): Promise<boolean> {
  if (!PIN_PATTERN.test(pin) || stored.alg !== 'pbkdf2-sha256') return false;
  const got = await derive(pin, fromBase64(stored.salt), stored.iterations);
  const want = fromBase64(stored.hash);
  let diff = got.length ^ want.length;
  for (let i = 0; i < got.length && i < want.length; i++) diff |= got[i]! ^ want[i]!;
  return diff === 0;
}
