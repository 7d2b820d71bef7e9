import { describe, expect, it } from 'vitest';
import { clientAddress, normalizeAddress, SlotCounter } from './limits';

describe('relay connection limits', () => {
  it('grants slots per key up to the limit and frees them again', () => {
    const c = new SlotCounter(2);
    expect([c.take('a'), c.take('a'), c.take('a'), c.take('b')]).toEqual([true, true, false, true]);
    c.release('a');
    expect(c.count('a')).toBe(1);
    expect(c.take('a')).toBe(true);
    c.release('a');
    c.release('a');
    c.release('a'); // one too many changes nothing
    expect(c.count('a')).toBe(0);
    expect(c.size).toBe(1);
  });

  it('treats IPv4-mapped IPv6 addresses as the IPv4 address', () => {
    expect(normalizeAddress('::ffff:192.168.1.20')).toBe('192.168.1.20');
    expect(normalizeAddress('::1')).toBe('::1');
    expect(normalizeAddress(undefined)).toBe('unknown');
  });

  it('believes X-Forwarded-For only from a trusted proxy, and only its last entry', () => {
    const trusted = ['127.0.0.1', '::1'];
    expect(clientAddress('::ffff:127.0.0.1', '192.168.1.20', trusted)).toBe('192.168.1.20');
    // A client cannot pick its address by sending the header itself: the proxy's entry is the last one.
    expect(clientAddress('127.0.0.1', '10.9.9.9, 192.168.1.20', trusted)).toBe('192.168.1.20');
    expect(clientAddress('192.168.1.30', '10.9.9.9', trusted)).toBe('192.168.1.30');
    expect(clientAddress('127.0.0.1', 'not-an-address', trusted)).toBe('127.0.0.1');
    expect(clientAddress('127.0.0.1', undefined, trusted)).toBe('127.0.0.1');
    expect(clientAddress('127.0.0.1', ['10.0.0.1', '10.0.0.2'], trusted)).toBe('10.0.0.2');
  });
});
