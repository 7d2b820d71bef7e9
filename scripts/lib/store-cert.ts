// Per-store certificate authority and gateway server certificate, made with the `openssl` command line.
//
// Why: a PWA needs a secure context for its service worker, and `http://192.168.1.x` is not one. Each store server
// therefore serves HTTPS with a certificate from its own small CA, and every tablet trusts that CA once
// (docs/deploy-store.md explains the choice and the per-platform trust steps).
//
// Files in the output directory:
//   ca.key      CA private key (0600). Never overwritten. Keep it secret and back it up: losing it means
//               re-trusting a new CA on every tablet of the store.
//   ca.crt      CA certificate, PEM, 10 years. Never overwritten.
//   ca.cer      the same CA certificate in DER, the format Android's "Install a certificate" expects.
//   server.key  gateway TLS private key (0600, or the mode/owner of the key it replaces).
//   server.crt  gateway TLS certificate, signed by the CA, at most 825 days (Apple's limit), SAN = every host.
//
// Re-running is safe: the CA is kept, and the server certificate is re-issued only when the hosts changed, it
// expires within 30 days, it is not signed by this CA, or its key is missing.
import { execFile } from 'node:child_process';
import { X509Certificate, createPrivateKey, randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { access, chmod, chown, mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { isIPv4, isIPv6 } from 'node:net';
import { dirname, join, resolve } from 'node:path';

/** Apple platforms reject TLS server certificates valid for longer than this (and so do we). */
export const MAX_SERVER_DAYS = 825;
export const DEFAULT_CA_DAYS = 3650;
export const DEFAULT_RENEW_WITHIN_DAYS = 30;
const DAY_MS = 86_400_000;

/** An error whose message tells the operator what to fix. The CLI prints it and exits with status 1. */
export class StoreCertError extends Error {
  override name = 'StoreCertError';
}

export type HostEntry = { kind: 'ip'; value: string; version: 4 | 6 } | { kind: 'dns'; value: string };

const ID_PATTERN = /^[a-z0-9](?:[a-z0-9_-]{0,62})$/i;

/** Store and tenant ids end up in certificate names; keep them to a safe, boring charset. */
export function validateId(label: 'store' | 'tenant', value: string | undefined): string {
  if (value === undefined || value.trim() === '') {
    throw new StoreCertError(`--${label} is required (e.g. --${label} ${label === 'store' ? 'bsd' : 'yogya'}).`);
  }
  const v = value.trim();
  if (!ID_PATTERN.test(v)) {
    throw new StoreCertError(`--${label} "${value}" is not valid: use 1-63 letters, digits, "-" or "_", starting with a letter or digit.`);
  }
  return v;
}

const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Parses one --host value as an IP address (v4 or v6) or a DNS name. Throws StoreCertError with the fix. */
export function parseHost(raw: string): HostEntry {
  const input = raw.trim();
  if (input === '')
    throw new StoreCertError('--host must not be empty: give an IP address (192.168.1.100) or a DNS name (lapak-bsd.local).');
  const unbracketed = input.startsWith('[') && input.endsWith(']') ? input.slice(1, -1) : input;
  if (isIPv4(unbracketed)) {
    if (unbracketed === '0.0.0.0' || unbracketed === '255.255.255.255') {
      throw new StoreCertError(`--host ${input} is not a usable server address: give the store server's own LAN IP (e.g. 192.168.1.100).`);
    }
    return { kind: 'ip', value: unbracketed, version: 4 };
  }
  if (unbracketed.includes(':')) {
    if (unbracketed.includes('%')) {
      throw new StoreCertError(`--host ${input}: IPv6 zone ids ("%eth0") cannot go into a certificate; give the address without it.`);
    }
    if (!isIPv6(unbracketed)) throw new StoreCertError(`--host ${input} is not a valid IPv6 address (nor a DNS name: those have no ":").`);
    const expanded = expandIPv6(unbracketed);
    if (expanded === '0:0:0:0:0:0:0:0')
      throw new StoreCertError(`--host ${input} is the unspecified address; give the server's own address.`);
    return { kind: 'ip', value: expanded, version: 6 };
  }
  if (/^[0-9.]+$/.test(input)) {
    throw new StoreCertError(`--host ${input} is not a valid IPv4 address (four numbers 0-255 separated by dots, e.g. 192.168.1.100).`);
  }
  const name = input.toLowerCase().replace(/\.$/, '');
  if (name.includes('*')) {
    throw new StoreCertError(`--host ${input}: wildcard names are not allowed; list every name the tablets use instead.`);
  }
  if (name.length > 253 || !name.split('.').every((label) => DNS_LABEL.test(label))) {
    throw new StoreCertError(
      `--host ${input} is not a valid DNS name: use letters, digits and "-" in dot-separated labels of at most 63 characters (e.g. lapak-bsd.local).`,
    );
  }
  if (/^[0-9]+$/.test(name.split('.').at(-1) ?? '')) {
    throw new StoreCertError(`--host ${input} is not a valid DNS name: the last label must not be all digits.`);
  }
  return { kind: 'dns', value: name };
}

/** Parses and de-duplicates every --host; at least one is required. */
export function parseHosts(raws: readonly string[]): HostEntry[] {
  if (raws.length === 0) {
    throw new StoreCertError(
      'At least one --host is required: the store server LAN IP the tablets use (e.g. --host 192.168.1.100), plus any DNS name (e.g. --host lapak-bsd.local).',
    );
  }
  const seen = new Set<string>();
  const hosts: HostEntry[] = [];
  for (const raw of raws) {
    const h = parseHost(raw);
    const key = hostKey(h);
    if (!seen.has(key)) {
      seen.add(key);
      hosts.push(h);
    }
  }
  return hosts;
}

/** Full, lowercase, no-leading-zero form ("fe80:0:0:0:0:0:0:1"), the same text for any spelling of an address. */
export function expandIPv6(address: string): string {
  let text = address.toLowerCase();
  // An embedded IPv4 tail (::ffff:192.168.1.1) becomes two hex groups.
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = text.slice(0, v4.index) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? [] : Array<string>(8 - headGroups.length - tailGroups.length).fill('0');
  return [...headGroups, ...fill, ...tailGroups].map((g) => parseInt(g, 16).toString(16)).join(':');
}

function hostKey(h: HostEntry): string {
  return h.kind === 'ip' ? `IP:${h.version === 6 ? expandIPv6(h.value) : h.value}` : `DNS:${h.value}`;
}

/** The SAN entries of a certificate, as hostKey()-style strings (e.g. "IP:192.168.1.100", "DNS:lapak-bsd.local"). */
export function sanKeys(cert: X509Certificate): string[] {
  const san = cert.subjectAltName ?? '';
  const keys: string[] = [];
  for (const part of san.split(/,\s*/)) {
    const m = /^(DNS|IP Address):(.*)$/.exec(part.trim());
    if (!m) continue;
    const value = (m[2] ?? '').replace(/^"|"$/g, '');
    if (m[1] === 'DNS') keys.push(`DNS:${value.toLowerCase()}`);
    else keys.push(`IP:${value.includes(':') ? expandIPv6(value) : value}`);
  }
  return keys;
}

export function caCommonName(tenant: string, store: string): string {
  return `Lapak ${tenant}/${store} Store CA`;
}

export interface StoreCertPaths {
  caKey: string;
  caCrt: string;
  caCer: string;
  serverKey: string;
  serverCrt: string;
}

export function storeCertPaths(outDir: string): StoreCertPaths {
  const dir = resolve(outDir);
  return {
    caKey: join(dir, 'ca.key'),
    caCrt: join(dir, 'ca.crt'),
    caCer: join(dir, 'ca.cer'),
    serverKey: join(dir, 'server.key'),
    serverCrt: join(dir, 'server.crt'),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// openssl

interface RunResult {
  stdout: string;
  stderr: string;
}

function runOpenssl(bin: string, args: readonly string[], cwd?: string): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    execFile(bin, args, { cwd, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) {
        const e = error as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
        e.stdout = stdout;
        e.stderr = stderr;
        reject(e);
      } else {
        resolvePromise({ stdout, stderr });
      }
    });
  });
}

