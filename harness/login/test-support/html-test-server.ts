import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Test-only: a tiny hand-written HTML site on 127.0.0.1:0 for pinning the login walker. */
export interface TestRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  form: URLSearchParams;
  cookies: Record<string, string>;
}

export interface TestResponse {
  status?: number;
  headers?: Record<string, string | string[]>;
  html?: string;
}

export interface HtmlTestServer {
  url: string;
  requests: TestRequest[];
  close(): Promise<void>;
}

export async function startHtmlServer(
  handle: (req: TestRequest, base: string) => TestResponse,
): Promise<HtmlTestServer> {
  const requests: TestRequest[] = [];
  let base = '';
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const cookies: Record<string, string> = {};
      for (const part of (req.headers.cookie ?? '').split(';')) {
        const [k, ...v] = part.trim().split('=');
        if (k) cookies[k] = v.join('=');
      }
      const request: TestRequest = {
        method: req.method ?? 'GET',
        url: new URL(req.url ?? '/', base),
        headers: req.headers,
        form: new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
        cookies,
      };
      requests.push(request);
      const out = handle(request, base);
      const headers = { 'content-type': 'text/html; charset=utf-8', ...out.headers };
      res.writeHead(out.status ?? 200, headers);
      res.end(out.html ?? '');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    requests,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

export const redirect = (location: string, status = 302): TestResponse => ({
  status,
  headers: { location },
});
