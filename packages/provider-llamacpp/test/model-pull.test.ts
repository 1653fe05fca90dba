import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type PullProgress, pullModel } from '../src/model-pull.js';
import { writeTinyGguf } from './fixtures/tiny-gguf.js';

interface Served {
  url: string;
  seen: Array<{ path: string; authorization: string | undefined }>;
  close(): Promise<void>;
}

/** Serves `body` at every path; `chunked` leaves content-length out. */
async function serve(body: Buffer, { chunked = false } = {}): Promise<Served> {
  const seen: Served['seen'] = [];
  const server = http.createServer((req, res) => {
    seen.push({ path: req.url ?? '', authorization: req.headers.authorization });
    res.writeHead(200, chunked ? {} : { 'content-length': String(body.length) });
    // Several chunks, so progress and the running size check are exercised.
    const step = Math.max(1, Math.ceil(body.length / 8));
    for (let at = 0; at < body.length; at += step) res.write(body.subarray(at, at + step));
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

let dir: string;
let model: Buffer;
let served: Served | undefined;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metaspo-pull-'));
  model = fs.readFileSync(writeTinyGguf(path.join(dir, 'source.gguf')).file);
});
afterEach(async () => {
  await served?.close();
  served = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

const modelsDir = () => path.join(dir, 'models');

describe('pullModel', () => {
  it('downloads a URL into the models directory with progress, and nothing else there', async () => {
    served = await serve(model);
    const progress: PullProgress[] = [];
    const pulled = await pullModel({
      ref: `${served.url}/files/tiny.gguf`,
      dir: modelsDir(),
      maxBytes: 10 * 1024 * 1024,
      onProgress: (p) => progress.push(p),
    });
    expect(pulled).toEqual({
      file: path.join(modelsDir(), 'tiny.gguf'),
      fileName: 'tiny.gguf',
      bytes: model.length,
    });
    expect(fs.readFileSync(pulled.file).equals(model)).toBe(true);
    expect(fs.readdirSync(modelsDir())).toEqual(['tiny.gguf']);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toEqual({ receivedBytes: model.length, totalBytes: model.length });
  });

  it('maps hf:user/repo/file to the Hugging Face resolve URL and sends HF_TOKEN only there', async () => {
    served = await serve(model);
    await pullModel({
      ref: 'llamacpp:hf:someone/tiny-repo/quant/tiny-q8.gguf',
      dir: modelsDir(),
      maxBytes: 10 * 1024 * 1024,
      env: { HF_ENDPOINT: served.url, HF_TOKEN: 'hf_test_token' },
    });
    expect(served.seen).toEqual([
      { path: '/someone/tiny-repo/resolve/main/quant/tiny-q8.gguf', authorization: 'Bearer hf_test_token' },
    ]);
    expect(fs.existsSync(path.join(modelsDir(), 'tiny-q8.gguf'))).toBe(true);
  });

  it('refuses a file over the limit from its content-length, before reading it', async () => {
    served = await serve(model);
    await expect(
      pullModel({ ref: `${served.url}/big.gguf`, dir: modelsDir(), maxBytes: model.length - 1 }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining(
        `is ${model.length} bytes, over the limit of ${model.length - 1} bytes`,
      ),
    });
    expect(fs.readdirSync(modelsDir())).toEqual([]);
  });

  it('stops a download without a length as soon as it passes the limit, leaving no partial file', async () => {
    served = await serve(model, { chunked: true });
    const limit = Math.floor(model.length / 2);
    await expect(
      pullModel({ ref: `${served.url}/big.gguf`, dir: modelsDir(), maxBytes: limit }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining(`passed ${limit} bytes`),
    });
    expect(fs.readdirSync(modelsDir())).toEqual([]);
  });

  it('refuses what is not a GGUF file, an existing file without overwrite, and a non-.gguf name', async () => {
    served = await serve(Buffer.from('<html>login required</html>'));
    await expect(
      pullModel({ ref: `${served.url}/page.gguf`, dir: modelsDir(), maxBytes: 1024 }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('not a GGUF model') });
    expect(fs.readdirSync(modelsDir())).toEqual([]);
    fs.writeFileSync(path.join(modelsDir(), 'page.gguf'), 'kept');
    await expect(
      pullModel({ ref: `${served.url}/page.gguf`, dir: modelsDir(), maxBytes: 1024 }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(fs.readFileSync(path.join(modelsDir(), 'page.gguf'), 'utf8')).toBe('kept');
    await expect(
      pullModel({ ref: `${served.url}/weights.bin`, dir: modelsDir(), maxBytes: 1024 }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('must end in .gguf') });
    await expect(
      pullModel({ ref: 'hf:only-user/x.gguf', dir: modelsDir(), maxBytes: 1024 }),
    ).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('expected hf:<user>/<repo>/<file>.gguf'),
    });
    expect(served.seen.map((s) => s.path)).toEqual(['/page.gguf']);
  });

  it('downloads nothing for a signal aborted before the pull starts', async () => {
    served = await serve(model);
    const stopped = new AbortController();
    stopped.abort(new Error('stopped by the caller'));
    await expect(
      pullModel({
        ref: `${served.url}/files/tiny.gguf`,
        dir: modelsDir(),
        maxBytes: 10 * 1024 * 1024,
        signal: stopped.signal,
      }),
    ).rejects.toThrow();
    expect(served.seen).toEqual([]);
    expect(fs.existsSync(path.join(modelsDir(), 'tiny.gguf'))).toBe(false);
  });
});
