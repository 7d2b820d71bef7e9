import { describe, expect, it } from 'vitest';
import { LoginThrottle, basicCredentials } from './login-throttle';

const limits = { perAccount: 5, perAddress: 30, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

function clock() {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('failed-login limits', () => {
  it('locks an account after five different wrong codes, then lets it try again later', () => {
    const c = clock();
    const t = new LoginThrottle(limits, c.now);
    for (let i = 0; i < 5; i++) t.failed('kiosk', '10.0.0.9', LoginThrottle.secret('kiosk', `guess-${i}`));
    const right = LoginThrottle.secret('kiosk', 'the-code');
    const locked = t.check('kiosk', '10.0.0.5', right);
    expect(locked.allowed).toBe(false);
    expect(!locked.allowed && locked.retryAfterSeconds).toBe(900);
    expect(!locked.allowed && locked.reason).toMatch(/Wait 15 minutes/);
    c.advance(15 * 60_000 + 1);
    expect(t.check('kiosk', '10.0.0.5', right).allowed).toBe(true);
  });

  it('never locks out a tablet that retries the same stale secret', () => {
    const t = new LoginThrottle(limits);
    const stale = LoginThrottle.secret('kiosk', 'old-secret');
    for (let i = 0; i < 500; i++) t.failed('kiosk', '10.0.0.9', stale);
    expect(t.check('kiosk', '10.0.0.9', LoginThrottle.secret('kiosk', 'new-code')).allowed).toBe(true);
  });

  it('keeps a working terminal working while a stranger guesses at its name', () => {
    const t = new LoginThrottle(limits);
    const good = LoginThrottle.secret('kiosk', 'device-secret');
    t.succeeded(good);
    for (let i = 0; i < 10; i++) t.failed('kiosk', '10.0.0.66', LoginThrottle.secret('kiosk', `guess-${i}`));
    expect(t.check('kiosk', '10.0.0.5', good).allowed).toBe(true);
    expect(t.check('kiosk', '10.0.0.7', LoginThrottle.secret('kiosk', 'guess-x')).allowed).toBe(false);
  });

  it('locks an address that guesses across many accounts', () => {
    const t = new LoginThrottle(limits);
    for (let i = 0; i < 30; i++) t.failed(`kiosk-${i}`, '10.0.0.66', LoginThrottle.secret(`kiosk-${i}`, 'x'));
    expect(t.check('cashier', '10.0.0.66', LoginThrottle.secret('cashier', 'y')).allowed).toBe(false);
    expect(t.check('cashier', '10.0.0.5', LoginThrottle.secret('cashier', 'y')).allowed).toBe(true);
  });

  it('reads Basic credentials, and nothing else', () => {
    expect(basicCredentials('Basic ' + Buffer.from('a.b:c:d').toString('base64'))).toEqual({ account: 'a.b', password: 'c:d' });
    expect(basicCredentials('Bearer x')).toBeNull();
    expect(basicCredentials(undefined)).toBeNull();
  });
});
