/**
 * Array.prototype.sort for short arrays, without its allocations. V8's sort copies the array into a work
 * array and keeps a sort state (~900 bytes per call, measured); the policy sorts a few candidates per
 * request. Below 64 elements V8's TimSort is one run: it extends the first ascending (or strictly
 * descending, then reversed) run, then binary-insertion-sorts the rest. This is that algorithm, step for
 * step, so it calls the comparator on the same pairs in the same order and returns the same order even
 * when the comparator is not transitive (the policy's ties within 1e-9). A NaN from the comparator counts
 * as 0, as in V8. Longer arrays go to Array.prototype.sort.
 */
export function sortShort<T>(list: T[], compare: (a: T, b: T) => number): T[] {
  const n = list.length;
  if (n < 2) return list;
  if (n >= 64) return list.sort(compare);
  const order = (a: T, b: T): number => {
    const v = compare(a, b);
    return v === v ? v : 0;
  };
  let run = 2;
  const descending = order(list[1]!, list[0]!) < 0;
  let previous = list[1]!;
  for (let i = 2; i < n; i++) {
    const current = list[i]!;
    const o = order(current, previous);
    if (descending ? o >= 0 : o < 0) break;
    previous = current;
    run++;
  }
  if (descending) reverse(list, run);
  for (let start = run; start < n; start++) {
    const pivot = list[start]!;
    let left = 0;
    let right = start;
    while (left < right) {
      const mid = left + ((right - left) >> 1);
      if (order(pivot, list[mid]!) < 0) right = mid;
      else left = mid + 1;
    }
    for (let p = start; p > left; p--) list[p] = list[p - 1]!;
    list[left] = pivot;
  }
  return list;
}

function reverse<T>(list: T[], end: number): void {
  for (let i = 0, j = end - 1; i < j; i++, j--) {
    const t = list[i]!;
    list[i] = list[j]!;
    list[j] = t;
  }
}
