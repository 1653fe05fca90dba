import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { SimCompletionInput, SimCompletionOutput } from '../sim-model.js';
import { optionalNumber } from './http-io.js';

/** A completion request as read off the wire, whichever provider's format it came in. */
export interface WireRequest {
  /** The requested model as sent ("sim:default" or "default"). */
  model: string;
  input: SimCompletionInput;
  stream: boolean;
  includeUsage: boolean;
}

/** One provider's wire format: how to read a request and how to write answers and errors. */
export interface WireProtocol {
  parse(body: Record<string, unknown>, headers: IncomingHttpHeaders): WireRequest;
  respond(res: ServerResponse, request: WireRequest, output: SimCompletionOutput, id: string): void;
  error(res: ServerResponse, status: number, message: string, headers?: Record<string, string>): void;
  /** A 200 whose body a client cannot parse. */
  malformed(res: ServerResponse, stream: boolean): void;
}

/** Neither provider's API has a sample index: it travels as `sample_index` or `x-sim-sample-index`. */
export function sampleIndexOf(body: Record<string, unknown>, headers: IncomingHttpHeaders): number {
  const header = headers['x-sim-sample-index'];
  const fromHeader = typeof header === 'string' ? Number.parseInt(header, 10) : Number.NaN;
  const value = Number.isInteger(fromHeader) ? fromHeader : optionalNumber(body.sample_index);
  return value !== undefined && Number.isInteger(value) && value >= 0 ? value : 0;
}

/** Both APIs default to temperature 1 when a client sends none. */
export const DEFAULT_WIRE_TEMPERATURE = 1;
