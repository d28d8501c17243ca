import http from 'node:http';

export interface RawRequest {
  method: string;
  /** Path plus query, sent as written (no normalisation). */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/**
 * Sends a request exactly as given with node:http (fetch would normalise the method, path
 * and headers), over a fresh connection, with a hard time limit.
 */
export function sendRaw(origin: string, req: RawRequest, timeoutMs = 5000): Promise<RawResponse> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers };
    if (req.body !== undefined) headers['content-length'] = String(req.body.length);
    const r = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: req.method,
        path: req.path,
        headers,
        agent: false,
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    r.on('timeout', () => r.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    r.on('error', reject);
    r.end(req.body);
  });
}

export function jsonOf(res: RawResponse): unknown {
  try {
    return JSON.parse(res.text);
  } catch {
    return undefined;
  }
}

export function isJson(res: RawResponse): boolean {
  return /^application\/(.+\+)?json\b/i.test(String(res.headers['content-type'] ?? ''));
}

export function describe(req: RawRequest, res?: RawResponse): string {
  const body = req.body ? ` body=${JSON.stringify(req.body.toString('latin1').slice(0, 200))}` : '';
  const answer = res
    ? ` → ${res.status} ${res.headers['content-type'] ?? ''} ${res.text.slice(0, 200)}`
    : '';
  return `${req.method} ${req.path.slice(0, 300)} ${JSON.stringify(req.headers)}${body}${answer}`;
}
