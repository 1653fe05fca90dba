import http from 'node:http';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The response was cut before its end (the connection was destroyed). */
  aborted: boolean;
  /** An event stream: only its status and headers were read, then the connection was closed. */
  stream: boolean;
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
 * Host and Origin itself). `setHost: false` sends no Host header at all. An answer that takes
 * longer than `timeoutMs` rejects: a server must not hang on a request either.
 */
export function rawRequest(
  port: number,
  request: RawRequest,
  setHost = true,
  timeoutMs = 15_000,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      req.destroy();
      reject(
        new Error(
          `no answer within ${timeoutMs} ms to ${request.method ?? 'GET'} ${request.path.slice(0, 200)}`,
        ),
      );
    }, timeoutMs);
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: request.method ?? 'GET',
        path: request.path,
        // Node sends a DELETE or OPTIONS body unframed unless its length is given.
        headers:
          request.body === undefined
            ? request.headers
            : { 'content-length': String(Buffer.byteLength(request.body)), ...request.headers },
        setHost,
        agent: false,
      },
      (res) => {
        if (String(res.headers['content-type']).startsWith('text/event-stream')) {
          // A stream does not end: its first events (an error, if the input was bad) are enough.
          let events = '';
          const finish = () => {
            clearTimeout(timer);
            clearTimeout(streamTimer);
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: events,
              aborted: false,
              stream: true,
            });
            req.destroy();
          };
          const streamTimer = setTimeout(finish, 300);
          res.on('data', (chunk: Buffer) => {
            events += chunk.toString('utf8');
            // The first event is `connected`; the next one is the answer (data or an error).
            if ((events.match(/^data: /gm)?.length ?? 0) >= 2 && events.endsWith('\n\n')) finish();
          });
          return;
        }
        const chunks: Buffer[] = [];
        let aborted = false;
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('aborted', () => {
          aborted = true;
        });
        res.on('error', () => {
          aborted = true;
        });
        res.on('close', () => {
          clearTimeout(timer);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            aborted: aborted || !res.complete,
            stream: false,
          });
        });
      },
    );
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end(request.body);
  });
}
