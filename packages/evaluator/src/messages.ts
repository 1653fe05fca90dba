import { invalidInput } from '@metaspo/service-kit';

const PLACEHOLDER = '{question}';

/** A 400-class error unless the user prompt holds exactly one `{question}`. */
export function assertUserPrompt(userPrompt: string, path = 'userPrompt'): void {
  const occurrences = userPrompt.split(PLACEHOLDER).length - 1;
  if (occurrences === 1) return;
  const message = `user prompt must contain "${PLACEHOLDER}" exactly once; it contains it ${occurrences} times`;
  throw invalidInput(`${path}: ${message}`, [{ path, message }]);
}
