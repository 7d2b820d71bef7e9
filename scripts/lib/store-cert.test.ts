import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { connect } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StoreCertError, ensureStoreCert, expandIPv6, parseHost, parseHosts, storeCertPaths } from './store-cert';

const root = mkdtempSync(join(tmpdir(), 'lapak-store-cert-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function openssl(...args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8' });
}

const base = { tenant: 'yogya', store: 'bsd', hosts: ['192.168.1.100', 'lapak-bsd.local'] };

describe('parseHost', () => {
  it('accepts IPv4, IPv6 and DNS names', () => {
    expect(parseHost('192.168.1.100')).toEqual({ kind: 'ip', value: '192.168.1.100', version: 4 });
    expect(parseHost('[FE80::1]')).toEqual({ kind: 'ip', value: 'fe80:0:0:0:0:0:0:1', version: 6 });
    expect(parseHost('Lapak-BSD.local.')).toEqual({ kind: 'dns', value: 'lapak-bsd.local' });
  });

  it('rejects bad input with a message saying what to fix', () => {
    expect(() => parseHost('192.168.1.300')).toThrow(/not a valid IPv4 address/);
    expect(() => parseHost('lapak_bsd.local')).toThrow(/not a valid DNS name/);
    expect(() => parseHost('*.lapak.local')).toThrow(/wildcard/);
    expect(() => parseHost('fe80::1%eth0')).toThrow(/zone id/);
    expect(() => parseHost('0.0.0.0')).toThrow(StoreCertError);
    expect(() => parseHosts([])).toThrow(/At least one --host/);
  });

  it('normalises IPv6 spellings', () => {
    expect(expandIPv6('::')).toBe('0:0:0:0:0:0:0:0');
    expect(expandIPv6('2001:DB8::0001')).toBe('2001:db8:0:0:0:0:0:1');
    expect(expandIPv6('::ffff:192.168.1.1')).toBe('0:0:0:0:0:ffff:c0a8:101');
  });
});

