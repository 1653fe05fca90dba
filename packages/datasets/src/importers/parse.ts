import { gunzipSync } from 'node:zlib';
import { CsvError } from 'csv-parse';
import { parse as parseCsvSync } from 'csv-parse/sync';
import { importError } from './errors.js';

/** A source file's bytes with the name errors should show. */
export interface LoadedFile {
  name: string;
  bytes: Buffer;
}

export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;

export function assertWithinLimit(name: string, size: number, maxBytes: number): void {
  if (size > maxBytes) {
    throw importError(name, null, null, `file is ${size} bytes, over the limit of ${maxBytes} bytes`);
  }
}

/** UTF-8 text of a file; an empty (or whitespace-only) file is an error, not zero records. */
export function textOf(file: LoadedFile): string {
  const text = file.bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') throw importError(file.name, null, null, 'file is empty');
  return text;
}

/** gunzip with the same size limit on the inflated bytes (a small .gz can expand a lot). */
export function gunzipFile(file: LoadedFile, maxBytes: number): LoadedFile {
  try {
    return { name: file.name, bytes: gunzipSync(file.bytes, { maxOutputLength: maxBytes }) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw importError(file.name, null, null, `not a readable gzip file (${reason})`);
  }
}

function lineOfPosition(text: string, position: number): number {
  let line = 1;
  for (let i = 0; i < position && i < text.length; i += 1) if (text.charCodeAt(i) === 10) line += 1;
  return line;
}

function describeJsonError(text: string, error: unknown): { location: string; reason: string } {
  const message = error instanceof Error ? error.message : String(error);
  const position = /position (\d+)/.exec(message)?.[1];
  const line =
    position === undefined ? lineOfPosition(text, text.length) : lineOfPosition(text, Number(position));
  const truncated = /end of JSON input|Unterminated/i.test(message);
  return {
    location: `line ${line}`,
    reason: truncated ? `truncated JSON (${message})` : `invalid JSON (${message})`,
  };
}

export function parseJsonFile(file: LoadedFile): unknown {
  const text = textOf(file);
  try {
    return JSON.parse(text);
  } catch (error) {
    const { location, reason } = describeJsonError(text, error);
    throw importError(file.name, location, null, reason);
  }
}

export interface NumberedRecord {
  /** "line 12" or "record 3": where the record is in its file. */
  location: string;
  value: unknown;
}

/** One JSON value per non-blank line. */
export function parseJsonLines(file: LoadedFile): NumberedRecord[] {
  const lines = textOf(file).split('\n');
  const records: NumberedRecord[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      records.push({ location: `line ${index + 1}`, value: JSON.parse(line) });
    } catch (error) {
      throw importError(file.name, `line ${index + 1}`, null, describeJsonError(line, error).reason);
    }
  });
  return records;
}

/** A JSON array (optionally under `key`) as numbered records. */
export function jsonArrayRecords(file: LoadedFile, value: unknown, key?: string): NumberedRecord[] {
  const array = key === undefined ? value : (value as Record<string, unknown> | null)?.[key];
  if (!Array.isArray(array)) {
    throw importError(
      file.name,
      null,
      key ?? null,
      `expected ${key ? 'an array' : 'a JSON array of records'}`,
    );
  }
  return array.map((item, index) => ({
    location: `${key ? `${key} ` : ''}record ${index + 1}`,
    value: item,
  }));
}

interface CsvRecordWithInfo {
  record: Record<string, string>;
  info: { lines: number };
}

/**
 * CSV through csv-parse; a bad row names its line. The first row is the header unless
 * `columns` names the columns of a file without one (then every row must have that many).
 */
export function parseCsvFile(
  file: LoadedFile,
  delimiter = ',',
  columns?: string[],
): Array<NumberedRecord & { value: Record<string, string> }> {
  const text = textOf(file);
  try {
    const rows = parseCsvSync<CsvRecordWithInfo>(text, {
      columns: columns ?? true,
      delimiter,
      bom: true,
      info: true,
      skip_empty_lines: true,
    });
    return rows.map((row) => ({ location: `line ${row.info.lines}`, value: row.record }));
  } catch (error) {
    if (error instanceof CsvError) {
      const line = typeof error.lines === 'number' ? `line ${error.lines}` : null;
      throw importError(file.name, line, null, `bad CSV row (${error.message})`);
    }
    throw error;
  }
}

export function asObject(file: string, record: NumberedRecord): Record<string, unknown> {
  const value = record.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw importError(file, record.location, null, 'expected an object');
  }
  return value as Record<string, unknown>;
}

/** A field that must be present and a non-empty string. */
export function requiredString(file: string, record: NumberedRecord, field: string): string {
  const value = asObject(file, record)[field];
  if (value === undefined) throw importError(file, record.location, field, 'missing');
  if (typeof value !== 'string')
    throw importError(file, record.location, field, `expected a string, got ${typeof value}`);
  return value;
}

export function requiredField(file: string, record: NumberedRecord, field: string): unknown {
  const value = asObject(file, record)[field];
  if (value === undefined || value === null) throw importError(file, record.location, field, 'missing');
  return value;
}
