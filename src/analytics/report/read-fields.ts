/**
 * Reads fields of a descriptive analysis result by name (snake_case, then camelCase), for the report:
 * each analysis owns its result shape, and a field the report cannot find becomes a stated data gap
 * rather than a wrong number.
 */
export type Fields = Readonly<Record<string, unknown>>;

function camel(name: string): string {
  return name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}

export function field(obj: Fields | undefined, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    const rec = cur as Record<string, unknown>;
    cur = part in rec ? rec[part] : rec[camel(part)];
  }
  return cur;
}

export function numberField(obj: Fields | undefined, ...paths: string[]): number | null {
  for (const p of paths) {
    const v = field(obj, p);
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return null;
}

/** `[{model: 'a', requests: 3}, …]` or `{a: 3, …}` → name/value pairs. */
export function pairsField(
  obj: Fields | undefined,
  path: string,
  nameKeys: readonly string[],
  valueKeys: readonly string[],
): Array<{ name: string; value: number }> {
  const v = field(obj, path);
  if (Array.isArray(v)) {
    return v.flatMap((item: unknown) => {
      if (item === null || typeof item !== 'object') return [];
      const rec = item as Fields;
      const name = nameKeys.map((k) => field(rec, k)).find((x): x is string => typeof x === 'string');
      const value = numberField(rec, ...valueKeys);
      return name !== undefined && value !== null ? [{ name, value }] : [];
    });
  }
  if (v !== null && typeof v === 'object') {
    return Object.entries(v as Fields).flatMap(([name, value]) => (typeof value === 'number' ? [{ name, value }] : []));
  }
  return [];
}
