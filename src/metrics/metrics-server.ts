import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ListenError } from '../net/errors.js';

/** The path Prometheus scrapes by default. */
export const METRICS_PATH = '/metrics';

export type Exposition = () => Promise<{ body: string; contentType: string }>;

/**
 * The Prometheus endpoint: GET /metrics over plain HTTP, on its own port (METRICS_PORT), beside the
 * gRPC server. It says how much a general did, never what was said, and is meant for the cluster's
 * private network: compose and the docs expose it there, never on a published port.
 */
export class MetricsServer {
  private constructor(
    private readonly server: Server,
    readonly host: string,
    readonly port: number,
  ) {}

  get url(): string {
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `http://${host}:${this.port}${METRICS_PATH}`;
  }

  /** Binds HOST:PORT (PORT 0 picks a free one); rejects with a ListenError naming the address. */
  static listen(host: string, port: number, exposition: Exposition): Promise<MetricsServer> {
    const server = createServer((request, response) => {
      const path = (request.url ?? '').split('?')[0];
      if (path !== METRICS_PATH) {
        response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
        response.end(`not found: metrics are at ${METRICS_PATH}\n`);
        return;
      }
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
        response.end(`${request.method} is not allowed: GET ${METRICS_PATH}\n`);
        return;
      }
      exposition().then(
        ({ body, contentType }) => {
          response.writeHead(200, { 'content-type': contentType });
          response.end(request.method === 'HEAD' ? undefined : body);
        },
        (error: unknown) => {
          response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
          response.end(`cannot collect metrics: ${String(error)}\n`);
        },
      );
    });
    // A scrape is one short request; an idle keep-alive connection must not hold a shutdown.
    server.keepAliveTimeout = 5000;
    return new Promise((resolve, reject) => {
      server.once('error', (error) => {
        reject(
          new ListenError(`cannot serve metrics on ${host}:${port}: ${error.message}`, { cause: error }),
        );
      });
      server.listen(port, host, () => {
        const bound = (server.address() as AddressInfo).port;
        resolve(new MetricsServer(server, host, bound));
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
