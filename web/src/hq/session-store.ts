// Who is logged in to the HQ page: a CouchDB session at central. Each `hq:<tenant>` role
// opens one tenant; the databases' _security, not this page, decides what the user may read.
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';

interface UserCtx {
  name: string | null;
  roles: string[];
}

export class LoginRefused extends Error {}

async function session(method: 'GET' | 'POST' | 'DELETE', body?: unknown): Promise<{ status: number; userCtx?: UserCtx }> {
  const res = await fetch('/db/_session', {
    method,
    credentials: 'same-origin',
    headers: body ? { 'content-type': 'application/json' } : undefined,
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = (await res.json().catch(() => ({}))) as { userCtx?: UserCtx; name?: string; roles?: string[] };
  const userCtx = json.userCtx ?? (json.name !== undefined ? { name: json.name ?? null, roles: json.roles ?? [] } : undefined);
  return { status: res.status, userCtx };
}

export function tenantsOf(roles: string[]): string[] {
  return roles.filter((r) => r.startsWith('hq:')).map((r) => r.slice(3));
}

export const useHqSession = defineStore('hq-session', () => {
  const name = ref<string | null>(null);
  const roles = ref<string[]>([]);
  const checked = ref(false);
  const chosen = ref<string | null>(null);
  const tenants = computed(() => tenantsOf(roles.value));
  const tenant = computed(() => (chosen.value && tenants.value.includes(chosen.value) ? chosen.value : (tenants.value[0] ?? null)));

  function adopt(ctx: UserCtx | undefined) {
    name.value = ctx?.name ?? null;
    roles.value = ctx?.roles ?? [];
  }

  async function check() {
    try {
      adopt((await session('GET')).userCtx);
    } finally {
      checked.value = true;
    }
  }

  /** Throws LoginRefused with a message key when the name or password is wrong, or the account is not HQ. */
  async function login(user: string, password: string) {
    const res = await session('POST', { name: user.trim(), password });
    if (res.status === 401) throw new LoginRefused('hqLoginWrong');
    if (res.status >= 400) throw new LoginRefused('hqLoginUnavailable');
    const ctx = (await session('GET')).userCtx;
    if (tenantsOf(ctx?.roles ?? []).length === 0) {
      await session('DELETE');
      throw new LoginRefused('hqLoginNotHq');
    }
    adopt(ctx);
  }

  async function logout() {
    await session('DELETE').catch(() => {});
    adopt(undefined);
  }

  return { name, roles, checked, tenants, tenant, chosen, check, login, logout };
});
