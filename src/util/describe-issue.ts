import type { z } from 'zod';

/**
 * A zod issue as the client should read it: a missing field, a field of the wrong type
 * ("expected a boolean, got a string") or a bad value. zod 4 does not keep the offending input in
 * its issues, so the value is looked up in the body by the issue's path.
 */
export function describeIssue(
  issue: z.core.$ZodIssue | undefined,
  body: unknown,
  formatPath: (path: readonly PropertyKey[]) => string,
): { param: string; message: string } {
  if (!issue) return { param: 'body', message: 'Invalid request body.' };
  const param = formatPath(issue.path);
  const value = valueAt(body, issue.path);
  if (issue.code === 'invalid_type') {
    if (value === undefined) return { param, message: `Missing required parameter: '${param}'.` };
    return { param, message: `Invalid type for '${param}': expected ${article(String(issue.expected))}, got ${article(jsonType(value))}.` };
  }
  return { param, message: `Invalid value for '${param}': ${issue.message}.` };
}

function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let at: unknown = body;
  for (const key of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at;
}

/** The JSON type of a parsed value, as JSON names it. */
function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'object' ? 'object' : typeof value;
}

function article(type: string): string {
  if (type === 'null') return 'null';
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}
