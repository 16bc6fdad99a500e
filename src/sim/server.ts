/**
 * SIMULATED upstream: a plain node:http server that answers like an LLM provider, in the OpenAI
 * (`POST /v1/chat/completions`, `POST /v1/embeddings`, `GET /v1/models`), Anthropic (`POST /v1/messages`)
 * and, for embeddings, Gemini (`POST /v1beta/models/{model}:batchEmbedContents`) wire formats.
 * The `/v1` prefix is optional. Every response carries `x-sim: simulated`.
 *
 * Response headers:
 *   x-sim: simulated            on every response
 *   x-sim-outcome: 1|0          whether choice 0 is a good answer (recorded score, else simOutcome)
 *   x-sim-outcome-source        `outcomes` (from an outcomes file) or `simulated`
 *   x-sim-task-type             the simulator's own task type of the last user message
 *
 * Test-control request headers (for exercising the gateway's reliability code):
 *   x-sim-fail: 500|429|<any 400-599>|timeout|cut|stream_error|connection
 *       <status>    answer with that status and the wire format's error body
 *       timeout     never answer; the connection stays open until the client gives up
 *       cut         send headers and part of the body/stream, then destroy the socket
 *       stream_error  a stream answers 200, then an error event as its first event (OpenAI-style
 *                   `data: {"error": …}`, Anthropic `event: error` overloaded_error); a non-stream
 *                   request gets a 500
 *       connection  destroy the socket at once, before any byte is sent
 *   x-sim-fail-times: N      fail only the first N requests carrying the same x-sim-fail-key
 *                            (absent: every request carrying x-sim-fail fails)
 *   x-sim-fail-key: KEY      groups requests for x-sim-fail-times (default: one shared group)
 *   x-sim-retry-after: S     send `retry-after: S` (seconds) with the failure status
 * Invalid control values get a 400. Independently, each model fails a share `error_rate` of its
 * requests with a 500 or a 429 + retry-after, split per its `error_mix` (seeded, reproducible).
 *
 * Usage is counted as ceil(chars / 4) of the text (prompt: all messages, system and tool
 * definitions, plus 3 per message), not with a real tokenizer: it keeps the simulator off the
 * gateway benchmark's critical path, and the gateway must bill what the upstream reports anyway.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatSseData, formatSseEvent } from '../providers/sse.ts';
import { anthropicError, anthropicMessage, anthropicStreamEvents, parseAnthropicRequest } from './anthropic-wire.ts';
import { composeAnswer, type SimAnswer, type SimPrompt } from './answer.ts';
import { emitEvents, sendAfter, sendCutBody } from './emit.ts';
import { BadControlHeader, FailureControl, type FailMode } from './failures.ts';
import type { SimFleet, SimModel } from './fleet-schema.ts';
import { hashUniform, mulberry32 } from './hash.ts';
import { openAICompletion, openAIError, openAIStreamEvents, parseOpenAIRequest } from './openai-wire.ts';
import { geminiBatchEmbeddings, openAIEmbeddings, parseOpenAIEmbeddings } from './embeddings-wire.ts';
import { loadOutcomesFiles, type OutcomesIndex } from './outcomes-file.ts';
import { InvalidRequest } from './request-text.ts';
import { TokenClock, type TimedEvent } from './stream-plan.ts';

/** Marks a body that was not JSON (already answered 400). */
const NOT_JSON = Symbol('not json');

export interface SimServerOptions {
  fleet: SimFleet;
  /** 0 = a random free port. */
  port?: number;
  host?: string;
  /** Outcomes JSONL files whose recorded answers are replayed for matching prompts. */
  outcomesFiles?: string[];
  seed?: number;
  /** Multiplies every simulated delay (ttft, token pacing, retry-after); 0 answers at once. */
  timeScale?: number;
}

export interface SimStats {
  /** Completion requests received (chat completions and messages), failed ones included. */
  requests: number;
  byModel: Record<string, number>;
}

export interface SimServer {
  url: string;
  close(): Promise<void>;
  stats(): SimStats;
}

type Wire = 'openai' | 'anthropic';

const SIM_HEADERS = { 'x-sim': 'simulated' } as const;

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SIM_HEADERS, ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}

function errorBody(wire: Wire, status: number, message: string, param: string | null = null, code: string | null = null): unknown {
  return wire === 'openai' ? openAIError(status, message, param, code) : anthropicError(status, message);
}

/** The error event a provider sends in place of the answer after a 200 (Anthropic: overloaded). */
function streamErrorEvent(wire: Wire): string {
  if (wire === 'openai') return formatSseData(openAIError(500, failureMessage(500)));
  return formatSseEvent('error', anthropicError(529, 'Overloaded (simulated).'));
}

