import type { ChatRequest, ToolChoice, ToolDefinition } from '../chat-schema.ts';
import type { JsonRecord } from '../shared/wire-json.ts';

/**
 * Anthropic has no JSON mode, so a json_schema response format without client tools becomes a forced
 * tool whose input is the answer (reliable across every Claude model); the response mappers turn that
 * tool call back into text. The name is namespaced so a client tool cannot collide with it.
 */
export const JSON_RESPONSE_TOOL_NAME = 'aigw_json_response';

export interface AnthropicToolSettings {
  tools?: JsonRecord[];
  tool_choice?: JsonRecord;
  /** Appended to the system prompt when JSON output can only be asked for in words. */
  jsonInstruction?: string;
  /** Whether a forced tool choice is in effect (extended thinking cannot be combined with one). */
  forcesTool: boolean;
}

function convertTool(tool: ToolDefinition): JsonRecord {
  const converted: JsonRecord = {
    name: tool.function.name,
    input_schema: tool.function.parameters ?? { type: 'object', properties: {} },
  };
  if (tool.function.description) converted.description = tool.function.description;
  return converted;
}

function convertToolChoice(choice: ToolChoice | undefined, parallel: boolean | undefined): JsonRecord | undefined {
  let converted: JsonRecord | undefined;
  if (choice === undefined) converted = parallel === false ? { type: 'auto' } : undefined;
  else if (choice === 'auto') converted = { type: 'auto' };
  else if (choice === 'none') converted = { type: 'none' };
  else if (choice === 'required') converted = { type: 'any' };
  else converted = { type: 'tool', name: choice.function.name };
  if (converted && parallel === false && converted.type !== 'none') converted.disable_parallel_tool_use = true;
  return converted;
}

export function convertToAnthropicTools(req: ChatRequest): AnthropicToolSettings {
  const format = req.response_format;
  const hasClientTools = (req.tools?.length ?? 0) > 0;
  if (format?.type === 'json_schema' && !hasClientTools) {
    const schema = format.json_schema.schema ?? { type: 'object' };
    return {
      tools: [
        {
          name: JSON_RESPONSE_TOOL_NAME,
          description: 'Respond with a JSON object that matches this schema.',
          input_schema: schema,
        },
      ],
      tool_choice: { type: 'tool', name: JSON_RESPONSE_TOOL_NAME },
      forcesTool: true,
    };
  }
  const settings: AnthropicToolSettings = { forcesTool: false };
  // Tools stay defined even with tool_choice none: Anthropic rejects history with tool_use blocks otherwise.
  if (hasClientTools) {
    settings.tools = (req.tools ?? []).map(convertTool);
    const toolChoice = convertToolChoice(req.tool_choice, req.parallel_tool_calls);
    if (toolChoice) settings.tool_choice = toolChoice;
    settings.forcesTool = toolChoice?.type === 'any' || toolChoice?.type === 'tool';
  }
  if (format?.type === 'json_object') {
    settings.jsonInstruction = 'Respond only with a valid JSON object, without any text before or after it.';
  } else if (format?.type === 'json_schema') {
    settings.jsonInstruction = `Respond only with a valid JSON object that matches this JSON schema, without any text before or after it:\n${JSON.stringify(
      format.json_schema.schema ?? {},
    )}`;
  }
  return settings;
}
