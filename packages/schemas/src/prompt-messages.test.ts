import { describe, expect, it } from 'vitest';
import { chatMessages, userMessage } from './prompt-messages.js';

const pair = { systemPrompt: 'Be brief.', userPrompt: 'Q: {question}\nA:' };

describe('prompt messages', () => {
  it('puts the question in place of {question}, keeping "$" patterns literal', () => {
    expect(userMessage({ ...pair, systemPlacement: 'system' }, 'cost $& $1?')).toBe('Q: cost $& $1?\nA:');
  });

  it('sends a non-empty system prompt as a system message', () => {
    expect(chatMessages({ ...pair, systemPlacement: 'system' }, 'x')).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Q: x\nA:' },
    ]);
  });

  it('sends no system message for an empty system prompt', () => {
    expect(chatMessages({ ...pair, systemPrompt: '', systemPlacement: 'system' }, 'x')).toEqual([
      { role: 'user', content: 'Q: x\nA:' },
    ]);
  });

  it('puts the system prompt before the user message with user-prefix placement', () => {
    expect(chatMessages({ ...pair, systemPlacement: 'user-prefix' }, 'x')).toEqual([
      { role: 'user', content: 'Be brief.\n\nQ: x\nA:' },
    ]);
  });
});
