import net from 'node:net';

const APPLIED = Symbol.for('bm-oauth-harness.intercept.tcp-nodelay');
const ARMED = Symbol('bm-oauth-harness.tcp-nodelay-armed');

/**
 * Must run before nock is first imported (install.ts imports this module first).
 *
 * nock 15 intercepts at the socket level (@mswjs/interceptors 0.44): every connection,
 * loopback included, gets a mock socket, and requests that nock lets through are replayed
 * onto a second, "passthrough" socket that it connects with the `Socket.prototype.connect`
 * it found when it was loaded. A client's `setNoDelay(true)` (undici and node:http both
 * call it) lands on the mock socket only, so the passthrough socket keeps Nagle's algorithm
 * on, and any request whose headers and body are written separately (every fetch POST, most
 * http.request POSTs) waits for the server's delayed ACK: ~40 ms per request on Linux. That
 * made one sign-in flow (a dozen loopback POSTs) take ~300 ms instead of ~30 ms.
 *
 * The fix wraps `Socket.prototype.connect`, whichever one is in place:
 * - loaded before nock (install.ts imports this module first), the wrapper is the `connect`
 *   nock captures, so every passthrough socket disables Nagle once connected;
 * - loaded after nock (a test imported nock first), the wrapper sits on top of nock's and
 *   can only put `noDelay: true` into the connect options, which nock passes on to the
 *   passthrough sockets it makes for fetch (undici); node:http passthroughs then keep the
 *   ~40 ms delay (measured), so import the harness before nock.
 * Sockets whose owner asked for `noDelay: false` are left alone. Node's http server,
 * node:http's Agent and undici already disable Nagle on the sockets they own, so nothing
 * changes but the delay.
 */
type ConnectOptions = { noDelay?: boolean } | undefined;

function optionsOf(args: unknown[]): ConnectOptions {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  return first && typeof first === 'object' ? (first as ConnectOptions) : undefined;
}

function disableNagleOnConnect(): void {
  const registry = globalThis as { [APPLIED]?: boolean };
  if (registry[APPLIED]) return;
  registry[APPLIED] = true;
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function (
    this: net.Socket & { [ARMED]?: boolean },
    ...args: unknown[]
  ) {
    const options = optionsOf(args);
    if (options && options.noDelay === undefined) options.noDelay = true;
    if (!this[ARMED] && options?.noDelay !== false) {
      this[ARMED] = true;
      // Pipes (Unix sockets) have no Nagle; setNoDelay is a no-op on them.
      this.once('connect', () => this.setNoDelay(true));
    }
    return Reflect.apply(connect, this, args);
  } as typeof connect;
}

disableNagleOnConnect();
