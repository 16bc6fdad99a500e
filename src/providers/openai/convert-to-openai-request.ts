import type { ChatRequest } from '../chat-schema.ts';
import type { UpstreamHttpRequest, UpstreamTarget } from '../types.ts';
import { upstreamModelName } from '../shared/target.ts';

/**
 * The OpenAI wire format is the gateway's own, so the request passes through: only the model name,
 * the gateway-only `aigw` field and the stream flags change. Streaming always asks for usage so the
 * gateway can account; the server drops the usage chunk for clients that did not ask for it.
 * base_url includes the version (`https://api.openai.com/v1`), as every OpenAI-compatible server documents it.
 */
export function convertToOpenAIRequest(req: ChatRequest, target: UpstreamTarget, opts: { stream: boolean }): UpstreamHttpRequest {
  const { aigw: _aigw, stream: _stream, stream_options: streamOptions, ...rest } = req;
  const body: Record<string, unknown> = { ...rest, model: upstreamModelName(target) };
  if (opts.stream) {
    body.stream = true;
    body.stream_options = { ...(streamOptions ?? {}), include_usage: true };
  }
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;
  return { path: '/chat/completions', headers, body: JSON.stringify(body) };
}
