// Refuses writes while the database server's disk is (nearly) full. PouchDB Server's
// LevelDB does not reliably refuse a write on a full disk (it buffers small writes and may
// lose them, or crash, later), and CouchDB answers a full disk with a 500 and a crashed
// database process, while its own disk monitor (3.4+) still lets replicated writes — which
// is how tablets push — through. So the gateway keeps a reserve: below it every write is
// refused with 507 Insufficient Storage and a reason a person can act on, before anything
// reaches the database; reads go on. Tablets keep their documents and retry by themselves.
import { statfs } from 'node:fs/promises';

/** POST requests that only read: replication's questions, queries, logging in. */
const READING_POSTS = new Set([
  '_all_docs',
  '_bulk_get',
  '_revs_diff',
  '_missing_revs',
  '_changes',
  '_find',
  '_explain',
  '_ensure_full_commit',
]);

/** Whether a request to the database server (path without the /db prefix) writes to its disk. */
export function isWrite(method: string, couchPath: string): boolean {
  const m = method.toUpperCase();
  if (m === 'GET' || m === 'HEAD' || m === 'OPTIONS') return false;
  const segments = couchPath.split('?')[0]!.split('/').filter(Boolean);
  const first = segments[0] ?? '';
  // Sessions live in memory; the root and _uuids write nothing.
  if (segments.length <= 1 && ['', '_session', '_uuids', '_up'].includes(first)) return false;
  if (m !== 'POST') return true;
  if (segments.length === 2 && READING_POSTS.has(segments[1]!)) return false;
  if (segments.length === 3 && segments[1] === '_all_docs' && segments[2] === 'queries') return false;
  // A view query: /{db}/_design/{ddoc}/_view/{view}
  if (segments.length >= 5 && segments[1] === '_design' && segments[3] === '_view') return false;
  return true;
}

export interface DiskRefusal {
  error: 'insufficient_storage';
  reason: string;
  free_bytes: number;
  min_free_bytes: number;
}

const MB = 1024 * 1024;

export class DiskGuard {
  private checkedAt = 0;
  private lastFree: number | null = null;

  /**
   * @param dir the database server's data directory (or any directory on its disk)
   * @param minFreeBytes writes are refused while less than this is free
   * @param label which server, for the message ("store", "central")
   */
  constructor(
    readonly dir: string,
    public minFreeBytes: number,
    readonly label: string,
  ) {}

  /** Free bytes for an unprivileged writer, at most half a second old; null when the directory cannot be examined. */
  async freeBytes(): Promise<number | null> {
    const now = Date.now();
    if (now - this.checkedAt < 500) return this.lastFree;
    try {
      const s = await statfs(this.dir);
      this.lastFree = s.bavail * s.bsize;
    } catch {
      // A guard that cannot look must not stop the store: the server decides.
      this.lastFree = null;
    }
    this.checkedAt = now;
    return this.lastFree;
  }

  /** Forget the cached figure (after space was freed or filled on purpose). */
  recheck(): void {
    this.checkedAt = 0;
  }

  /** Why a write must be refused now, or null when there is room. */
  async refusal(): Promise<DiskRefusal | null> {
    const free = await this.freeBytes();
    if (free === null || free >= this.minFreeBytes) return null;
    return {
      error: 'insufficient_storage',
      reason:
        `The ${this.label} server's disk is full (${(free / MB).toFixed(1)} MB free; at least ${(this.minFreeBytes / MB).toFixed(0)} MB must stay free). ` +
        'Nothing was written. Free disk space on the server (old logs, backups); tablets keep their orders and send them by themselves once there is room.',
      free_bytes: free,
      min_free_bytes: this.minFreeBytes,
    };
  }
}
