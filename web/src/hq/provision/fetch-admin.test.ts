import { describe, expect, it } from 'vitest';
import { basicAuth, unreachableHint } from './fetch-admin';

describe('fetch admin', () => {
  it('says why a browser cannot reach the other server', () => {
    expect(unreachableHint('http://store.local:8080/db', 'https://hq.example')).toMatch(/mixed content/);
    const selfSigned = unreachableHint('https://store.local:8443/db', 'https://hq.example');
    expect(selfSigned).toMatch(/must be a Lapak server/);
    expect(selfSigned).toMatch(/open https:\/\/store.local:8443 once in this browser and trust its certificate/);
    expect(unreachableHint('http://store.local:8080/db', 'http://store.local:8080')).not.toMatch(/Lapak server/);
  });

  it('sends any password as UTF-8 Basic credentials', () => {
    expect(basicAuth({ username: 'admin', password: 'rahasia-é' })).toBe(
      'Basic ' + Buffer.from('admin:rahasia-é', 'utf8').toString('base64'),
    );
  });
});
