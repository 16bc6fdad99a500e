import type { UpstreamTarget } from '../types.ts';

/** The model name the upstream knows, which may differ from the catalog id clients ask for. */
export function upstreamModelName(target: UpstreamTarget): string {
  return target.model.upstream_model ?? target.model.id;
}

/** Used only when the upstream response carries no id of its own. */
export function fallbackCompletionId(requestId: string): string {
  return `chatcmpl-${requestId}`;
}

export function nowUnixSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
