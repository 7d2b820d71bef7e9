import { describe, expect, it } from 'vitest';
import { endpointOf, stripCredentials } from './replication-status';

describe('replication status helpers', () => {
  it('never shows credentials in a reason', () => {
    expect(stripCredentials('connect to http://replicator.a.b:s3cret@hq.example.com/db failed')).toBe(
      'connect to http://hq.example.com/db failed',
    );
    expect(stripCredentials('header Basic cmVwbGljYXRvcjpzM2NyZXQ= refused')).toBe('header Basic *** refused');
  });

  it('reads both forms of replication endpoints', () => {
    const pouch = endpointOf('http://replicator.a.b:s3%40cret@hq.example.com/db/lapak_a_b_ops');
    expect(pouch).toEqual({
      url: 'http://hq.example.com/db/lapak_a_b_ops',
      headers: { accept: 'application/json', authorization: 'Basic ' + Buffer.from('replicator.a.b:s3@cret').toString('base64') },
    });
    const couch = endpointOf({ url: 'https://hq.example.com/db/lapak_a_b_ops', auth: { basic: { username: 'r', password: 'p' } } });
    expect(couch?.headers.authorization).toBe('Basic ' + Buffer.from('r:p').toString('base64'));
    expect(endpointOf(null)).toBeNull();
  });
});
