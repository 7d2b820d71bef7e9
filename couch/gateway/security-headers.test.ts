import { describe, expect, it } from 'vitest';
import { hardenSetCookie } from './security-headers';

describe('session cookies', () => {
  it('are HttpOnly and SameSite=Strict, and Secure over HTTPS', () => {
    expect(hardenSetCookie('AuthSession=abc; Version=1; Path=/; HttpOnly', false)).toEqual([
      'AuthSession=abc; Version=1; Path=/; HttpOnly; SameSite=Strict',
    ]);
    expect(hardenSetCookie(['AuthSession=abc; Path=/; SameSite=None'], true)).toEqual([
      'AuthSession=abc; Path=/; HttpOnly; SameSite=Strict; Secure',
    ]);
    expect(hardenSetCookie(undefined, true)).toBeUndefined();
  });
});
