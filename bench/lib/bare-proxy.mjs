/**
 * The floor of `npm run bench:overhead`: the thinnest Node.js proxy that does what a gateway must,
 * so the bench can show what any Node gateway on this machine can reach. It reads the request body,
 * sends it unchanged to the upstream through an undici keep-alive pool (the HTTP client aigw uses,
 * with aigw's pool settings) and writes the upstream's answer back: one `end()` for a JSON answer,
 * chunks as they come for a stream. No parsing, routing, logging, validation or metrics.
 *
 * Plain JavaScript, no tsx: nothing loads that the proxy does not need. Started with `fork`
 * (bench/lib/child-processes.ts) and the upstream's origin as its argument; sends `{ url }` once
 * listening and closes on SIGTERM or when the parent goes away.
 */
import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';
import { Pool } from 'undici';

const upstream = process.argv[2];
if (!upstream) throw new Error('usage: bare-proxy.mjs UPSTREAM_ORIGIN');
const pool = new Pool(upstream, { connections: 128, keepAliveTimeout: 30_000, pipelining: 1 });
const REQUEST_HEADERS = { 'content-type': 'application/json' };

/** An undici dispatch handler (controller style, as aigw's) that hands the answer to `res`. */
class Forward {
  constructor(res) {
    this.res = res;
    this.chunks = undefined;
  }

  onRequestStart() {}

  onResponseStart(_controller, status, headers) {
    if (status < 200) return;
    const length = headers['content-length'];
    const out = { 'content-type': headers['content-type'] ?? 'application/json' };
    // A sized answer (JSON) is gathered and written in one go; an unsized one (a stream) goes through as it comes.
    if (length !== undefined) {
      out['content-length'] = length;
      this.chunks = [];
    }
    this.res.writeHead(status, out);
  }

  onResponseData(_controller, chunk) {
    if (this.chunks) this.chunks.push(chunk);
    else this.res.write(chunk);
  }

  onResponseEnd() {
    const chunks = this.chunks;
    if (!chunks) this.res.end();
    else this.res.end(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
  }

  onResponseError(_controller, err) {
    if (this.res.headersSent) {
      this.res.destroy(err);
      return;
    }
    this.res.writeHead(502, REQUEST_HEADERS).end(JSON.stringify({ error: { message: String(err?.message ?? err) } }));
  }
}

const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    pool.dispatch({ method: 'POST', path: req.url, headers: REQUEST_HEADERS, body }, new Forward(res));
  });
});

server.listen(0, '127.0.0.1', () => {
  process.send?.({ url: `http://127.0.0.1:${server.address().port}` });
});

const stop = () => {
  server.close();
  server.closeAllConnections();
  void pool.close().finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('disconnect', stop);
