import type { GatewayConfig } from '../../config/schema.ts';
import { createNotDiamondBackend } from './notdiamond.ts';
import { createRouteLlmBackend } from './routellm.ts';
import { builtinRoutingBackend, type RoutingBackend } from './routing-backend.ts';

/** The routing backend a config names; throws at start-up (not per request) on a backend that names unknown models. */
export function createRoutingBackend(config: GatewayConfig): RoutingBackend {
  const backend = config.routing.backend;
  switch (backend.type) {
    case 'builtin':
      return builtinRoutingBackend;
    case 'notdiamond':
      return createNotDiamondBackend(config, backend);
    case 'routellm':
      return createRouteLlmBackend(config, backend);
  }
}
