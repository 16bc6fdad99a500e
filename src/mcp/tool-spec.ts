import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { AnalysisParamsError } from '../analytics/analysis-query.ts';
import { ConstraintsError } from './tool-inputs.ts';
import { InsufficientDataError, StoreUnavailableError, ToolArgumentError, messageOf, type ToolContext } from './tool-context.ts';

/** One MCP tool: zod input shape and output schema (the single source of its types), and what it runs. */
export interface ToolSpec<I extends z.ZodRawShape, O extends z.ZodObject> {
  name: string;
  title: string;
  description: string;
  input: I;
  output: O;
  run(ctx: ToolContext, args: z.output<z.ZodObject<I>>): Promise<z.output<O>>;
  /** One or two plain sentences for the text content, read by agents that ignore structuredContent. */
  summarize(result: z.output<O>): string;
}

/** Erases the generic parameters so specs of different shapes fit one list. */
export type AnyToolSpec = ToolSpec<z.ZodRawShape, z.ZodObject>;

export function defineTool<I extends z.ZodRawShape, O extends z.ZodObject>(spec: ToolSpec<I, O>): AnyToolSpec {
  return spec;
}

export function registerToolSpecs(server: McpServer, ctx: ToolContext, specs: readonly AnyToolSpec[]): void {
  for (const spec of specs) {
    server.registerTool(
      spec.name,
      {
        title: spec.title,
        description: spec.description,
        inputSchema: spec.input,
        outputSchema: spec.output,
        annotations: { readOnlyHint: true, openWorldHint: false },
      },
      async (args: Record<string, unknown>) => runToolSpec(spec, ctx, args),
    );
  }
}

export async function runToolSpec(spec: AnyToolSpec, ctx: ToolContext, args: Record<string, unknown>): Promise<CallToolResult> {
  try {
    const result = await spec.run(ctx, args);
    const structured = spec.output.parse(result);
    return {
      structuredContent: structured,
      content: [{ type: 'text', text: `${spec.summarize(result)}\n\n${JSON.stringify(structured, null, 2)}` }],
    };
  } catch (err) {
    return toolError(err);
  }
}

/** A tool failure the agent can act on: what went wrong and what to do, never a stack trace. */
export function toolError(err: unknown): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: describeToolError(err) }] };
}

function describeToolError(err: unknown): string {
  if (err instanceof StoreUnavailableError) return `Store unavailable: ${err.message}. Check the gateway's store (database_url / store.dir) and retry later.`;
  if (err instanceof InsufficientDataError) return `Insufficient data: ${err.message}. Extend the timeframe or collect more traffic, then retry.`;
  if (err instanceof ToolArgumentError || err instanceof ConstraintsError || err instanceof AnalysisParamsError) return `Invalid arguments: ${err.message}`;
  if (err instanceof z.ZodError) return `Invalid arguments: ${err.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ')}`;
  return `Tool failed: ${messageOf(err)}`;
}
