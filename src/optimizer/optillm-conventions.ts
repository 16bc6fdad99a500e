import type { ChatMessage, ChatRequest, ContentPart } from '../providers/chat-schema.ts';
import { GatewayError } from '../util/errors.ts';

/**
 * The three ways an OptiLLM client picks a technique, so existing OptiLLM clients work unchanged:
 * a model-name prefix (`moa-gpt-4o-mini`, `re2&moa-gpt-4o-mini`), an `optillm_approach` body
 * field, or an `<optillm_approach>…</optillm_approach>` tag in a system or user message.
 * When several are given, the prefix wins over the body field, which wins over a tag (OptiLLM's order).
 * Whatever selected the technique is removed from the request before it goes upstream.
 */

export type TechniqueSource = 'prefix' | 'body' | 'tag' | 'router';

export interface TechniqueSelection {
  /** A technique name or combination (`a&b` pipeline, `a|b` parallel). */
  spec: string;
  options: Record<string, number>;
  source: TechniqueSource;
}

export interface ConventionResult {
  selection: TechniqueSelection | undefined;
  /** The request without the selector: model without its prefix, no optillm_* fields, no tags. */
  request: ChatRequest;
}

export interface ConventionDeps {
  /** Names of every technique the gateway can run. */
  techniques: readonly string[];
  /** True when the id is a configured model or routing model. */
  resolvesModel: (id: string) => boolean;
}

const TAG = /<optillm_approach>([\s\S]*?)<\/optillm_approach>/;
const TAG_ALL = new RegExp(TAG.source, 'g');
/** The body field with technique knobs (k, n, rounds, …); gateway-specific, OptiLLM reads them from its server flags. */
export const OPTIONS_FIELD = 'optillm_options';
export const APPROACH_FIELD = 'optillm_approach';

export function selectTechnique(body: ChatRequest, deps: ConventionDeps): ConventionResult {
  const prefix = fromModelPrefix(body.model, deps);
  const bodySpec = fromBodyField(body, deps);
  const tagged = stripTags(body.messages);
  const tagSpec = tagged.spec === undefined ? undefined : checkSpec(tagged.spec, 'messages', deps);
  const options = readOptions(body);
  // The common case, on every request: nothing to take off, so the request passes as it came.
  if (!prefix && tagged.spec === undefined && !(APPROACH_FIELD in body) && !(OPTIONS_FIELD in body)) return { selection: undefined, request: body };

  const request: ChatRequest = { ...body, model: prefix?.model ?? body.model, messages: tagged.messages };
  delete request[APPROACH_FIELD];
  delete request[OPTIONS_FIELD];

  const chosen: Pick<TechniqueSelection, 'spec' | 'source'> | undefined = prefix
    ? { spec: prefix.spec, source: 'prefix' }
    : bodySpec !== undefined
      ? { spec: bodySpec, source: 'body' }
      : tagSpec !== undefined
        ? { spec: tagSpec, source: 'tag' }
        : undefined;
  if (!chosen && options !== undefined) {
    throw invalidOptions(`'${OPTIONS_FIELD}' needs a technique: name one with a model prefix, '${APPROACH_FIELD}' or an <optillm_approach> tag.`);
  }
  return { selection: chosen && { ...chosen, options: options ?? {} }, request };
}

/** The names in a spec (`re2&moa` → re2, moa), whitespace trimmed. */
export function specNames(spec: string): string[] {
  return spec.split(/[&|]/).map((name) => name.trim());
}

/** The 400 an unknown technique gets, listing the valid ones. */
export function unknownTechnique(names: readonly string[], param: string, techniques: readonly string[]): GatewayError {
  const list = names.map((n) => `'${n}'`).join(', ');
  return new GatewayError(
    400,
    'invalid_request_error',
    `Unknown technique ${list}. Valid techniques: ${techniques.join(', ')}; combine them with & (one after another) or | (side by side).`,
    { param, code: 'unknown_technique' },
  );
}

