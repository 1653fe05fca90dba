import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-io.js';

const UPLOAD_LIMIT_BYTES = 64 * 1024 * 1024;

export function readRawBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > UPLOAD_LIMIT_BYTES) {
        reject(new HttpError(413, `upload exceeds ${UPLOAD_LIMIT_BYTES} bytes`));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

export interface FormPart {
  filename?: string;
  data: Buffer;
}

/** The named parts of a multipart/form-data body (enough for the files API: fields and one file). */
export function parseMultipart(body: Buffer, contentType: string | undefined): Map<string, FormPart> {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? '');
  const marker = boundary?.[1] ?? boundary?.[2];
  if (!marker || !contentType?.startsWith('multipart/form-data')) {
    throw new HttpError(400, 'expected a multipart/form-data body');
  }
  const delimiter = Buffer.from(`--${marker}`);
  const parts = new Map<string, FormPart>();
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const from = start + delimiter.length;
    const next = body.indexOf(delimiter, from);
    if (next === -1) break;
    // Each part: CRLF, headers, CRLF CRLF, data, CRLF before the next delimiter.
    const part = body.subarray(from + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const name = /name="([^"]*)"/i.exec(headers)?.[1];
      const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
      if (name !== undefined) {
        parts.set(name, {
          ...(filename === undefined ? {} : { filename }),
          data: part.subarray(headerEnd + 4),
        });
      }
    }
    start = next;
  }
  return parts;
}
