import http from 'node:http';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The response was cut before its end (the connection was destroyed). */
  aborted: boolean;
}

export interface RawRequest {
  method?: string;
  /** Sent as is: it may be malformed. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/**
 * One HTTP request with full control over path and headers (fetch normalises the path and sets
 * Host and Origin itself). `setHost: false` sends no Host header at all.
 */
export function rawRequest(port: number, request: RawRequest, setHost = true): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: request.method ?? 'GET',
        path: request.path,
        headers: request.headers,
        setHost,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let aborted = false;
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('aborted', () => {
          aborted = true;
        });
        res.on('error', () => {
          aborted = true;
        });
        res.on('close', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            aborted: aborted || !res.complete,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(request.body);
  });
}
