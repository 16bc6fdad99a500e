/** One named SSE event (`event:` then `data:`), as Anthropic streams are framed. */
export function sseEvent(name: string, value: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(value)}\n\n`;
}
