import { GOALS, type Goal } from '../../config/schema.ts';
import type { RoutingConstraints } from '../types.ts';

/** Request headers as Node and fastify give them (names lower-cased). */
export type RequestHeaders = Readonly<Record<string, string | string[] | undefined>>;

export type OverridesResult =
  | { ok: true; overrides: Partial<RoutingConstraints> }
  /** `param` is the header name or `aigw.<field>`, for an OpenAI-style 400 naming it. */
  | { ok: false; error: { param: string; message: string } };

type Field = keyof RoutingConstraints;

const FIELDS: ReadonlyArray<{ field: Field; header: string; body: string }> = [
  { field: 'goal', header: 'x-aigw-goal', body: 'goal' },
  { field: 'minQuality', header: 'x-aigw-min-quality', body: 'min_quality' },
  { field: 'maxCostUsd', header: 'x-aigw-max-cost-usd', body: 'max_cost_usd' },
  { field: 'maxLatencyMs', header: 'x-aigw-max-latency-ms', body: 'max_latency_ms' },
];

type Checked = { value: Goal | number } | { message: string };

/** Header values are text; body values must already be JSON numbers. */
function checkValue(field: Field, raw: unknown, fromHeader: boolean): Checked {
  if (field === 'goal') {
    return typeof raw === 'string' && (GOALS as readonly string[]).includes(raw) ? { value: raw as Goal } : { message: `must be one of ${GOALS.join(', ')}` };
  }
  const n = typeof raw === 'number' ? raw : fromHeader && typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (!Number.isFinite(n)) return { message: 'must be a number' };
  if (field === 'minQuality' && (n < 0 || n > 1)) return { message: 'must be between 0 and 1' };
  if (field === 'maxCostUsd' && n < 0) return { message: 'must be 0 or more' };
  if (field === 'maxLatencyMs' && n <= 0) return { message: 'must be more than 0' };
  return { value: n };
}

function assign(overrides: Partial<RoutingConstraints>, field: Field, value: Goal | number): void {
  if (field === 'goal') overrides.goal = value as Goal;
  else overrides[field] = value as number;
}

/**
 * Caller overrides of the routing constraints, from the x-aigw-* headers and the `aigw` body field.
 * When both set a field the body wins: it is written per request, headers are often client-wide defaults.
 */
export function parseRoutingOverrides(headers: RequestHeaders, bodyAigwField: unknown): OverridesResult {
  const overrides: Partial<RoutingConstraints> = {};
  for (const { field, header } of FIELDS) {
    const raw = headers[header];
    if (raw === undefined) continue;
    if (Array.isArray(raw)) return { ok: false, error: { param: header, message: `${header} must be given once` } };
    const checked = checkValue(field, raw, true);
    if ('message' in checked) return { ok: false, error: { param: header, message: `${header} ${checked.message}, got "${raw}"` } };
    assign(overrides, field, checked.value);
  }
  if (bodyAigwField === undefined || bodyAigwField === null) return { ok: true, overrides };
  if (typeof bodyAigwField !== 'object' || Array.isArray(bodyAigwField)) {
    return { ok: false, error: { param: 'aigw', message: 'aigw must be an object' } };
  }
  const body = bodyAigwField as Record<string, unknown>;
  const known = new Set(FIELDS.map((f) => f.body));
  const unknownKey = Object.keys(body).find((k) => !known.has(k));
  if (unknownKey !== undefined) {
    return { ok: false, error: { param: `aigw.${unknownKey}`, message: `aigw.${unknownKey} is not a routing control; use ${[...known].join(', ')}` } };
  }
  for (const { field, body: key } of FIELDS) {
    if (body[key] === undefined) continue;
    const checked = checkValue(field, body[key], false);
    if ('message' in checked) {
      return { ok: false, error: { param: `aigw.${key}`, message: `aigw.${key} ${checked.message}, got ${JSON.stringify(body[key])}` } };
    }
    assign(overrides, field, checked.value);
  }
  return { ok: true, overrides };
}
