import type { FastifyInstance } from 'fastify';
import type { Gateway } from '../../pipeline/gateway-types.ts';
import { MCP_SERVER_NAMES, type McpServerName } from '../../mcp/server-names.ts';
import { contextOfStore } from '../../mcp/store-context.ts';
import { GatewayError } from '../../util/errors.ts';

/**
 * The MCP servers over Streamable HTTP at /mcp/<name> (admin key: the onRequest hook treats /mcp/
 * as admin). Stateless: each POST gets a fresh server and transport, so any replica can answer
 * any request and nothing is kept between calls. Server-initiated streams (GET) and session
 * deletion (DELETE) have no meaning without sessions: 405.
 */
export function registerMcpRoutes(app: FastifyInstance, gateway: () => Gateway): void {
  for (const name of MCP_SERVER_NAMES) {
    const path = `/mcp/${name}`;
    app.post(path, async (req, reply) => {
      reply.hijack();
      await serveOneMcpRequest(name, gateway, req.raw, reply.raw, req.body);
    });
    app.route({
      method: ['GET', 'DELETE'],
      url: path,
      handler: async (_req, reply) => {
        reply.header('allow', 'POST');
        throw new GatewayError(405, 'invalid_request_error', `${path} is stateless: send JSON-RPC with POST.`, { code: 'method_not_allowed' });
      },
    });
  }
}

async function serveOneMcpRequest(
  name: McpServerName,
  gateway: () => Gateway,
  req: import('node:http').IncomingMessage,
  res: import('node:http').ServerResponse,
  body: unknown,
): Promise<void> {
  // The MCP SDK (~25 MB with its dependencies) loads on the first MCP call, not with the gateway.
  const [{ StreamableHTTPServerTransport }, { createMcpServer }] = await Promise.all([
    import('@modelcontextprotocol/sdk/server/streamableHttp.js'),
    import('../../mcp/create-server.ts'),
  ]);
  const server = createMcpServer(
    name,
    contextOfStore(
      () => gateway().store,
      () => gateway().config,
    ),
  );
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  res.on('close', () => {
    void transport.close();
    void server.close();
  });
  try {
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  } catch (err) {
    gateway().logger.error({ err }, 'MCP request failed');
    if (!res.headersSent) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32603, message: 'Internal server error' }, id: null }));
    }
  }
}
