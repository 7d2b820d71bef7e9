// How provisioning results look on a terminal: the pairing sheet a technician copies.
import type { ProvisionResult } from './provision';
import type { Step } from './steps';

export function formatStep(s: Step): string {
  return `  ${s.status.padEnd(12)} ${s.server.padEnd(15)} ${s.what}`;
}

export function formatPairingSheet(result: ProvisionResult): string {
  const lines: string[] = [];
  if (result.pairingCodes.length) {
    lines.push('', 'Pairing codes (one-time; each becomes useless once its terminal is paired):');
    for (const p of result.pairingCodes)
      lines.push(`  ${p.terminal.padEnd(18)} ${p.type.padEnd(8)} ${p.brand.padEnd(12)} ${p.code}   ${p.setupUrl}`);
  }
  if (result.storeAdminPasswords.length) {
    lines.push('', 'Store administrator accounts (shown once):');
    for (const a of result.storeAdminPasswords) lines.push(`  ${a.name}  password: ${a.password}`);
  }
  return lines.join('\n');
}
