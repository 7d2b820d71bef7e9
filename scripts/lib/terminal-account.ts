// A terminal's account on its store server: name, roles and the `lapak` note, spelled in
// one place for provisioning and for the store agent adding a terminal on HQ's request.
import { role, userName, type TerminalType } from '../../design-docs/lib/names';
import type { UserSpec } from './ensure';

export function terminalAccount(tenant: string, store: string, t: { code: string; type: TerminalType; brand: string }): UserSpec {
  return {
    name: userName.terminal(tenant, store, t.code),
    roles: [role.tenant(tenant), role.store(tenant, store), role.terminalType(t.type), role.brand(t.brand)],
    lapak: { kind: 'terminal', tenant, store, terminal: t.code },
  };
}
