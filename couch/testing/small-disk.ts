// A small disk for the database server's data, to play "the disk is full" for real: a tmpfs
// of a few megabytes mounted on the data directory, filled with a filler file. Mounting
// needs root (or CAP_SYS_ADMIN); where that is not permitted, filling falls back to raising
// the gateway's reserve above the free space, which takes the same path in the gateway
// but does not exhaust the disk. Tests print which of the two they used.
import { execFileSync } from 'node:child_process';
import { mkdirSync, openSync, closeSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { join } from 'node:path';
import type { DiskGuard } from '../gateway/disk-guard';

export type FillMode = 'tmpfs' | 'reserve';

export interface SmallDisk {
  dir: string;
  /** Whether `dir` is a small disk of its own, so filling it is real. */
  mounted: boolean;
  /** Fills the disk until only `leaveBytes` are free (0: until the kernel says ENOSPC). */
  fill(guard: DiskGuard, leaveBytes: number): Promise<FillMode>;
  /** Gives the space back. */
  empty(guard: DiskGuard): Promise<void>;
  /** Unmounts (after the server using it has stopped). */
  close(): void;
}

async function freeBytes(dir: string): Promise<number> {
  const s = await statfs(dir);
  return s.bavail * s.bsize;
}

/** Writes real bytes (tmpfs would not count a sparse file) until `leaveBytes` remain or the disk is full. */
async function writeFiller(path: string, dir: string, leaveBytes: number): Promise<void> {
  const fd = openSync(path, 'a');
  try {
    for (const chunk of [1024 * 1024, 4096, 512]) {
      const buf = new Uint8Array(chunk).fill(0x5a);
      for (;;) {
        const free = await freeBytes(dir);
        if (leaveBytes > 0 && free - chunk < leaveBytes) break;
        try {
          writeSync(fd, buf);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw e;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
}

/** Disks at most this large are filled for real when they are given rather than mounted here. */
const SMALL_BYTES = 1024 ** 3;

/**
 * `sizeMb`: mount a tmpfs of that size on `dir`. `'given'`: `dir` is a running server's data
 * directory (a CouchDB the test did not start, whose data must stay visible to it): nothing is
 * mounted, and it is filled for real only if it is already a small disk of its own (the CouchDB
 * pass of the tests puts the store node's data on one).
 */
export function smallDisk(dir: string, sizeMb: number | 'given'): SmallDisk {
  mkdirSync(dir, { recursive: true });
  let mounted = false;
  let real = false;
  if (sizeMb === 'given') {
    const s = statfsSync(dir);
    real = s.blocks * s.bsize <= SMALL_BYTES;
  } else
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dir], { stdio: 'ignore' });
      mounted = real = true;
    } catch {
      mounted = real = false;
    }
  const filler = join(dir, 'filler.bin');
  let savedReserve: number | null = null;
  return {
    dir,
    mounted: real,
    async fill(guard, leaveBytes) {
      if (real) await writeFiller(filler, dir, leaveBytes);
      else {
        savedReserve ??= guard.minFreeBytes;
        guard.minFreeBytes = (await freeBytes(dir)) + 1024 ** 3;
      }
      guard.recheck();
      return real ? 'tmpfs' : 'reserve';
    },
    async empty(guard) {
      rmSync(filler, { force: true });
      if (savedReserve !== null) guard.minFreeBytes = savedReserve;
      savedReserve = null;
      guard.recheck();
      await Promise.resolve();
    },
    close() {
      if (mounted) execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
      mounted = false;
    },
  };
}
