import * as grpc from '@grpc/grpc-js';

/** How often a channel whose peer's name did not resolve asks again. */
export const RERESOLVE_EVERY_MS = 1000;

/**
 * Keeps a channel asking for its peer's address while the name does not resolve.
 *
 * grpc-js gives up on a name after a failed lookup and its one retry: the channel stays in
 * TRANSIENT_FAILURE and a waitForReady call or stream on it waits out its deadline, however soon
 * the name appears. In a Docker Swarm a service's name resolves only once its task is running, so a
 * general that starts before its peers would never reach them. Asking the channel to connect makes
 * it resolve again; this does so every second for as long as it is in TRANSIENT_FAILURE, and stops
 * when the channel is closed.
 */
export function keepResolving(channel: grpc.ChannelInterface): void {
  let retry: NodeJS.Timeout | undefined;
  const watch = (state: grpc.connectivityState) => {
    if (state === grpc.connectivityState.SHUTDOWN) return;
    channel.watchConnectivityState(state, Infinity, () => {
      const now = channel.getConnectivityState(false);
      clearInterval(retry);
      retry = undefined;
      if (now === grpc.connectivityState.TRANSIENT_FAILURE) {
        retry = setInterval(() => channel.getConnectivityState(true), RERESOLVE_EVERY_MS);
        retry.unref();
      }
      watch(now);
    });
  };
  watch(channel.getConnectivityState(false));
}