function failureMessage(status: number): string {
  if (status === 429) return 'Rate limit reached for requests (simulated).';
  if (status >= 500) return 'The server had an error while processing your request (simulated).';
  return `Simulated upstream error ${status}.`;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Simulated time until a non-streamed answer is complete (the slowest choice). */
function answerDelayMs(answer: SimAnswer, model: SimModel, timeScale: number): number {
  let ms = 0;
  for (const c of answer.choices) {
    const chars = c.toolCall ? c.toolCall.argumentsJson.length : c.text.length;
    ms = Math.max(ms, new TokenClock(model, c.reasoningTokens, timeScale).afterChars(chars));
  }
  return ms;
}

/**
 * Which samples a request draws. Deterministic requests (no temperature, temperature 0) get samples
 * 0…n-1 every time, as before. A request with an explicit `seed` gets the samples that seed names.
 * A request with temperature > 0 and no seed gets the next unused samples of its (model, prompt), so
 * k separate requests disagree like the k choices of one n = k request — in fact they draw the same
 * sample set, whichever way `n` is served, which keeps runs reproducible in a fresh simulator.
 */
export class SampleCounter {
  private readonly next = new Map<string, number>();
  /** Bounds memory on long runs; clearing only restarts the per-prompt sequences. */
  private static readonly MAX_KEYS = 100_000;

  firstSample(modelId: string, prompt: Pick<SimPrompt, 'n' | 'temperature' | 'seed' | 'lastUserText'>): number {
    if (prompt.seed !== undefined) return Math.floor(hashUniform('sim-seed', prompt.seed) * 2 ** 31);
    if (prompt.temperature === undefined || prompt.temperature <= 0) return 0;
    const key = `${modelId}\u0000${prompt.lastUserText}`;
    const first = this.next.get(key) ?? 0;
    if (this.next.size >= SampleCounter.MAX_KEYS) this.next.clear();
    this.next.set(key, first + prompt.n);
    return first;
  }
}

export async function startSim(opts: SimServerOptions): Promise<SimServer> {
  const { fleet } = opts;
  const seed = opts.seed ?? 0;
  const timeScale = opts.timeScale ?? 1;
  const outcomes: OutcomesIndex = await loadOutcomesFiles(opts.outcomesFiles ?? []);
  const modelsById = new Map(fleet.models.map((m) => [m.id, m]));
  const embeddingModels = new Map(fleet.embedding_models.map((m) => [m.id, m]));
  const failures = new FailureControl(mulberry32(seed ^ 0x5eed), timeScale);
  const stats: SimStats = { requests: 0, byModel: {} };
  const samples = new SampleCounter();
  let sequence = 0;

  function fail(
    res: ServerResponse,
    wire: Wire,
    mode: FailMode,
    stream: boolean,
    partial: () => { headers: Record<string, string>; events?: TimedEvent[]; body?: string },
  ): void {
    if (mode.kind === 'connection') {
      res.socket?.destroy();
    } else if (mode.kind === 'status') {
      const headers: Record<string, string> = mode.retryAfterS === undefined ? {} : { 'retry-after': String(mode.retryAfterS) };
      sendJson(res, mode.status, errorBody(wire, mode.status, failureMessage(mode.status)), headers);
    } else if (mode.kind === 'stream_error') {
      if (stream) {
        res.writeHead(200, partial().headers);
        res.end(streamErrorEvent(wire));
      } else {
        sendJson(res, 500, errorBody(wire, 500, failureMessage(500)));
      }
    } else if (mode.kind === 'cut') {
      const p = partial();
      if (stream && p.events) {
        res.writeHead(200, p.headers);
        emitEvents(res, p.events, Math.max(1, Math.floor(p.events.length / 2)));
      } else {
        sendCutBody(res, 200, p.headers, p.body ?? '');
      }
    }
    // timeout: no answer at all; close() drops the connection.
  }

  /** The request body as JSON, or NOT_JSON after answering 400 in the wire's error shape. */
  function parseJsonBody(res: ServerResponse, wire: Wire, raw: string): unknown {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      sendJson(res, 400, errorBody(wire, 400, 'We could not parse the JSON body of your request.'));
      return NOT_JSON;
    }
  }

  function handleCompletion(wire: Wire, req: IncomingMessage, res: ServerResponse, raw: string): void {
    const body = parseJsonBody(res, wire, raw);
    if (body === NOT_JSON) return;
    const parsed = wire === 'openai' ? parseOpenAIRequest(body) : { ...parseAnthropicRequest(body), includeUsage: false };
    stats.requests++;
    stats.byModel[parsed.model] = (stats.byModel[parsed.model] ?? 0) + 1;
    const model = modelsById.get(parsed.model);
    if (!model) {
      const message = wire === 'openai' ? `The model \`${parsed.model}\` does not exist or you do not have access to it.` : `model: ${parsed.model}`;
      sendJson(res, 404, errorBody(wire, 404, message, null, 'model_not_found'));
      return;
    }
    if (parsed.prompt.n > 1 && model.supports_n === false) {
      sendJson(res, 400, errorBody(wire, 400, `n > 1 is not supported by ${model.id} (simulated).`, 'n'));
      return;
    }
    const failure = failures.fromHeaders(req.headers) ?? failures.fromErrorRate(model);
    const answer = composeAnswer(model, parsed.prompt, { seed, outcomes, firstSample: samples.firstSample(model.id, parsed.prompt) });
    const seq = (sequence++).toString(36);
    const id = wire === 'openai' ? `chatcmpl-sim${seq}` : `msg_sim${seq}`;
    const created = Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      ...SIM_HEADERS,
      'x-sim-outcome': answer.outcome ? '1' : '0',
      'x-sim-outcome-source': answer.outcomeSource,
      'x-sim-task-type': answer.taskType,
      [wire === 'openai' ? 'x-request-id' : 'request-id']: id,
    };
    const streamHeaders = { ...headers, 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };
    const events = () =>
      wire === 'openai'
        ? openAIStreamEvents(answer, model, { model: parsed.model, includeUsage: parsed.includeUsage }, id, created, timeScale)
        : anthropicStreamEvents(answer, model, parsed.model, id, timeScale);
    const fullBody = () => (wire === 'openai' ? openAICompletion(answer, parsed.model, id, created) : anthropicMessage(answer, parsed.model, id));
    if (failure) {
      fail(res, wire, failure, parsed.stream, () =>
        parsed.stream
          ? { headers: streamHeaders, events: events() }
          : { headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(fullBody()) },
      );
      return;
    }
    if (parsed.stream) {
      res.writeHead(200, streamHeaders);
      emitEvents(res, events());
    } else {
      sendAfter(answerDelayMs(answer, model, timeScale), res, () => sendJson(res, 200, fullBody(), headers));
    }
  }

  /** Embeddings in OpenAI's format (`/embeddings`) or Gemini's (`/v1beta/models/{m}:batchEmbedContents`); test-control failures apply. */
  function handleEmbeddings(req: IncomingMessage, res: ServerResponse, raw: string, geminiModel: string | undefined): void {
    const wire: Wire = 'openai';
    const body = parseJsonBody(res, wire, raw);
    if (body === NOT_JSON) return;
    const openaiBody = geminiModel === undefined ? parseOpenAIEmbeddings(body) : undefined;
    const modelId = geminiModel ?? openaiBody!.model;
    const model = embeddingModels.get(modelId);
    if (!model) {
      sendJson(res, 404, errorBody(wire, 404, `The model \`${modelId}\` does not exist or you do not have access to it.`, null, 'model_not_found'));
      return;
    }
    const failure = failures.fromHeaders(req.headers);
    const answer = () => (openaiBody ? openAIEmbeddings(model, openaiBody) : geminiBatchEmbeddings(model, body));
    if (failure) {
      fail(res, wire, failure, false, () => ({ headers: { ...SIM_HEADERS, 'content-type': 'application/json' }, body: JSON.stringify(answer()) }));
      return;
    }
    sendJson(res, 200, answer());
  }

  function handle(req: IncomingMessage, res: ServerResponse, raw: string): void {
    const path = (req.url ?? '/').split('?')[0]!.replace(/^\/v1(?=\/)/, '');
    const wire: Wire = path === '/messages' ? 'anthropic' : 'openai';
    try {
      const geminiEmbed = /^\/v1beta\/models\/([^/:]+):batchEmbedContents$/.exec(path);
      if (req.method === 'POST' && (path === '/chat/completions' || path === '/messages')) {
        handleCompletion(wire, req, res, raw);
      } else if (req.method === 'POST' && (path === '/embeddings' || geminiEmbed)) {
        handleEmbeddings(req, res, raw, geminiEmbed ? decodeURIComponent(geminiEmbed[1]!) : undefined);
      } else if (req.method === 'GET' && path === '/models') {
        sendJson(res, 200, { object: 'list', data: fleet.models.map((m) => ({ id: m.id, object: 'model', created: 0, owned_by: 'aigw-sim' })) });
      } else if (req.method === 'GET' && path === '/health') {
        sendJson(res, 200, { status: 'ok', simulated: true, fleet: fleet.name });
      } else {
        sendJson(res, 404, errorBody('openai', 404, `Unknown simulated route ${req.method ?? ''} ${req.url ?? ''}.`));
      }
    } catch (err) {
      if (err instanceof InvalidRequest) sendJson(res, 400, errorBody(wire, 400, err.message, err.param));
      else if (err instanceof BadControlHeader) sendJson(res, 400, errorBody(wire, 400, err.message, 'x-sim-fail'));
      else if (!res.headersSent) sendJson(res, 500, errorBody(wire, 500, `Simulator failure: ${err instanceof Error ? err.message : String(err)}`));
      else res.destroy();
    }
  }

  const server = createServer((req, res) => {
    readBody(req).then(
      (raw) => handle(req, res, raw),
      () => res.destroy(),
    );
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${host}:${addr.port}`,
    stats: () => ({ requests: stats.requests, byModel: { ...stats.byModel } }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
