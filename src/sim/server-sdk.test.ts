import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FLEET, withoutErrors } from './fleet.ts';
import { startSim, type SimServer } from './server.ts';

let sim: SimServer;
let client: OpenAI;
beforeAll(async () => {
  sim = await startSim({ fleet: withoutErrors(DEFAULT_FLEET), timeScale: 0, seed: 4 });
  client = new OpenAI({ baseURL: `${sim.url}/v1`, apiKey: 'sim', maxRetries: 0 });
});
afterAll(async () => {
  await sim.close();
});

describe('the official OpenAI SDK against the simulator', () => {
  it('reads completions, streams with usage, tool calls and typed errors', async () => {
    const messages = [{ role: 'user' as const, content: 'Give me three tips for sleeping well.' }];
    const whole = await client.chat.completions.create({ model: 'sim-standard', messages });
    expect(whole.choices[0]!.message.content).toContain('sim-standard');

    const stream = await client.chat.completions.create({ model: 'sim-standard', messages, stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe(whole.choices[0]!.message.content);
    expect(usage?.total_tokens).toBe(whole.usage?.total_tokens);

    const withTool = await client.chat.completions.create({
      model: 'sim-mini',
      messages,
      tools: [
        { type: 'function', function: { name: 'set_alarm', parameters: { type: 'object', properties: { time: { type: 'string', format: 'date-time' } } } } },
      ],
    });
    expect(
      JSON.parse(withTool.choices[0]!.message.tool_calls![0]!.type === 'function' ? withTool.choices[0]!.message.tool_calls![0]!.function.arguments : '{}'),
    ).toEqual({ time: '2024-05-01T12:00:00Z' });

    await expect(client.chat.completions.create({ model: 'missing', messages })).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });
});
