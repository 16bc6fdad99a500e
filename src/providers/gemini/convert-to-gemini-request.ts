import type { ChatRequest, ToolChoice } from '../chat-schema.ts';
import type { UpstreamHttpRequest, UpstreamTarget } from '../types.ts';
import { upstreamModelName } from '../shared/target.ts';
import { pathAfterBase } from '../shared/versioned-path.ts';
import type { JsonRecord } from '../shared/wire-json.ts';
import { convertJsonSchemaToGemini, isEmptyObjectSchema } from './convert-json-schema-to-gemini.ts';
import { convertToGeminiContents } from './convert-to-gemini-contents.ts';

function convertToolConfig(choice: ToolChoice | undefined): JsonRecord | undefined {
  if (choice === undefined) return undefined;
  if (choice === 'auto') return { functionCallingConfig: { mode: 'AUTO' } };
  if (choice === 'none') return { functionCallingConfig: { mode: 'NONE' } };
  if (choice === 'required') return { functionCallingConfig: { mode: 'ANY' } };
  return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.function.name] } };
}

function convertGenerationConfig(req: ChatRequest): JsonRecord {
  const config: JsonRecord = {};
  const set = (key: string, value: unknown): void => {
    if (value !== null && value !== undefined) config[key] = value;
  };
  set('temperature', req.temperature);
  set('topP', req.top_p);
  set('maxOutputTokens', req.max_completion_tokens ?? req.max_tokens);
  set('stopSequences', typeof req.stop === 'string' ? [req.stop] : req.stop);
  set('candidateCount', req.n);
  set('seed', req.seed);
  set('presencePenalty', req.presence_penalty);
  set('frequencyPenalty', req.frequency_penalty);
  const format = req.response_format;
  if (format?.type === 'json_object' || format?.type === 'json_schema') config.responseMimeType = 'application/json';
  if (format?.type === 'json_schema' && format.json_schema.schema) {
    config.responseSchema = convertJsonSchemaToGemini(format.json_schema.schema);
  }
  return config;
}

/**
 * OpenAI ChatRequest → Gemini generateContent. base_url is version-less
 * (`https://generativelanguage.googleapis.com`); the path carries `/v1beta/models/{model}:…`.
 * Streaming uses `:streamGenerateContent?alt=sse`; the key goes in `x-goog-api-key`, not the URL.
 */
export function convertToGeminiRequest(req: ChatRequest, target: UpstreamTarget, opts: { stream: boolean }): UpstreamHttpRequest {
  const model = upstreamModelName(target).replace(/^models\//, '');
  const { systemInstruction, contents } = convertToGeminiContents(req.messages, {
    requiresThoughtSignature: /^gemini-3/.test(model),
  });
  const body: JsonRecord = { contents };
  if (systemInstruction) body.systemInstruction = systemInstruction;
  if (req.tools && req.tools.length > 0) {
    body.tools = [
      {
        functionDeclarations: req.tools.map((t) => {
          const parameters = convertJsonSchemaToGemini(t.function.parameters);
          const declaration: JsonRecord = { name: t.function.name };
          if (t.function.description) declaration.description = t.function.description;
          if (!isEmptyObjectSchema(parameters)) declaration.parameters = parameters;
          return declaration;
        }),
      },
    ];
    const toolConfig = convertToolConfig(req.tool_choice);
    if (toolConfig) body.toolConfig = toolConfig;
  }
  const generationConfig = convertGenerationConfig(req);
  if (Object.keys(generationConfig).length > 0) body.generationConfig = generationConfig;
  const method = opts.stream ? ':streamGenerateContent?alt=sse' : ':generateContent';
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (target.apiKey) headers['x-goog-api-key'] = target.apiKey;
  return {
    path: pathAfterBase(target.provider.base_url, 'v1beta', `/models/${encodeURIComponent(model)}${method}`),
    headers,
    body: JSON.stringify(body),
  };
}
