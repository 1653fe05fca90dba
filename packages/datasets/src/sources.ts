import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { DomainError, sha256Hex } from '@metaspo/service-kit';
import { type CatalogFile, rawUrl } from './catalog/index.js';
import { importError } from './importers/errors.js';
import { assertWithinLimit, type LoadedFile } from './importers/parse.js';

export type FetchLike = (url: string, init?: { signal?: AbortSignal }) => Promise<Response>;

export interface FileOrigin {
  /** A folder laid out like ../shared/datasets; when absent the file is downloaded. */
  fromDir?: string | undefined;
  fetchImpl: FetchLike;
  maxBytes: number;
  downloadTimeoutMs: number;
}

function verifySha256(name: string, bytes: Buffer, expected: string): void {
  const actual = sha256Hex(bytes);
  if (actual !== expected) {
    throw importError(
      name,
      null,
      null,
      `sha256 mismatch: expected ${expected}, got ${actual} (not the pinned file)`,
    );
  }
}

async function download(url: string, origin: FileOrigin): Promise<Buffer> {
  let response: Response;
  try {
    response = await origin.fetchImpl(url, { signal: AbortSignal.timeout(origin.downloadTimeoutMs) });
  } catch (error) {
    throw new DomainError(
      'UPSTREAM',
      `${url}: download failed (${error instanceof Error ? error.message : String(error)}); offline? read the files from a folder with --from DIR`,
    );
  }
  if (!response.ok) throw new DomainError('UPSTREAM', `${url}: download failed with HTTP ${response.status}`);
  const declared = Number(response.headers.get('content-length') ?? '0');
  assertWithinLimit(url, declared, origin.maxBytes);
  const bytes = Buffer.from(await response.arrayBuffer());
  assertWithinLimit(url, bytes.length, origin.maxBytes);
  return bytes;
}

/** The bytes of a pinned file, read from a folder or downloaded, checked against its SHA-256. */
export async function loadPinnedFile(file: CatalogFile, origin: FileOrigin): Promise<LoadedFile> {
  if (origin.fromDir !== undefined) {
    const name = path.join(origin.fromDir, file.localPath);
    const info = await stat(name).catch(() => null);
    if (!info?.isFile())
      throw new DomainError(
        'NOT_FOUND',
        `${name}: file not found (expected the pinned ${file.path} of ${file.repository})`,
      );
    assertWithinLimit(name, info.size, origin.maxBytes);
    const bytes = await readFile(name);
    verifySha256(name, bytes, file.sha256);
    return { name, bytes };
  }
  const url = rawUrl(file);
  const bytes = await download(url, origin);
  verifySha256(url, bytes, file.sha256);
  return { name: url, bytes };
}
