// Helpers of bench/central-fan-in.ts: percentiles, and the CPU time and memory of a process
// read from /proc (Linux only; elsewhere the figures print as n/a).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Percentile by linear interpolation between closest ranks (p in 0..100) of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

export interface LagSummary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarizeLag(samples: readonly number[]): LagSummary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
  };
}

let clockTicks: number | null = null;

/** Kernel clock ticks per second (the unit of utime and stime in /proc/<pid>/stat). */
export function clkTck(): number {
  if (clockTicks === null) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** Fields of /proc/<pid>/stat after the command name, which may itself contain spaces and parentheses. */
function statFields(pid: number): string[] | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) a process has used so far, or NaN. */
export function cpuSeconds(pid: number): number {
  const f = statFields(pid);
  // After the name: state(3) ppid(4) ... utime(14) stime(15), so index = field - 3.
  if (!f) return NaN;
  return (Number(f[11]) + Number(f[12])) / clkTck();
}

/** VmRSS and VmHWM (peak resident set) of a process in MiB, or NaN. */
export function memoryMiB(pid: number): { rss: number; hwm: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
  } catch {
    return { rss: NaN, hwm: NaN };
  }
}

/**
 * The child of `parent` whose command line contains `--port <port>`: startPouchDbServer spawns
 * PouchDB Server with exactly that argument and does not expose the child itself.
 */
export function childListeningOn(parent: number, port: number): number | null {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return null;
  }
  for (const e of entries) {
    const pid = Number(e);
    const f = statFields(pid);
    if (!f || Number(f[1]) !== parent) continue;
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const i = args.indexOf('--port');
      if (i !== -1 && args[i + 1] === String(port)) return pid;
    } catch {
      // the process ended while we looked
    }
  }
  return null;
}

/** CPU use of one process between two moments, as % of one core. */
export class CpuMeter {
  private cpu0 = NaN;
  private t0 = 0;
  constructor(private readonly read: () => number) {}
  start(): void {
    this.cpu0 = this.read();
    this.t0 = performance.now();
  }
  /** Percent of one core since start(): 100 means one core fully busy. */
  percent(): number {
    const seconds = (performance.now() - this.t0) / 1000;
    return seconds > 0 ? ((this.read() - this.cpu0) / seconds) * 100 : NaN;
  }
}

/** Busy and total CPU seconds of the whole machine (all cores), from /proc/stat. */
export function machineCpuSeconds(): { busy: number; total: number } {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already in user)
    const total = v.slice(0, 8).reduce((s, x) => s + x, 0);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    return { busy: (total - idle) / clkTck(), total: total / clkTck() };
  } catch {
    return { busy: NaN, total: NaN };
  }
}

/** Pids of the processes in process group `pgid` (a CouchDB node: beam.smp and its couchjs). */
export function groupPids(pgid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  // After the name: state(3) ppid(4) pgrp(5), so index = field - 3.
  return entries.map(Number).filter((pid) => Number(statFields(pid)?.[2]) === pgid);
}

/**
 * CPU seconds of a process group so far, reaped children included (cutime, cstime): CouchDB's
 * couchjs processes come and go, and a query server that exits mid-window must still count.
 */
export function groupCpuSeconds(pgid: number): number {
  const pids = groupPids(pgid);
  if (pids.length === 0) return NaN;
  return pids.reduce((sum, pid) => {
    const f = statFields(pid);
    return f ? sum + (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / clkTck() : sum;
  }, 0);
}

/** VmRSS of a process group, MiB, or NaN. */
export function groupRssMiB(pgid: number): number {
  const pids = groupPids(pgid);
  return pids.length ? pids.reduce((sum, pid) => sum + (memoryMiB(pid).rss || 0), 0) : NaN;
}
