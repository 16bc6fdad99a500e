/** Narrowing helpers shared by both wire formats' request parsers (bodies arrive as unknown JSON). */

export type JsonRecord = Record<string, unknown>;

export function isRecord(v: unknown): v is JsonRecord {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Visible text of a message content in either format: a string, or an array of parts whose `text`
 * fields count (OpenAI text parts, Anthropic text blocks, and text nested in tool results).
 */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let out = '';
  for (const part of content) {
    if (!isRecord(part)) continue;
    if (typeof part.text === 'string') out += (out ? '\n' : '') + part.text;
    else if (part.type === 'tool_result') out += (out ? '\n' : '') + contentText(part.content);
  }
  return out;
}

/** `stop` / `stop_sequences`: a string or an array of strings. */
export function stopList(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((s): s is string => typeof s === 'string');
  return [];
}

export function positiveInt(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;
}

/** Raised by request parsers; turned into each format's 400 error body. */
export class InvalidRequest extends Error {
  constructor(
    message: string,
    readonly param: string | null = null,
  ) {
    super(message);
  }
}