describe('ensureStoreCert', () => {
  const out = join(root, 'tls');
  const paths = storeCertPaths(out);

  it('creates a CA and a server certificate that openssl verifies, with every host in the SAN', async () => {
    const r = await ensureStoreCert({ ...base, outDir: out });
    expect(r.caCreated).toBe(true);
    expect(r.serverIssued).toBe(true);

    expect(openssl('verify', '-CAfile', paths.caCrt, paths.serverCrt).trim()).toBe(`${paths.serverCrt}: OK`);
    expect(openssl('verify', '-purpose', 'sslserver', '-CAfile', paths.caCrt, paths.serverCrt)).toContain('OK');

    const server = openssl('x509', '-in', paths.serverCrt, '-noout', '-text');
    const san = /X509v3 Subject Alternative Name:.*\n\s*(.*)/.exec(server)?.[1] ?? '';
    expect(san).toContain('IP Address:192.168.1.100');
    expect(san).toContain('DNS:lapak-bsd.local');
    expect(server).toContain('TLS Web Server Authentication');
    expect(server).toMatch(/CA:FALSE/);
    const notBefore = new Date(openssl('x509', '-in', paths.serverCrt, '-noout', '-startdate').trim().replace('notBefore=', ''));
    const notAfter = new Date(openssl('x509', '-in', paths.serverCrt, '-noout', '-enddate').trim().replace('notAfter=', ''));
    expect((notAfter.getTime() - notBefore.getTime()) / 86_400_000).toBeLessThanOrEqual(825);

    const ca = openssl('x509', '-in', paths.caCrt, '-noout', '-text');
    expect(ca).toMatch(/CN ?= ?Lapak yogya\/bsd Store CA/);
    expect(ca).toMatch(/CA:TRUE/);
    expect(ca).toContain('Certificate Sign, CRL Sign');
    expect(ca).toMatch(/X509v3 Name Constraints: critical/);
    expect(ca).toContain('IP:192.168.1.100/255.255.255.255');
    expect(ca).toContain('DNS:lapak-bsd.local');

    // ca.cer is ca.crt in DER.
    const der = openssl('x509', '-inform', 'DER', '-in', paths.caCer, '-noout', '-fingerprint', '-sha256');
    const pem = openssl('x509', '-in', paths.caCrt, '-noout', '-fingerprint', '-sha256');
    expect(der).toBe(pem);

    expect(statSync(paths.caKey).mode & 0o777).toBe(0o600);
    expect(statSync(paths.serverKey).mode & 0o777).toBe(0o600);
  });

  it('keeps everything on a second identical run', async () => {
    const caBefore = readFileSync(paths.caCrt);
    const keyBefore = readFileSync(paths.caKey);
    const serverBefore = readFileSync(paths.serverCrt);
    const r = await ensureStoreCert({ ...base, outDir: out });
    expect(r.caCreated).toBe(false);
    expect(r.serverIssued).toBe(false);
    expect(r.written).toEqual([]);
    expect(readFileSync(paths.caCrt).equals(caBefore)).toBe(true);
    expect(readFileSync(paths.caKey).equals(keyBefore)).toBe(true);
    expect(readFileSync(paths.serverCrt).equals(serverBefore)).toBe(true);
  });

  it('serves TLS that a client trusting only ca.crt accepts for every host name', async () => {
    const server = createServer({ key: readFileSync(paths.serverKey), cert: readFileSync(paths.serverCrt) }, (_req, res) => res.end('ok'));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as AddressInfo;
    const handshake = (servername: string) =>
      new Promise<boolean>((done, fail) => {
        const socket = connect({ host: '127.0.0.1', port, servername, ca: readFileSync(paths.caCrt) }, () => {
          done(socket.authorized);
          socket.end();
        });
        socket.on('error', fail);
      });
    try {
      expect(await handshake('lapak-bsd.local')).toBe(true);
      await expect(handshake('other.local')).rejects.toThrow(/altnames/);
    } finally {
      server.close();
    }
  });

  it('re-issues only the server certificate when it expires soon, keeping the CA', async () => {
    const dir = join(root, 'short');
    const p = storeCertPaths(dir);
    await ensureStoreCert({ ...base, outDir: dir, serverDays: 10 });
    const ca = readFileSync(p.caCrt);
    const first = readFileSync(p.serverCrt);
    chmodSync(p.serverKey, 0o640); // as done for the gateway's group; a renewal must keep it
    const r = await ensureStoreCert({ ...base, outDir: dir });
    expect(r.caCreated).toBe(false);
    expect(r.serverIssued).toBe(true);
    expect(r.serverReason).toMatch(/expires/);
    expect(statSync(p.serverKey).mode & 0o777).toBe(0o640);
    expect(readFileSync(p.caCrt).equals(ca)).toBe(true);
    expect(readFileSync(p.serverCrt).equals(first)).toBe(false);
    expect(openssl('verify', '-CAfile', p.caCrt, p.serverCrt)).toContain('OK');
  });

  it('refuses hosts outside the CA name constraints and leaves the files unchanged', async () => {
    const serverBefore = readFileSync(paths.serverCrt);
    await expect(ensureStoreCert({ ...base, hosts: ['192.168.1.100', '10.0.0.5'], outDir: out })).rejects.toThrow(
      /outside what this store's CA may sign/,
    );
    expect(readFileSync(paths.serverCrt).equals(serverBefore)).toBe(true);
  });

  it('re-issues the server certificate when hosts change within the constraints, keeping the CA', async () => {
    const caBefore = readFileSync(paths.caCrt);
    const r = await ensureStoreCert({ ...base, hosts: ['lapak-bsd.local'], outDir: out });
    expect(r.caCreated).toBe(false);
    expect(r.serverIssued).toBe(true);
    expect(r.serverReason).toMatch(/hosts changed/);
    expect(readFileSync(paths.caCrt).equals(caBefore)).toBe(true);
    const server = openssl('x509', '-in', paths.serverCrt, '-noout', '-text');
    expect(server).not.toContain('IP Address:192.168.1.100');
    expect(openssl('verify', '-CAfile', paths.caCrt, paths.serverCrt)).toContain('OK');
  });

  it('refuses a CA that belongs to another store', async () => {
    await expect(ensureStoreCert({ ...base, store: 'other', outDir: out })).rejects.toThrow(/belongs to another store/);
  });

  it('reports an unusable --out directory', async () => {
    const file = join(root, 'not-a-dir');
    writeFileSync(file, 'x');
    await expect(ensureStoreCert({ ...base, outDir: join(file, 'tls') })).rejects.toThrow(/Cannot create --out directory/);
  });
});
