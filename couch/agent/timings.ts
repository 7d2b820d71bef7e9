// How often the integrity guard and the reconciler run, from the agent's environment
// (/etc/lapak/store.env): seconds and hours, so an operator can read them.
export interface AgentTimings {
  integrityMs: number;
  reconcile: { intervalMs: number; windowMs: number; fullEveryMs: number };
}

function positive(env: Record<string, string | undefined>, key: string, fallback: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0)
    throw new Error(`${key} must be a positive number, not ${JSON.stringify(raw)}; fix it in the agent's environment.`);
  return n;
}

export function agentTimings(env: Record<string, string | undefined>): AgentTimings {
  return {
    integrityMs: positive(env, 'LAPAK_INTEGRITY_INTERVAL_S', 60) * 1000,
    reconcile: {
      intervalMs: positive(env, 'LAPAK_RECONCILE_INTERVAL_S', 300) * 1000,
      windowMs: positive(env, 'LAPAK_RECONCILE_WINDOW_H', 24) * 3600_000,
      fullEveryMs: positive(env, 'LAPAK_RECONCILE_FULL_H', 24) * 3600_000,
    },
  };
}
