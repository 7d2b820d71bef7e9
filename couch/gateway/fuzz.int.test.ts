// Throws malformed requests at a gateway in front of a real store server: random methods,
// paths, headers and bodies, lies in Content-Length, upgrades, and connections reset half
// way. Whatever comes in, the process stays up (an unhandled error fails this run), the
// gateway keeps answering, and so does the database server behind it.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../testing/free-port';
import { sendBytes, sendThenReset } from '../testing/raw-socket';
import { servers } from '../testing/servers';
import { DEFAULT_LOGIN_LIMITS } from './login-throttle';
import { startGateway, type Gateway } from './server';

let gateway: Gateway;

beforeAll(async () => {
  gateway = await startGateway({
    host: '127.0.0.1',
    port: await freePort(),
    tls: null,
    loginLimits: DEFAULT_LOGIN_LIMITS,
    upstream: servers().store.couchUrl,
    staticDir: servers().dataDir,
    label: 'fuzz',
    site: { kind: 'store', tenant: 'fuzz', store: 'one' },
    // Nothing listens there: upgrades to /relay meet a refused connection.
    relay: { host: '127.0.0.1', port: await freePort() },
  });
});

afterAll(() => gateway.close());

async function answers(): Promise<void> {
  expect((await fetch(`${gateway.url}/db/`)).status).toBe(200);
  expect((await fetch(`${servers().store.couchUrl}/`)).status).toBe(200);
}

const method = fc.oneof(
  fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'COPY', 'OPTIONS', 'PATCH', 'TRACE', 'CONNECT', 'PROPFIND', 'get', ''),
  fc.string({ minLength: 1, maxLength: 10 }),
);
const pathPart = fc.oneof(
  fc.constantFrom(
    '..',
    '.',
    '%2e%2e',
    '%2F',
    '%5c',
    '\\',
    '%00',
    '%',
    '_design',
    '_local',
    '_index',
    '_find',
    '_users',
    '_replicator',
    'lapak_fuzz_one_ops',
    'lapak_fuzz_one_directory',
    '',
  ),
  fc.string({ maxLength: 16 }),
  // eslint-disable-next-line no-control-regex -- control bytes are exactly what this refuses (or generates)
  fc.stringMatching(/^[\x00-\x7f]{0,16}$/),
);
const path = fc.oneof(
  fc.array(pathPart, { maxLength: 7 }).map((parts) => `/db/${parts.join('/')}`),
  fc.array(pathPart, { maxLength: 4 }).map((parts) => `/${parts.join('/')}`),
  fc.string({ maxLength: 60 }),
  fc.constantFrom('*', 'http://example.invalid/db/', '//db', '/db?%zz', '/db/_session?name=%00'),
);
const header = fc.oneof(
  fc.tuple(
    fc.constantFrom(
      'Content-Length',
      'Transfer-Encoding',
      'Authorization',
      'Cookie',
      'Content-Type',
      'Upgrade',
      'Connection',
      'Origin',
      'X-Auth-CouchDB-UserName',
      'X-Auth-CouchDB-Roles',
      'Host',
      'Expect',
    ),
    fc.oneof(
      fc.constantFrom(
        '-1',
        '99999999999',
        'chunked',
        'gzip, chunked',
        'Basic !!!',
        'Basic ' + Buffer.from('admin:admin').toString('base64'),
        'AuthSession=x',
        'websocket',
        'Upgrade',
        '_admin',
        '100-continue',
        '',
      ),
      fc.string({ maxLength: 30 }),
    ),
  ),
  fc.tuple(fc.string({ maxLength: 12 }), fc.string({ maxLength: 30 })),
);
const body = fc.oneof(
  fc.constant(''),
  fc.json({ maxDepth: 3 }),
  fc.string({ maxLength: 300 }),
  fc.constant('{"docs":[{"_id":"_local/x"}]}'),
);
const request = fc.record({
  method,
  path,
  headers: fc.array(header, { maxLength: 6 }),
  body,
  reset: fc.boolean(),
  lieAboutLength: fc.boolean(),
});

function bytesOf(r: typeof request extends fc.Arbitrary<infer T> ? T : never): string {
  const lines = [`${r.method} ${r.path} HTTP/1.1`, 'Host: 127.0.0.1'];
  for (const [k, v] of r.headers) lines.push(`${k}: ${v}`);
  if (r.body) lines.push(`Content-Length: ${r.lieAboutLength ? r.body.length * 3 + 1 : Buffer.byteLength(r.body)}`);
  return `${lines.join('\r\n')}\r\n\r\n${r.body}`;
}

describe('the gateway under malformed traffic', () => {
  it('keeps answering whatever methods, paths, headers and bodies it is sent', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const bytes = bytesOf(r);
        if (r.reset) await sendThenReset(gateway.url, bytes);
        else {
          const status = await sendBytes(gateway.url, bytes, 2_000);
          // Never the database server's own admin answer to a forged header, never a crash page.
          expect(status === 0 || (status >= 200 && status < 600)).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
    await answers();
  }, 180_000);

  it('keeps answering half-sent requests, garbage and upgrades that are reset', async () => {
    const base = gateway.url;
    const junk = [
      'GARBAGE\r\n\r\n',
      '\x00\x01\x02\x03',
      'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      'POST /db/_session HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nfffffff\r\n{"name":',
      'GET /relay/fuzz/one HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n',
      'GET /db/_session HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n',
      'GET /db/ HTTP/1.1\r\nHost: x\r\n' + 'X-Long: ' + 'a'.repeat(100_000) + '\r\n\r\n',
    ];
    for (let round = 0; round < 5; round++)
      for (const bytes of junk) {
        await sendThenReset(base, bytes);
        await sendBytes(base, bytes, 1_000);
      }
    await answers();
  }, 120_000);
});
