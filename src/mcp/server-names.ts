/** The MCP servers aigw serves, without the SDK: the gateway registers their routes at start and loads the SDK on the first call. */
export const MCP_SERVER_NAMES = ['intelligence-router', 'cost-tracker'] as const;
export type McpServerName = (typeof MCP_SERVER_NAMES)[number];

export function isMcpServerName(name: string): name is McpServerName {
  return (MCP_SERVER_NAMES as readonly string[]).includes(name);
}
