import type { ChatMessage } from '@metaspo/schemas';
import type { SimCompletionOutput } from '../sim-model.js';
import {
  chunkText,
  contentText,
  HttpError,
  optionalNumber,
  optionalStrings,
  sendJson,
  startEventStream,
  writeEvent,
} from './http-io.js';
import { DEFAULT_WIRE_TEMPERATURE, sampleIndexOf, type WireProtocol } from './protocol.js';

function readMessages(system: unknown, value: unknown): ChatMessage[] {
  if (!Array.isArray(value) || value.length === 0)
    throw new HttpError(400, '"messages" must be a non-empty array');
  const messages: ChatMessage[] = [];
  const systemText = contentText(system);
  if (systemText !== '') messages.push({ role: 'system', content: systemText });
  for (const message of value) {
    if (!message || typeof message !== 'object') continue;
    const role = (message as { role?: unknown }).role;
    if (role === 'user' || role === 'assistant') {
      messages.push({ role, content: contentText((message as { content?: unknown }).content) });
    }
  }
  return messages;
}

function stopReason(output: SimCompletionOutput): string {
  return output.finishReason === 'length' ? 'max_tokens' : 'end_turn';
}

/** The JSON body of a non-streamed message (a live reply or a batch result's message). */
export function messageBody(model: string, output: SimCompletionOutput, id: string) {
  return {
    id,
    type: 'message',
    role: 'assistant',
    model,
    content: [{ type: 'text', text: output.text }],
    stop_reason: stopReason(output),
    stop_sequence: null,
    usage: { input_tokens: output.usage.promptTokens, output_tokens: output.usage.completionTokens },
  };
}

/** Anthropic Messages: `POST /v1/messages`, system as a top-level field, content blocks. */
export const anthropicProtocol: WireProtocol = {
  parse(body, headers) {
    if (typeof body.model !== 'string') throw new HttpError(400, '"model" must be a string');
    return {
      model: body.model,
      stream: body.stream === true,
      includeUsage: true,
      input: {
        messages: readMessages(body.system, body.messages),
        temperature: optionalNumber(body.temperature) ?? DEFAULT_WIRE_TEMPERATURE,
        topP: optionalNumber(body.top_p),
        maxTokens: optionalNumber(body.max_tokens),
        stop: optionalStrings(body.stop_sequences),
        sampleIndex: sampleIndexOf(body, headers),
      },
    };
  },

  respond(res, request, output, id) {
    if (!request.stream) {
      sendJson(res, 200, messageBody(request.model, output, id));
      return;
    }
    const usage = { input_tokens: output.usage.promptTokens, output_tokens: output.usage.completionTokens };
    startEventStream(res);
    writeEvent(
      res,
      {
        type: 'message_start',
        message: {
          id,
          type: 'message',
          role: 'assistant',
          model: request.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: usage.input_tokens, output_tokens: 0 },
        },
      },
      'message_start',
    );
    writeEvent(
      res,
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      'content_block_start',
    );
    for (const piece of chunkText(output.text)) {
      writeEvent(
        res,
        { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: piece } },
        'content_block_delta',
      );
    }
    writeEvent(res, { type: 'content_block_stop', index: 0 }, 'content_block_stop');
    writeEvent(
      res,
      {
        type: 'message_delta',
        delta: { stop_reason: stopReason(output), stop_sequence: null },
        usage: { output_tokens: usage.output_tokens },
      },
      'message_delta',
    );
    writeEvent(res, { type: 'message_stop' }, 'message_stop');
    res.end();
  },

  error(res, status, message, headers) {
    const type =
      status === 429
        ? 'rate_limit_error'
        : status >= 500
          ? 'api_error'
          : status === 404
            ? 'not_found_error'
            : 'invalid_request_error';
    sendJson(res, status, { type: 'error', error: { type, message } }, headers);
  },

  malformed(res, stream) {
    if (stream) {
      startEventStream(res);
      res.end('event: message_start\ndata: {"type": "message_start", "message": {"id": \n\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"id": "msg_sim", "type": "message", "content": [{"type": "text", "text": "trunc');
  },
};
