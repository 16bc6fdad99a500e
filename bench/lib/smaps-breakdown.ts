/**
 * Where a process's anonymous memory is, from `/proc/PID/smaps`, in the three parts a soak needs to
 * tell apart: the main thread's malloc heap (`[heap]`, glibc's brk arena), the malloc arenas of the
 * other threads (SQLite's page cache on the write thread lives there), and all other anonymous
 * mappings (the V8 heaps of every isolate, compiled code, thread stacks, large mmap'd allocations).
 */

/** glibc maps each heap of a thread's arena as one 64 MiB region aligned to 64 MiB (HEAP_MAX_SIZE on 64-bit). */
const ARENA_HEAP_BYTES = 64 * 1_048_576;

export interface AnonBreakdown {
  mainMallocBytes: number;
  threadArenaBytes: number;
  /** Heaps of non-main arenas: at least one per thread that has called malloc, up to 8 per core. */
  threadArenaHeaps: number;
  otherAnonBytes: number;
}

interface Mapping {
  start: number;
  end: number;
  perms: string;
  name: string;
  anonBytes: number;
}

const MAPPING_LINE = /^([0-9a-f]+)-([0-9a-f]+) (\S{4}) \S+ \S+ \S+\s*(.*)$/;

function parseSmaps(text: string): Mapping[] {
  const mappings: Mapping[] = [];
  for (const line of text.split('\n')) {
    const head = MAPPING_LINE.exec(line);
    if (head) {
      mappings.push({
        start: parseInt(head[1] as string, 16),
        end: parseInt(head[2] as string, 16),
        perms: head[3] as string,
        name: (head[4] ?? '').trim(),
        anonBytes: 0,
      });
      continue;
    }
    const anon = /^Anonymous:\s+(\d+) kB/.exec(line);
    const current = mappings.at(-1);
    if (anon && current) current.anonBytes = Number(anon[1]) * 1024;
  }
  return mappings;
}

/**
 * An arena heap is an unnamed read-write mapping that starts on a 64 MiB boundary and, with the
 * inaccessible reservation right behind it (the part not grown into yet), spans exactly 64 MiB.
 * A V8 page that happens to start on such a boundary is not followed by that reservation.
 */
function isArenaHeap(mapping: Mapping, next: Mapping | undefined): boolean {
  if (mapping.name !== '' || mapping.perms !== 'rw-p' || mapping.start % ARENA_HEAP_BYTES !== 0) return false;
  if (mapping.end - mapping.start === ARENA_HEAP_BYTES) return true;
  return next !== undefined && next.name === '' && next.perms === '---p' && next.start === mapping.end && next.end - mapping.start === ARENA_HEAP_BYTES;
}

export function anonBreakdown(smapsText: string): AnonBreakdown {
  const mappings = parseSmaps(smapsText);
  const out: AnonBreakdown = { mainMallocBytes: 0, threadArenaBytes: 0, threadArenaHeaps: 0, otherAnonBytes: 0 };
  mappings.forEach((mapping, i) => {
    if (mapping.name === '[heap]') out.mainMallocBytes += mapping.anonBytes;
    else if (isArenaHeap(mapping, mappings[i + 1])) {
      out.threadArenaBytes += mapping.anonBytes;
      out.threadArenaHeaps += 1;
    } else out.otherAnonBytes += mapping.anonBytes;
  });
  return out;
}
