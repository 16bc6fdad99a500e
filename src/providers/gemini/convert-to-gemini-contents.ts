import type { ChatMessage, ContentPart } from '../chat-schema.ts';
import { guessMediaTypeFromUrl, parseBase64DataUrl } from '../shared/data-url.ts';
import { asRecord, asString, isRecord, parseJson } from '../shared/wire-json.ts';
import type { JsonRecord } from '../shared/wire-json.ts';

export interface GeminiContent {
  role: 'user' | 'model';
  parts: JsonRecord[];
}

export interface GeminiPrompt {
  systemInstruction?: { parts: JsonRecord[] };
  contents: GeminiContent[];
}

/**
 * Gemini 3 rejects replayed function calls without the thought signature it issued. OpenAI clients
 * cannot carry it, so the sentinel Google documents for that case is sent instead.
 */
export const SKIP_THOUGHT_SIGNATURE = 'skip_thought_signature_validator';

function convertPart(part: ContentPart): JsonRecord | undefined {
  const rec: JsonRecord = part;
  if (part.type === 'text') {
    const text = asString(rec.text) ?? '';
    return text === '' ? undefined : { text };
  }
  if (part.type === 'image_url') {
    const url = asString(asRecord(rec.image_url)?.url);
    if (!url) return undefined;
    const inline = parseBase64DataUrl(url);
    return inline ? { inlineData: { mimeType: inline.mediaType, data: inline.data } } : { fileData: { mimeType: guessMediaTypeFromUrl(url), fileUri: url } };
  }
  if (part.type === 'file') {
    const fileData = asString(asRecord(rec.file)?.file_data);
    const inline = fileData ? parseBase64DataUrl(fileData) : undefined;
    return inline ? { inlineData: { mimeType: inline.mediaType, data: inline.data } } : undefined;
  }
  return undefined;
}

function convertParts(content: ChatMessage['content']): JsonRecord[] {
  if (content === null || content === undefined) return [];
  if (typeof content === 'string') return content === '' ? [] : [{ text: content }];
  return content.map(convertPart).filter((p): p is JsonRecord => p !== undefined);
}

function textOf(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  return convertParts(content)
    .map((p) => asString(p.text) ?? '')
    .join('');
}

/** Gemini wants an object as the function result; JSON objects pass as is, anything else is wrapped. */
function functionResponsePayload(content: ChatMessage['content']): JsonRecord {
  const text = textOf(content);
  const parsed = parseJson(text);
  if (isRecord(parsed)) return parsed;
  return { content: parsed !== undefined ? parsed : text };
}

/**
 * OpenAI messages → Gemini systemInstruction and contents (roles user/model). Tool results become
 * functionResponse parts named after the call they answer; consecutive same-role turns merge, which
 * keeps the responses to parallel calls together as Gemini expects.
 */
export function convertToGeminiContents(messages: ChatMessage[], opts: { requiresThoughtSignature: boolean }): GeminiPrompt {
  const systemParts: JsonRecord[] = [];
  const contents: GeminiContent[] = [];
  const toolNames = new Map<string, string>();
  const append = (role: GeminiContent['role'], parts: JsonRecord[]): void => {
    if (parts.length === 0) return;
    const last = contents.at(-1);
    if (last && last.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  };
  for (const m of messages) {
    switch (m.role) {
      case 'system':
      case 'developer':
        systemParts.push(...convertParts(m.content).filter((p) => p.text !== undefined));
        break;
      case 'user':
        append('user', convertParts(m.content));
        break;
      case 'assistant': {
        const parts = convertParts(m.content).filter((p) => p.text !== undefined);
        (m.tool_calls ?? []).forEach((call, i) => {
          toolNames.set(call.id, call.function.name);
          const args = parseJson(call.function.arguments);
          const part: JsonRecord = { functionCall: { name: call.function.name, args: isRecord(args) ? args : {} } };
          // Only the first of parallel calls carries a signature.
          if (opts.requiresThoughtSignature && i === 0) part.thoughtSignature = SKIP_THOUGHT_SIGNATURE;
          parts.push(part);
        });
        append('model', parts);
        break;
      }
      case 'tool':
      case 'function': {
        const name = (m.tool_call_id && toolNames.get(m.tool_call_id)) || m.name || 'tool';
        append('user', [{ functionResponse: { name, response: functionResponsePayload(m.content) } }]);
        break;
      }
    }
  }
  const prompt: GeminiPrompt = { contents };
  if (systemParts.length > 0) prompt.systemInstruction = { parts: systemParts };
  return prompt;
}
