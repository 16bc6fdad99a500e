import type { Picker } from '../seeded-random.ts';

export interface DemoMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** An OpenAI function tool, as the SDK sends it. */
export interface DemoTool {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

/** What one template produces from its slot fillers. */
export interface PromptBody {
  messages: DemoMessage[];
  tools?: DemoTool[];
  /** Ask for `response_format: {type: 'json_object'}`. */
  jsonMode?: boolean;
}

export interface PromptTemplate {
  /** Unique within its task type; names the template in request ids and reports. */
  name: string;
  build(pick: Picker): PromptBody;
}

export function user(content: string): DemoMessage {
  return { role: 'user', content };
}

export function system(content: string): DemoMessage {
  return { role: 'system', content };
}

export function assistant(content: string): DemoMessage {
  return { role: 'assistant', content };
}

/** A one-message prompt, optionally behind a system message. */
export function single(content: string, systemContent?: string): PromptBody {
  return { messages: systemContent ? [system(systemContent), user(content)] : [user(content)] };
}

export function functionTool(name: string, description: string, properties: Record<string, unknown>, required: string[]): DemoTool {
  return { type: 'function', function: { name, description, parameters: { type: 'object', properties, required } } };
}