export function invalidOptions(message: string): GatewayError {
  return new GatewayError(400, 'invalid_request_error', message, { param: OPTIONS_FIELD, code: 'invalid_technique_options' });
}

/**
 * `moa-gpt-4o-mini` → moa on gpt-4o-mini. A configured model id always wins (`foo-bar` stays a model
 * if configured), and the prefix counts only when the rest names a model or routing model. A prefix
 * with & or | is plainly a technique combination, so unknown names in it are reported, not ignored.
 */
function fromModelPrefix(model: string, deps: ConventionDeps): { spec: string; model: string } | undefined {
  if (deps.resolvesModel(model)) return undefined;
  const dash = model.indexOf('-');
  if (dash <= 0) return undefined;
  const spec = model.slice(0, dash);
  const rest = model.slice(dash + 1);
  if (!deps.resolvesModel(rest)) return undefined;
  const names = specNames(spec);
  const unknown = names.filter((n) => !deps.techniques.includes(n));
  if (unknown.length === 0) return { spec, model: rest };
  if (/[&|]/.test(spec)) throw unknownTechnique(unknown, 'model', deps.techniques);
  return undefined;
}

function fromBodyField(body: ChatRequest, deps: ConventionDeps): string | undefined {
  const value: unknown = body[APPROACH_FIELD];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new GatewayError(400, 'invalid_request_error', `'${APPROACH_FIELD}' must be a technique name such as 're2' or 'moa'.`, {
      param: APPROACH_FIELD,
      code: 'invalid_value',
    });
  }
  return checkSpec(value, APPROACH_FIELD, deps);
}

function checkSpec(raw: string, param: string, deps: ConventionDeps): string {
  const spec = raw.trim();
  const names = specNames(spec);
  const unknown = names.filter((n) => !deps.techniques.includes(n));
  if (unknown.length > 0) throw unknownTechnique(unknown, param, deps.techniques);
  return spec.replace(/\s*([&|])\s*/g, '$1');
}

function readOptions(body: ChatRequest): Record<string, number> | undefined {
  const value: unknown = body[OPTIONS_FIELD];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw invalidOptions(`'${OPTIONS_FIELD}' must be an object of numbers, e.g. {"k": 5}.`);
  }
  const options: Record<string, number> = {};
  for (const [name, v] of Object.entries(value)) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw invalidOptions(`'${OPTIONS_FIELD}.${name}' must be a number.`);
    options[name] = v;
  }
  return options;
}

const TAGGED_ROLES = new Set<ChatMessage['role']>(['system', 'developer', 'user']);

/** Removes every tag from system and user messages; the first tag found names the technique. */
function stripTags(messages: ChatMessage[]): { spec: string | undefined; messages: ChatMessage[] } {
  let spec: string | undefined;
  const take = (text: string): string => {
    spec ??= TAG.exec(text)?.[1];
    return text.replace(TAG_ALL, '').trim();
  };
  if (!messages.some((m) => TAGGED_ROLES.has(m.role) && mentionsTag(m))) return { spec: undefined, messages };
  const out: ChatMessage[] = [];
  for (const m of messages) {
    if (!TAGGED_ROLES.has(m.role) || !mentionsTag(m)) {
      out.push(m);
      continue;
    }
    const content = typeof m.content === 'string' ? take(m.content) : m.content?.map((part) => stripPart(part, take));
    // A system prompt that only carried the tag would be sent as an empty instruction.
    if (m.role !== 'user' && (content === '' || (Array.isArray(content) && content.every((p) => p.type === 'text' && p.text === '')))) continue;
    out.push({ ...m, content });
  }
  return { spec, messages: out };
}

function mentionsTag(m: ChatMessage): boolean {
  if (typeof m.content === 'string') return TAG.test(m.content);
  return (m.content ?? []).some((p) => p.type === 'text' && typeof p.text === 'string' && TAG.test(p.text));
}

function stripPart(part: ContentPart, take: (text: string) => string): ContentPart {
  return part.type === 'text' && typeof part.text === 'string' ? { ...part, text: take(part.text) } : part;
}
