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
 * Wrapping `connect` before nock captures it makes the passthrough sockets disable Nagle as
 * soon as they connect, as the clients asked. It changes nothing else: Node's http server,
 * node:http's Agent and undici already disable Nagle on the sockets they own.
 */
function disableNagleOnConnect(): void {
  const registry = globalThis as { [APPLIED]?: boolean };
  if (registry[APPLIED]) return;
  registry[APPLIED] = true;
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function (this: net.Socket & { [ARMED]?: boolean }, ...args) {
    if (!this[ARMED]) {
      this[ARMED] = true;
      // Pipes (Unix sockets) have no Nagle; setNoDelay is a no-op on them.
      this.once('connect', () => this.setNoDelay(true));
    }
    return Reflect.apply(connect, this, args);
  } as typeof connect;
}

disableNagleOnConnect();
