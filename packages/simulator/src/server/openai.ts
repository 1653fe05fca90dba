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

const ROLES: Record<string, ChatMessage['role']> = {
  system: 'system',
  developer: 'system',
  user: 'user',
  assistant: 'assistant',
};

function readMessages(value: unknown): ChatMessage[] {
  if (!Array.isArray(value) || value.length === 0)
    throw new HttpError(400, '"messages" must be a non-empty array');
  const messages: ChatMessage[] = [];
  for (const message of value) {
    if (!message || typeof message !== 'object') continue;
    const role = ROLES[String((message as { role?: unknown }).role)];
    if (role) messages.push({ role, content: contentText((message as { content?: unknown }).content) });
  }
  return messages;
}

function usageOf(output: SimCompletionOutput) {
  return {
    prompt_tokens: output.usage.promptTokens,
    completion_tokens: output.usage.completionTokens,
    total_tokens: output.usage.promptTokens + output.usage.completionTokens,
  };
}

/** The JSON body of a non-streamed chat completion (a live reply or a batch output line). */
export function chatCompletionBody(model: string, output: SimCompletionOutput, id: string) {
  return {
    id,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      { index: 0, message: { role: 'assistant', content: output.text }, finish_reason: output.finishReason },
    ],
    usage: usageOf(output),
  };
}

/** OpenAI chat completions: `POST /v1/chat/completions`, plain JSON or SSE chunks. */
export const openAiProtocol: WireProtocol = {
  parse(body, headers) {
    if (typeof body.model !== 'string') throw new HttpError(400, '"model" must be a string');
    const streamOptions = body.stream_options as { include_usage?: unknown } | undefined;
    return {
      model: body.model,
      stream: body.stream === true,
      includeUsage: streamOptions?.include_usage === true,
      input: {
        messages: readMessages(body.messages),
        temperature: optionalNumber(body.temperature) ?? DEFAULT_WIRE_TEMPERATURE,
        topP: optionalNumber(body.top_p),
        maxTokens: optionalNumber(body.max_completion_tokens) ?? optionalNumber(body.max_tokens),
        stop: optionalStrings(body.stop),
        seed: optionalNumber(body.seed),
        sampleIndex: sampleIndexOf(body, headers),
      },
    };
  },

  respond(res, request, output, id) {
    const created = Math.floor(Date.now() / 1000);
    if (!request.stream) {
      sendJson(res, 200, chatCompletionBody(request.model, output, id));
      return;
    }
    const usage = usageOf(output);
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) => ({
      id,
      object: 'chat.completion.chunk',
      created,
      model: request.model,
      choices,
      ...extra,
    });
    startEventStream(res);
    writeEvent(res, chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]));
    for (const piece of chunkText(output.text)) {
      writeEvent(res, chunk([{ index: 0, delta: { content: piece }, finish_reason: null }]));
    }
    writeEvent(res, chunk([{ index: 0, delta: {}, finish_reason: output.finishReason }]));
    if (request.includeUsage) writeEvent(res, chunk([], { usage }));
    writeEvent(res, '[DONE]');
    res.end();
  },

  error(res, status, message, headers) {
    const type =
      status === 429 ? 'rate_limit_error' : status >= 500 ? 'server_error' : 'invalid_request_error';
    sendJson(res, status, { error: { message, type, code: null } }, headers);
  },

  malformed(res, stream) {
    if (stream) {
      startEventStream(res);
      res.end('data: {"id": "chatcmpl-sim", "choices": [{"delta": {"content": "trunc\n\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      '{"id": "chatcmpl-sim", "object": "chat.completion", "choices": [{"index": 0, "message": {"role": "assis',
    );
  },
};
