import { type ExecutionMode, ExecutionModeSchema } from '@metaspo/schemas';
import { Option } from 'commander';
import YAML from 'yaml';

/** `--execution live|batch`: overrides the config's `execution` (RunConfig.execution). */
export function executionOption(what: string): Option {
  return new Option(
    '--execution <mode>',
    `how the evaluations of ${what} reach the provider: batch sends them through its batch API (half price at OpenAI and Anthropic); overrides the config's execution`,
  ).choices(ExecutionModeSchema.options);
}

/**
 * The config text with its top-level `execution` set to `mode`: an existing value is replaced in
 * place and a missing key appended as the last line, so the line numbers of validation errors
 * still point into the user's file. A root that is not a block mapping (a flow map, say) is
 * rewritten by the YAML library instead; validation reports such a file's other problems.
 */
export function withExecution(yaml: string, mode: ExecutionMode | undefined): string {
  if (mode === undefined) return yaml;
  const doc = YAML.parseDocument(yaml);
  if (!YAML.isMap(doc.contents) || doc.errors.length > 0) return yaml;
  const node = doc.get('execution', true);
  if (YAML.isScalar(node) && node.range) {
    const [start, end] = node.range;
    return `${yaml.slice(0, start)}${mode}${yaml.slice(end)}`;
  }
  if (doc.contents.flow || doc.has('execution')) {
    doc.set('execution', mode);
    return doc.toString();
  }
  return `${yaml}${yaml.endsWith('\n') || yaml === '' ? '' : '\n'}execution: ${mode}\n`;
}
