/**
 * A loopback TCP proxy a test controls: it forwards every connection to `target`, counts them, and
 * can cut every open one at once, as a network fault would. TLS passes through it untouched.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  readonly port: number;
  /** Connections accepted so far. */
  readonly connections: () => number;
  /** Bytes forwarded towards the target so far. */
  readonly bytesIn: () => number;
  /** Destroys every open connection (both sides); new ones are still accepted. */
  cut(): number;
  close(): Promise<void>;
}

/** `target` is asked at each new connection, so a proxy can exist before what it forwards to. */
export function tcpProxy(target: () => number, host = '127.0.0.1'): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let accepted = 0;
  let forwarded = 0;
  const server: Server = createServer((client) => {
    accepted++;
    const upstream = connect(target(), host);
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.once('close', () => open.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk: Buffer) => {
      forwarded += chunk.length;
    });
    client.pipe(upstream);
    upstream.pipe(client);
  });
  return new Promise((ready, fail) => {
    server.once('error', fail);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      ready({
        port,
        connections: () => accepted,
        bytesIn: () => forwarded,
        cut() {
          const count = open.size;
          for (const socket of open) socket.destroy();
          return count;
        },
        close: () =>
          new Promise<void>((done) => {
            for (const socket of open) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
