/**
 * A loopback TCP proxy a test controls: it forwards every connection to `target`, counts them, and
 * can cut every open one at once, or freeze them (as a machine that vanished without a word: the
 * connections stay open and nothing more goes through), as a network fault would. TLS passes
 * through it untouched.
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
  /** Stops forwarding on every open connection, leaving it open; new ones are forwarded. */
  freeze(): number;
  close(): Promise<void>;
}

/** `target` is asked at each new connection, so a proxy can exist before what it forwards to. */
export function tcpProxy(target: () => number, host = '127.0.0.1'): Promise<TcpProxy> {
  const open = new Set<Socket>();
  const pairs = new Map<Socket, Socket>();
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
    pairs.set(client, upstream);
    client.once('close', () => pairs.delete(client));
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
        freeze() {
          for (const [client, upstream] of pairs) {
            client.unpipe(upstream);
            upstream.unpipe(client);
            client.pause();
            upstream.pause();
          }
          const count = pairs.size;
          pairs.clear();
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
