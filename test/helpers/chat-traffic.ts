/**
 * Workers that send chat requests (plain, streamed, routed) to a gateway until it goes away or
 * `stop()` is called, collecting the ids of the requests that were fully answered.
 */
export function startChatTraffic(url: string, workers: number): { answered: string[]; stop(): Promise<void> } {
  const answered: string[] = [];
  let stopped = false;
  const worker = async (n: number) => {
    for (let i = 0; !stopped; i++) {
      try {
        const res = await fetch(`${url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            model: i % 2 ? 'auto' : 'sim-nano',
            stream: i % 3 === 0,
            messages: [{ role: 'user', content: `Worker ${n} request ${i}: summarize this.` }],
          }),
        });
        const text = await res.text();
        const id = res.headers.get('x-aigw-request-id');
        if (res.status === 200 && id && (text.includes('[DONE]') || text.includes('"choices"'))) answered.push(id);
      } catch {
        stopped = true; // connection refused: the gateway is gone
      }
    }
  };
  const running = Array.from({ length: workers }, (_, n) => worker(n));
  return {
    answered,
    async stop() {
      stopped = true;
      await Promise.all(running);
    },
  };
}
