import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { InvalidArgumentError, type Command } from 'commander';
import { readConfig } from '../gateway/resolve-config.ts';
import { MCP_SERVER_NAMES, createMcpServer, isMcpServerName } from '../mcp/create-server.ts';
import { lazyConfiguredStoreContext } from './configured-store-context.ts';

/**
 * `aigw mcp <server>`: one MCP server over stdio for agents (Claude Desktop, the MCP Inspector).
 * stdout carries only the protocol; everything else goes to stderr.
 */
export function registerMcpCommands(program: Command): void {
  program
    .command('mcp')
    .description(`run an MCP server over stdio: ${MCP_SERVER_NAMES.join(' or ')} (reads the store of the config)`)
    .argument('<server>', MCP_SERVER_NAMES.join(' | '), (value) => {
      if (!isMcpServerName(value)) throw new InvalidArgumentError(`unknown MCP server "${value}"; choose ${MCP_SERVER_NAMES.join(' or ')}`);
      return value;
    })
    .action(async (name: (typeof MCP_SERVER_NAMES)[number]) => {
      const configPath = program.opts<{ config?: string }>().config;
      // A broken config is the operator's mistake: fail at start (exit 2), not on every tool call.
      readConfig(process.cwd(), configPath);
      const ctx = lazyConfiguredStoreContext(process.cwd(), configPath);
      const server = createMcpServer(name, ctx);
      const transport = new StdioServerTransport();
      const closed = new Promise<void>((resolve) => {
        transport.onclose = () => resolve();
        process.stdin.once('end', () => resolve());
      });
      await server.connect(transport);
      console.error(`aigw MCP server "${name}" on stdio.`);
      await closed;
      await server.close();
      await ctx.close();
    });
}
