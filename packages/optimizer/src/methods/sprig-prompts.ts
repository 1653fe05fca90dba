import { type ChatMessage, META_TAGS, replyInsideTag } from '@metaspo/schemas';

/**
 * SPRIG's rephrase edit asks the optimizer model for a paraphrase of one component (SPRIG's
 * code uses a Pegasus paraphraser; the platform has no such model, so the optimizer writes it).
 * The component goes inside <current_prompt> and the reply inside <system_prompt>, the tags the
 * simulator and the other meta-prompts share (packages/schemas meta-prompt-tags.ts).
 */
export const SPRIG_REPLY_TAG = META_TAGS.systemPrompt;

export function rephraseComponentRequest(input: { component: string; systemPrompt: string }): ChatMessage[] {
  return [
    {
      role: 'system',
      content:
        'You are an expert in prompt engineering. You rewrite instructions for language models ' +
        'so that they say the same thing in different words.',
    },
    {
      role: 'user',
      content: [
        'A system prompt for a language model is made of short components, one per line:',
        input.systemPrompt,
        `Paraphrase this one component:\n<${META_TAGS.currentPrompt}>\n${input.component}\n</${META_TAGS.currentPrompt}>`,
        'Keep its meaning and its role in the system prompt; write one or two sentences, with no ' +
          'list, no heading and no mention of a particular task.',
        replyInsideTag(SPRIG_REPLY_TAG),
      ].join('\n\n'),
    },
  ];
}
