import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { COST_TRACKER_TOOLS } from './cost-tracker-tools.ts';
import { INTELLIGENCE_ROUTER_TOOLS } from './intelligence-router-tools.ts';
import { registerOptimizePrompt } from './optimize-prompt.ts';
import type { ToolContext } from './tool-context.ts';
import { registerToolSpecs, type AnyToolSpec } from './tool-spec.ts';

import type { McpServerName } from './server-names.ts';

export { MCP_SERVER_NAMES, isMcpServerName, type McpServerName } from './server-names.ts';

const TOOLS: Record<McpServerName, readonly AnyToolSpec[]> = {
  'intelligence-router': INTELLIGENCE_ROUTER_TOOLS,
  'cost-tracker': COST_TRACKER_TOOLS,
};

const INSTRUCTIONS: Record<McpServerName, string> = {
  'intelligence-router':
    "Analyses of this aigw gateway's routing history: traffic, quality, patterns, model performance, routing decisions in hindsight, bottlenecks, and recommendations whose impact is computed by replaying the history. Start with the optimize_llm_routing prompt.",
  'cost-tracker': 'Spend of this aigw gateway: costs by model, task type, key and tier, cost drivers, and a plan for a target cost reduction.',
};

/** One MCP server over `ctx`; the caller connects it to a transport (stdio, or one HTTP request). */
export function createMcpServer(name: McpServerName, ctx: ToolContext): McpServer {
  const server = new McpServer({ name: `aigw-${name}`, version: '0.1.0' }, { instructions: INSTRUCTIONS[name], capabilities: { tools: {}, prompts: {} } });
  registerToolSpecs(server, ctx, TOOLS[name]);
  registerOptimizePrompt(server);
  return server;
}
