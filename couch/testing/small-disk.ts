// A small disk for the database server's data, to play "the disk is full" for real: a tmpfs
// of a few megabytes mounted on the data directory, filled with a filler file. Mounting
// needs root (or CAP_SYS_ADMIN); where that is not permitted, filling falls back to raising
// the gateway's reserve above the free space, which takes the same path in the gateway
// but does not exhaust the disk. Tests print which of the two they used.
import { execFileSync } from 'node:child_process';
import { mkdirSync, openSync, closeSync, rmSync, writeSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { join } from 'node:path';
import type { DiskGuard } from '../gateway/disk-guard';

export type FillMode = 'tmpfs' | 'reserve';

export interface SmallDisk {
  dir: string;
  /** Whether `dir` is a tmpfs of its own, so filling it is real. */
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

export function smallDisk(dir: string, sizeMb: number): SmallDisk {
  mkdirSync(dir, { recursive: true });
  let mounted = false;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dir], { stdio: 'ignore' });
    mounted = true;
  } catch {
    mounted = false;
  }
  const filler = join(dir, 'filler.bin');
  let savedReserve: number | null = null;
  return {
    dir,
    mounted,
    async fill(guard, leaveBytes) {
      if (mounted) await writeFiller(filler, dir, leaveBytes);
      else {
        savedReserve ??= guard.minFreeBytes;
        guard.minFreeBytes = (await freeBytes(dir)) + 1024 ** 3;
      }
      guard.recheck();
      return mounted ? 'tmpfs' : 'reserve';
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
