import { IncomingMessage, type ServerResponse } from 'node:http';
import type { Request } from 'express';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * oidc-provider reads request bodies itself and only grudgingly (with a warning) uses a body
 * parsed upstream. The hooks in front of it parse urlencoded bodies (to see the client and
 * grant, to rewrite misbehave parameters and to answer 413), so hand it a fresh
 * IncomingMessage carrying the (possibly rewritten) body, re-encoded, with a matching length.
 */
export function withReplayedBody(handler: Handler) {
  return (req: Request, res: ServerResponse) => {
    if (req.readable || !req.body || typeof req.body !== 'object') {
      handler(req, res);
      return;
    }
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(req.body as Record<string, unknown>)) {
      for (const v of Array.isArray(value) ? value : [value]) form.append(key, String(v));
    }
    const bytes = Buffer.from(form.toString(), 'utf8');
    const replay = new IncomingMessage(req.socket);
    replay.method = req.method;
    replay.url = req.originalUrl;
    replay.httpVersionMajor = req.httpVersionMajor;
    replay.httpVersionMinor = req.httpVersionMinor;
    replay.httpVersion = req.httpVersion;
    replay.headers = {
      ...req.headers,
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': String(bytes.length),
    };
    delete replay.headers['transfer-encoding'];
    replay.push(bytes);
    replay.push(null);
    // Otherwise destroying the (ended) replay counts as an aborted request and kills the socket.
    replay.complete = true;
    handler(replay, res);
  };
}
