// Creates the per-store CA and the gateway's HTTPS certificate. See scripts/lib/store-cert.ts and docs/deploy-store.md.
//
//   sudo npx tsx scripts/make-store-cert.ts --tenant yogya --store bsd \
//     --host 192.168.1.100 --host lapak-bsd.local --out /etc/lapak/tls
import { parseArgs } from 'node:util';
import { MAX_SERVER_DAYS, StoreCertError, ensureStoreCert, type EnsureStoreCertResult } from './lib/store-cert';

const USAGE = `Usage: npx tsx scripts/make-store-cert.ts --tenant <id> --store <id> --host <ip|dns> [--host ...] --out <dir> [options]

Creates, idempotently, a per-store certificate authority (ca.key, ca.crt, ca.cer) and an HTTPS server
certificate for the Lapak gateway (server.key, server.crt) signed by it.

Required:
  --tenant <id>            tenant id, e.g. yogya
  --store <id>             store id, e.g. bsd
  --host <ip|dns>          every address the tablets use to reach the store server; repeat the option
                           (e.g. --host 192.168.1.100 --host lapak-bsd.local)
  --out <dir>              output directory, e.g. /etc/lapak/tls (created if missing)

Options:
  --server-days <n>        validity of a newly issued server certificate (default and max ${MAX_SERVER_DAYS})
  --no-name-constraints    create the CA without nameConstraints (only if a device rejects constrained CAs)
  --openssl <path>         openssl binary (default: openssl from PATH)
  -h, --help               show this help

Re-running is safe: an existing CA is never overwritten; the server certificate is re-issued only when the
hosts change, it expires within 30 days, or it does not match the CA or its key.`;

function fail(message: string): never {
  console.error(`make-store-cert: ${message}`);
  process.exit(1);
}

function printResult(r: EnsureStoreCertResult): void {
  const out = r.outDir;
  console.log(`make-store-cert: ${r.opensslVersion}`);
  console.log(r.caCreated ? `Created a new store CA in ${out}.` : `Kept the existing store CA in ${out}.`);
  if (r.nameConstraints === 'applied') console.log('  The CA is name-constrained to the given hosts.');
  console.log(`  CA SHA-256 fingerprint: ${r.caFingerprint256}`);
  console.log(`  CA valid until:         ${r.caNotAfter.toISOString()}`);
  console.log(
    r.serverIssued ? `Issued a new server certificate (${r.serverReason}).` : `Kept the existing server certificate (${r.serverReason}).`,
  );
  console.log(`  Hosts:       ${r.hosts.map((h) => h.value).join(', ')}`);
  console.log(`  Valid until: ${r.serverNotAfter.toISOString()}`);
  if (r.written.length > 0) {
    console.log('\nFiles written:');
    for (const f of r.written) console.log(`  ${f.path}  - ${f.description}`);
  }
  if (r.kept.length > 0) {
    console.log('\nFiles kept unchanged:');
    for (const f of r.kept) console.log(`  ${f.path}  - ${f.description}`);
  }
  for (const w of r.warnings) console.warn(`\nWARNING: ${w}`);

  const steps: string[] = [];
  if (r.serverIssued) {
    steps.push(
      `Let the gateway (user lapak) read the key, if not done before:\n     sudo chgrp lapak ${r.paths.serverKey} && sudo chmod 640 ${r.paths.serverKey}`,
      `In /etc/lapak/store.env set:\n     LAPAK_GATEWAY_TLS_CERT=${r.paths.serverCrt}\n     LAPAK_GATEWAY_TLS_KEY=${r.paths.serverKey}`,
      'Restart the gateway so it loads the new certificate:\n     sudo systemctl restart lapak-gateway',
    );
  }
  if (r.caCreated) {
    steps.push(
      `Trust the CA once on every tablet / kiosk PC: ${r.paths.caCer} (Android) or ${r.paths.caCrt} (others).\n` +
        '     Step-by-step per platform: docs/deploy-store.md, section "Trust the store CA on every device".\n' +
        `     Compare the SHA-256 fingerprint shown on the device with: ${r.caFingerprint256}`,
      `Back up ${r.paths.caKey} somewhere safe and offline (encrypted). Without it, a replacement server needs a new CA\n` +
        '     and every device must trust it again. Never copy ca.key to a tablet.',
    );
  }
  if (r.serverIssued || r.caCreated) {
    const host = r.hosts[0];
    const url = host ? `https://${host.kind === 'ip' && host.version === 6 ? `[${host.value}]` : host.value}/` : 'https://<host>/';
    steps.push(`Check from another machine:\n     curl --cacert ca.crt ${url}   (or open ${url} on a tablet: no certificate warning)`);
  } else {
    steps.push('Nothing to do. Re-run this command monthly (or from a timer) to renew the server certificate before it expires.');
  }
  console.log('\nNext steps:');
  steps.forEach((s, i) => console.log(`  ${i + 1}. ${s}`));
}

async function main(): Promise<void> {
  // `... | head` closing the pipe early is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  let parsed;
  try {
    parsed = parseArgs({
      args: process.argv.slice(2),
      strict: true,
      allowPositionals: false,
      options: {
        tenant: { type: 'string' },
        store: { type: 'string' },
        host: { type: 'string', multiple: true },
        out: { type: 'string' },
        'server-days': { type: 'string' },
        'no-name-constraints': { type: 'boolean' },
        openssl: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    fail(`${(error as Error).message}\n\n${USAGE}`);
  }
  const v = parsed.values;
  if (v.help) {
    console.log(USAGE);
    return;
  }
  const missing = (['tenant', 'store', 'out'] as const).filter((k) => !v[k]);
  if (missing.length > 0) fail(`missing ${missing.map((k) => `--${k}`).join(', ')}.\n\n${USAGE}`);
  let serverDays: number | undefined;
  if (v['server-days'] !== undefined) {
    serverDays = Number(v['server-days']);
    if (!Number.isInteger(serverDays) || serverDays < 1 || serverDays > MAX_SERVER_DAYS) {
      fail(`--server-days must be a whole number from 1 to ${MAX_SERVER_DAYS}.`);
    }
  }
  const result = await ensureStoreCert({
    tenant: v.tenant ?? '',
    store: v.store ?? '',
    hosts: v.host ?? [],
    outDir: v.out ?? '',
    serverDays,
    nameConstraints: !v['no-name-constraints'],
    openssl: v.openssl,
  });
  printResult(result);
}

main().catch((error: unknown) => {
  if (error instanceof StoreCertError) fail(error.message);
  console.error(error);
  fail('unexpected error (see above).');
});