function opensslFailure(what: string, error: unknown): StoreCertError {
  const e = error as { stderr?: string; message?: string };
  const detail = (e.stderr ?? '').trim() || e.message || String(error);
  return new StoreCertError(`openssl failed to ${what}:\n${detail}`);
}

export const OPENSSL_INSTALL_HINT =
  'Install it with: sudo apt-get install -y openssl   (Debian / Raspberry Pi OS / Ubuntu; on macOS: brew install openssl). Or pass --openssl /path/to/openssl.';

/** Checks that the openssl command line exists and returns its version line ("OpenSSL 3.0.x ..."). */
export async function checkOpenssl(bin = 'openssl'): Promise<string> {
  try {
    const { stdout } = await runOpenssl(bin, ['version']);
    return stdout.trim();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new StoreCertError(`The openssl command was not found ("${bin}"). ${OPENSSL_INSTALL_HINT}`);
    throw opensslFailure('report its version', error);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// main entry point

export interface EnsureStoreCertOptions {
  store: string;
  tenant: string;
  /** Raw --host values (IP addresses and DNS names). */
  hosts: readonly string[];
  outDir: string;
  /** Path of the openssl binary (default "openssl" from PATH). */
  openssl?: string;
  /** Validity of a newly issued server certificate; capped at 825 days and at the CA's own expiry. */
  serverDays?: number;
  /** Validity of a newly created CA (default 10 years). */
  caDays?: number;
  /** Re-issue the server certificate when it expires within this many days (default 30). */
  renewWithinDays?: number;
  /** Add nameConstraints to a new CA, limiting it to the given hosts (default true). Ignored for an existing CA. */
  nameConstraints?: boolean;
  /** Clock used for expiry decisions (tests); the certificates themselves are dated by openssl from the system clock. */
  now?: Date;
}

export interface StoreCertFile {
  path: string;
  description: string;
}

export interface EnsureStoreCertResult {
  outDir: string;
  paths: StoreCertPaths;
  opensslVersion: string;
  hosts: HostEntry[];
  caCreated: boolean;
  /** 'applied' | 'not-supported' (openssl refused, CA made without) | 'disabled' | 'existing-ca' */
  nameConstraints: 'applied' | 'not-supported' | 'disabled' | 'existing-ca';
  serverIssued: boolean;
  /** Why the server certificate was (re-)issued or kept. */
  serverReason: string;
  /** Files created or replaced by this run. */
  written: StoreCertFile[];
  /** Files that already existed and were left as they were. */
  kept: StoreCertFile[];
  caFingerprint256: string;
  caNotAfter: Date;
  serverNotAfter: Date;
  warnings: string[];
}

const DESCRIPTIONS: Record<keyof StoreCertPaths, string> = {
  caKey: 'CA private key (secret; back it up; never copy it to tablets)',
  caCrt: 'CA certificate, PEM (iPadOS, ChromeOS, Windows, Linux)',
  caCer: 'CA certificate, DER (Android: Install a certificate -> CA certificate)',
  serverKey: 'gateway TLS key (LAPAK_GATEWAY_TLS_KEY)',
  serverCrt: 'gateway TLS certificate (LAPAK_GATEWAY_TLS_CERT)',
};

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** mkdir -p, one level at a time: Node's recursive mkdir can spin forever under pseudo file systems such as /proc. */
async function mkdirParents(dir: string): Promise<void> {
  const missing: string[] = [];
  let current = dir;
  while (!(await exists(current))) {
    missing.unshift(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const d of missing) {
    try {
      await mkdir(d, { mode: 0o755 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

async function prepareOutDir(outDir: string): Promise<void> {
  try {
    await mkdirParents(outDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new StoreCertError(
      `Cannot create --out directory ${outDir} (${code ?? String(error)}). ` +
        (code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
          ? 'Run with sudo (e.g. sudo npx tsx scripts/make-store-cert.ts ...) or choose a writable directory.'
          : 'Check that every parent of the path is a directory, or choose another --out.'),
    );
  }
  const info = await stat(outDir);
  if (!info.isDirectory()) throw new StoreCertError(`--out ${outDir} exists and is not a directory; choose a directory.`);
  try {
    await access(outDir, fsConstants.W_OK);
  } catch {
    throw new StoreCertError(`--out directory ${outDir} is not writable by this user. Run with sudo or choose a writable directory.`);
  }
}

function serialArg(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x10; // positive and non-zero, 16 bytes long
  return `0x${bytes.toString('hex')}`;
}

function nameConstraintsValue(hosts: readonly HostEntry[]): string {
  const parts: string[] = [];
  const ips = hosts.filter((h) => h.kind === 'ip');
  const names = hosts.filter((h) => h.kind === 'dns');
  for (const h of ips) {
    parts.push(
      h.version === 4 ? `permitted;IP:${h.value}/255.255.255.255` : `permitted;IP:${h.value}/ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff`,
    );
  }
  // Without an IP constraint, IP SANs would be unconstrained: forbid them all.
  if (ips.length === 0) parts.push('excluded;IP:0.0.0.0/0.0.0.0', 'excluded;IP:0:0:0:0:0:0:0:0/0:0:0:0:0:0:0:0');
  for (const h of names) parts.push(`permitted;DNS:${h.value}`);
  // Likewise for DNS names: only the reserved ".invalid" namespace (RFC 6761), i.e. no real name at all.
  if (names.length === 0) parts.push('permitted;DNS:invalid');
  return `critical, ${parts.join(', ')}`;
}

function caConfig(tenant: string, store: string, hosts: readonly HostEntry[], withConstraints: boolean): string {
  return [
    '[ req ]',
    'distinguished_name = dn',
    'prompt = no',
    'utf8 = yes',
    'string_mask = utf8only',
    'x509_extensions = v3_ca',
    '',
    '[ dn ]',
    'O = Lapak',
    `OU = ${tenant}`,
    `CN = ${caCommonName(tenant, store)}`,
    '',
    '[ v3_ca ]',
    'basicConstraints = critical, CA:true, pathlen:0',
    'keyUsage = critical, keyCertSign, cRLSign',
    'subjectKeyIdentifier = hash',
    ...(withConstraints ? [`nameConstraints = ${nameConstraintsValue(hosts)}`] : []),
    '',
  ].join('\n');
}

function serverConfig(tenant: string, store: string, hosts: readonly HostEntry[]): string {
  let ip = 0;
  let dns = 0;
  const alt = hosts.map((h) => (h.kind === 'ip' ? `IP.${++ip} = ${h.value}` : `DNS.${++dns} = ${h.value}`));
  return [
    '[ req ]',
    'distinguished_name = dn',
    'prompt = no',
    'utf8 = yes',
    'string_mask = utf8only',
    '',
    '[ dn ]',
    'O = Lapak',
    `OU = ${tenant}`,
    // Deliberately not a host name: browsers ignore the CN, and OpenSSL would check a host-like CN against the
    // CA's DNS name constraints.
    `CN = Lapak ${tenant}/${store} store gateway`,
    '',
    '[ v3_server ]',
    'basicConstraints = critical, CA:false',
    'keyUsage = critical, digitalSignature',
    'extendedKeyUsage = serverAuth',
    'subjectKeyIdentifier = hash',
    'authorityKeyIdentifier = keyid',
    'subjectAltName = @alt',
    '',
    '[ alt ]',
    ...alt,
    '',
  ].join('\n');
}

async function genKey(bin: string, out: string): Promise<void> {
  try {
    await runOpenssl(bin, [
      'genpkey',
      '-algorithm',
      'EC',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-pkeyopt',
      'ec_param_enc:named_curve',
      '-out',
      out,
    ]);
  } catch (error) {
    throw opensslFailure('generate an EC P-256 key', error);
  }
  await chmod(out, 0o600);
}

async function readCert(path: string): Promise<X509Certificate> {
  return new X509Certificate(new Uint8Array(await readFile(path)));
}

/** Text of the CA's "X509v3 Name Constraints" block, for error messages ('' if none). */
async function describeNameConstraints(bin: string, caCrt: string): Promise<string> {
  try {
    const { stdout } = await runOpenssl(bin, ['x509', '-in', caCrt, '-noout', '-text']);
    const m = /X509v3 Name Constraints:[^\n]*\n((?:\s{16,}.*\n?)+)/.exec(stdout);
    return m?.[1] ? m[1].replace(/\s+/g, ' ').trim() : '';
  } catch {
    return '';
  }
}

/** Replaces `target` with `tmp`, keeping the mode and owner of the file being replaced (e.g. a server.key given to group lapak). */
async function replaceKeepingOwner(tmp: string, target: string, defaultMode: number, warnings: string[]): Promise<void> {
  let mode = defaultMode;
  let owner: { uid: number; gid: number } | undefined;
  try {
    const old = await stat(target);
    mode = old.mode & 0o777;
    owner = { uid: old.uid, gid: old.gid };
  } catch {
    // new file
  }
  await chmod(tmp, mode);
  if (owner) {
    try {
      const me = await stat(tmp);
      if (me.uid !== owner.uid || me.gid !== owner.gid) await chown(tmp, owner.uid, owner.gid);
    } catch {
      warnings.push(
        `Could not keep the owner of ${target} (uid ${owner.uid}, gid ${owner.gid}); fix it with chown before restarting the gateway.`,
      );
    }
  }
  await rename(tmp, target);
}

/**
 * Creates (idempotently) the store CA and the gateway server certificate in `outDir`.
 * Never overwrites an existing CA. Throws StoreCertError for anything the operator has to fix.
 */
export async function ensureStoreCert(options: EnsureStoreCertOptions): Promise<EnsureStoreCertResult> {
  const tenant = validateId('tenant', options.tenant);
  const store = validateId('store', options.store);
  const hosts = parseHosts(options.hosts);
  if (!options.outDir || options.outDir.trim() === '') throw new StoreCertError('--out is required (e.g. --out /etc/lapak/tls).');
  const bin = options.openssl ?? 'openssl';
  const now = options.now ?? new Date();
  const renewWithinDays = options.renewWithinDays ?? DEFAULT_RENEW_WITHIN_DAYS;
  const caDays = options.caDays ?? DEFAULT_CA_DAYS;
  const requestedServerDays = options.serverDays ?? MAX_SERVER_DAYS;
  if (!Number.isInteger(requestedServerDays) || requestedServerDays < 1 || requestedServerDays > MAX_SERVER_DAYS) {
    throw new StoreCertError(`Server certificate validity must be a whole number of days from 1 to ${MAX_SERVER_DAYS} (Apple's limit).`);
  }
  if (!Number.isInteger(caDays) || caDays < 31) throw new StoreCertError('CA validity must be a whole number of days, at least 31.');
  if (new Date().getUTCFullYear() < 2024) {
    throw new StoreCertError(
      `The system clock says ${new Date().toISOString()}, which looks wrong; certificates would be dated from it. ` +
        'Set the time (connect to the internet for NTP, or: sudo date -s "YYYY-MM-DD HH:MM") and run again.',
    );
  }

  const opensslVersion = await checkOpenssl(bin);
  const outDir = resolve(options.outDir);
  await prepareOutDir(outDir);
  const paths = storeCertPaths(outDir);
  const warnings: string[] = [];
  const written: StoreCertFile[] = [];
  const kept: StoreCertFile[] = [];
  const note = (list: StoreCertFile[], key: keyof StoreCertPaths) => list.push({ path: paths[key], description: DESCRIPTIONS[key] });

  const work = await mkdtemp(join(outDir, '.make-store-cert-'));
  try {
    // ---- CA ---------------------------------------------------------------------------------------------------
    const haveCaKey = await exists(paths.caKey);
    const haveCaCrt = await exists(paths.caCrt);
    let caCreated = false;
    let nameConstraints: EnsureStoreCertResult['nameConstraints'] = 'existing-ca';
    if (haveCaKey !== haveCaCrt) {
      throw new StoreCertError(
        `Found ${haveCaKey ? paths.caKey : paths.caCrt} but not ${haveCaKey ? paths.caCrt : paths.caKey}. ` +
          'The CA is never overwritten automatically: restore the missing file from your backup, ' +
          'or move the remaining ca.* files away to create a new CA (every tablet must then trust the new ca.cer).',
      );
    }
    if (!haveCaKey) {
      const tmpKey = join(work, 'ca.key');
      const tmpCrt = join(work, 'ca.crt');
      await genKey(bin, tmpKey);
      const wantConstraints = options.nameConstraints ?? true;
      const makeCa = async (withConstraints: boolean) => {
        const cnf = join(work, withConstraints ? 'ca-nc.cnf' : 'ca.cnf');
        await writeFile(cnf, caConfig(tenant, store, hosts, withConstraints));
        await runOpenssl(bin, [
          'req',
          '-new',
          '-x509',
          '-config',
          cnf,
          '-extensions',
          'v3_ca',
          '-key',
          tmpKey,
          '-sha256',
          '-days',
          String(caDays),
          '-set_serial',
          serialArg(),
          '-out',
          tmpCrt,
        ]);
      };
      if (wantConstraints) {
        try {
          await makeCa(true);
          nameConstraints = 'applied';
        } catch (error) {
          const first = ((error as { stderr?: string }).stderr ?? '').trim().split('\n')[0] ?? '';
          try {
            await makeCa(false);
          } catch (error2) {
            throw opensslFailure('create the CA certificate', error2);
          }
          nameConstraints = 'not-supported';
          warnings.push(`This openssl refused the nameConstraints extension (${first}); the CA was created without it.`);
        }
      } else {
        try {
          await makeCa(false);
        } catch (error) {
          throw opensslFailure('create the CA certificate', error);
        }
        nameConstraints = 'disabled';
      }
      // Key first: a crash between the two renames leaves a key without a certificate, which the next run reports
      // rather than silently replacing.
      await rename(tmpKey, paths.caKey);
      await rename(tmpCrt, paths.caCrt);
      await chmod(paths.caCrt, 0o644);
      caCreated = true;
      note(written, 'caKey');
      note(written, 'caCrt');
    } else {
      note(kept, 'caKey');
      note(kept, 'caCrt');
    }

    let ca: X509Certificate;
    try {
      ca = await readCert(paths.caCrt);
    } catch (error) {
      throw new StoreCertError(
        `${paths.caCrt} is not a readable PEM certificate (${(error as Error).message}). Restore it from your backup.`,
      );
    }
    if (!ca.ca) throw new StoreCertError(`${paths.caCrt} is not a CA certificate. Move it away or choose another --out.`);
    try {
      if (!ca.checkPrivateKey(createPrivateKey(await readFile(paths.caKey)))) {
        throw new StoreCertError(`${paths.caKey} does not belong to ${paths.caCrt}. Restore the matching pair from your backup.`);
      }
    } catch (error) {
      if (error instanceof StoreCertError) throw error;
      throw new StoreCertError(
        `Cannot read the CA key ${paths.caKey} (${(error as Error).message}). Run with sudo, or restore it from your backup.`,
      );
    }
    const expectedCn = caCommonName(tenant, store);
    if (!ca.subject.split('\n').includes(`CN=${expectedCn}`)) {
      const cn = ca.subject.split('\n').find((l) => l.startsWith('CN=')) ?? ca.subject;
      throw new StoreCertError(
        `${paths.caCrt} belongs to another store (${cn}), not "${expectedCn}". Check --tenant/--store, or use a separate --out per store.`,
      );
    }
    const caNotAfter = new Date(ca.validTo);
    const caDaysLeft = Math.floor((caNotAfter.getTime() - now.getTime()) / DAY_MS);
    if (caDaysLeft <= renewWithinDays) {
      throw new StoreCertError(
        `The store CA expires on ${caNotAfter.toISOString()}. It is never replaced automatically: move ${outDir}/ca.* away and run again ` +
          'to create a new CA, then install the new ca.cer on every tablet.',
      );
    }

    // ca.cer (DER) is derived from ca.crt; (re)write it when missing or different.
    const der = ca.raw;
    let cerCurrent = false;
    try {
      cerCurrent = Buffer.compare(new Uint8Array(await readFile(paths.caCer)), new Uint8Array(der)) === 0;
    } catch {
      cerCurrent = false;
    }
    if (!cerCurrent) {
      const tmpCer = join(work, 'ca.cer');
      try {
        await runOpenssl(bin, ['x509', '-in', paths.caCrt, '-outform', 'DER', '-out', tmpCer]);
      } catch (error) {
        throw opensslFailure('convert ca.crt to DER', error);
      }
      await chmod(tmpCer, 0o644);
      await rename(tmpCer, paths.caCer);
      note(written, 'caCer');
    } else {
      note(kept, 'caCer');
    }

    // ---- server certificate -----------------------------------------------------------------------------------
    const wanted = hosts.map(hostKey);
    let reason = '';
    let current: X509Certificate | undefined;
    if (!(await exists(paths.serverCrt))) reason = 'no server certificate yet';
    else {
      try {
        current = await readCert(paths.serverCrt);
      } catch {
        reason = 'existing server.crt is unreadable';
      }
    }
    if (current && !reason) {
      const have = sanKeys(current);
      const added = wanted.filter((k) => !have.includes(k));
      const removed = have.filter((k) => !wanted.includes(k));
      const notAfter = new Date(current.validTo);
      if (!(current.checkIssued(ca) && current.verify(ca.publicKey))) reason = 'server.crt is not signed by this CA';
      else if (added.length > 0 || removed.length > 0) {
        reason = `hosts changed (${[...added.map((k) => `+${k}`), ...removed.map((k) => `-${k}`)].join(', ')})`;
      } else if (notAfter.getTime() - now.getTime() <= renewWithinDays * DAY_MS) {
        reason = `server.crt expires ${notAfter.toISOString()} (within ${renewWithinDays} days)`;
      } else {
        try {
          if (!current.checkPrivateKey(createPrivateKey(await readFile(paths.serverKey)))) reason = 'server.key does not match server.crt';
        } catch {
          reason = 'server.key is missing or unreadable';
        }
      }
    }

    let serverIssued = false;
    let serverNotAfter: Date;
    if (reason) {
      const serverDays = Math.min(requestedServerDays, caDaysLeft - 1);
      if (serverDays < requestedServerDays) {
        warnings.push(`The server certificate is limited to ${serverDays} days because the CA expires on ${caNotAfter.toISOString()}.`);
      }
      const tmpKey = join(work, 'server.key');
      const tmpCsr = join(work, 'server.csr');
      const tmpCrt = join(work, 'server.crt');
      const cnf = join(work, 'server.cnf');
      await writeFile(cnf, serverConfig(tenant, store, hosts));
      await genKey(bin, tmpKey);
      try {
        await runOpenssl(bin, ['req', '-new', '-config', cnf, '-key', tmpKey, '-sha256', '-out', tmpCsr]);
      } catch (error) {
        throw opensslFailure('create the server certificate request', error);
      }
      try {
        await runOpenssl(bin, [
          'x509',
          '-req',
          '-in',
          tmpCsr,
          '-CA',
          paths.caCrt,
          '-CAkey',
          paths.caKey,
          '-set_serial',
          serialArg(),
          '-days',
          String(serverDays),
          '-sha256',
          '-extfile',
          cnf,
          '-extensions',
          'v3_server',
          '-out',
          tmpCrt,
        ]);
      } catch (error) {
        throw opensslFailure('sign the server certificate', error);
      }
      // Check the chain the way a client would, including the CA's name constraints.
      try {
        await runOpenssl(bin, ['verify', '-purpose', 'sslserver', '-CAfile', paths.caCrt, tmpCrt]);
      } catch (error) {
        const text = `${(error as { stdout?: string }).stdout ?? ''}\n${(error as { stderr?: string }).stderr ?? ''}`;
        if (/subtree violation|name constraint/i.test(text)) {
          const permits = await describeNameConstraints(bin, paths.caCrt);
          throw new StoreCertError(
            `The requested hosts are outside what this store's CA may sign (CA name constraints: ${permits || 'see openssl x509 -text'}). ` +
              'Use the hosts the CA was created for, or create a new CA: move ca.key/ca.crt/ca.cer out of ' +
              `${outDir} and run again (every tablet must then trust the new ca.cer). The existing files were left unchanged.`,
          );
        }
        throw opensslFailure('verify the new server certificate against the CA', error);
      }
      await replaceKeepingOwner(tmpKey, paths.serverKey, 0o600, warnings);
      await replaceKeepingOwner(tmpCrt, paths.serverCrt, 0o644, warnings);
      note(written, 'serverKey');
      note(written, 'serverCrt');
      serverIssued = true;
      serverNotAfter = new Date((await readCert(paths.serverCrt)).validTo);
    } else {
      reason = 'hosts unchanged and not expiring soon';
      note(kept, 'serverKey');
      note(kept, 'serverCrt');
      serverNotAfter = new Date((current as X509Certificate).validTo);
    }

    return {
      outDir,
      paths,
      opensslVersion,
      hosts,
      caCreated,
      nameConstraints,
      serverIssued,
      serverReason: reason,
      written,
      kept,
      caFingerprint256: ca.fingerprint256,
      caNotAfter,
      serverNotAfter,
      warnings,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
