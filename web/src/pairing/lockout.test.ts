import { describe, expect, it } from 'vitest';
import { DEFAULT_LOCKOUT_SECONDS, lockoutOf, retryAfterSeconds, waitMinutes } from './lockout';

describe('login lockout (429) parsing', () => {
  const now = Date.parse('2026-01-20T08:00:00.000Z');

  it('takes the Retry-After header in seconds first, then the body', () => {
    expect(retryAfterSeconds('300', { retry_after: 10 }, now)).toBe(300);
    expect(retryAfterSeconds(null, { error: 'too_many_requests', reason: 'x', retry_after: 90 }, now)).toBe(90);
    expect(retryAfterSeconds(null, { retry_after: '120' }, now)).toBe(120);
    expect(retryAfterSeconds(null, { retry_after: 1.2 }, now)).toBe(2);
  });

  it('understands an HTTP date in Retry-After', () => {
    expect(retryAfterSeconds('Tue, 20 Jan 2026 08:05:00 GMT', null, now)).toBe(300);
  });

  it('falls back to a default for missing or garbage values, and never says 0 or days', () => {
    expect(retryAfterSeconds(null, null, now)).toBe(DEFAULT_LOCKOUT_SECONDS);
    expect(retryAfterSeconds('soon', { retry_after: -5 }, now)).toBe(DEFAULT_LOCKOUT_SECONDS);
    expect(retryAfterSeconds('0', null, now)).toBe(1);
    expect(retryAfterSeconds('99999999', null, now)).toBe(24 * 60 * 60);
  });

  it('rounds the wait up to whole minutes, at least one', () => {
    expect(waitMinutes(1)).toBe(1);
    expect(waitMinutes(60)).toBe(1);
    expect(waitMinutes(61)).toBe(2);
    expect(waitMinutes(900)).toBe(15);
  });

  it('reads a real 429 response, JSON or not', async () => {
    const json = new Response(JSON.stringify({ error: 'too_many_requests', reason: 'Too many failed logins', retry_after: 240 }), {
      status: 429,
      headers: { 'retry-after': '240', 'content-type': 'application/json' },
    });
    expect(await lockoutOf(json, now)).toBe(240);
    expect(await lockoutOf(new Response('slow down', { status: 429 }), now)).toBe(DEFAULT_LOCKOUT_SECONDS);
  });
});
