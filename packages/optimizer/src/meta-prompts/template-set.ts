import { META_TAGS } from '@metaspo/schemas';
import { invalidInput, stableHash } from '@metaspo/service-kit';
import YAML from 'yaml';
import { z } from 'zod';

/** The optimizer requests a set defines, one template each. */
export const META_PROMPT_ROLES = [
  'userAnalysis',
  'userRewrite',
  'systemAnalysis',
  'systemRewrite',
  'apeUser',
  'apeSystem',
  'apeResample',
] as const;
export type MetaPromptRole = (typeof META_PROMPT_ROLES)[number];

const PLACEHOLDERS = [
  'system_prompt',
  'user_prompt',
  'failures',
  'analysis',
  'demonstrations',
  'question',
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

interface RoleSpec {
  required: readonly Placeholder[];
  optional: readonly Placeholder[];
  /** The placeholder holding the prompt being improved (rendered inside <current_prompt>). */
  studied: 'system_prompt' | 'user_prompt' | null;
  /** Whether the reply is an analysis (it may then use the tag name `analysis`). */
  analysis: boolean;
}

/** What each template is given; a placeholder outside required + optional has no value there. */
export const ROLE_SPECS: Readonly<Record<MetaPromptRole, RoleSpec>> = {
  userAnalysis: {
    required: ['user_prompt', 'failures'],
    optional: ['system_prompt', 'question'],
    studied: 'user_prompt',
    analysis: true,
  },
  userRewrite: {
    required: ['user_prompt', 'analysis', 'question'],
    optional: ['system_prompt', 'failures'],
    studied: 'user_prompt',
    analysis: false,
  },
  systemAnalysis: {
    required: ['system_prompt', 'failures'],
    optional: [],
    studied: 'system_prompt',
    analysis: true,
  },
  systemRewrite: {
    required: ['system_prompt', 'analysis'],
    optional: [],
    studied: 'system_prompt',
    analysis: false,
  },
  apeUser: { required: ['demonstrations'], optional: ['question'], studied: null, analysis: false },
  apeSystem: { required: ['demonstrations'], optional: [], studied: null, analysis: false },
  apeResample: {
    required: ['user_prompt', 'question'],
    optional: [],
    studied: 'user_prompt',
    analysis: false,
  },
};

export const META_PROMPTS_FORMAT = 'metaspo-meta-prompts/1';

const TemplateSchema = z
  .object({
    /** The optimizer's role for this request (a system message); none when absent. */
    system: z.string().min(1).optional(),
    /** The request itself, with {placeholders}. */
    user: z.string().min(1),
    /** The tag the reply must be written in; the request must name it as <tag></tag>. */
    reply: z.string().min(1),
  })
  .strict();
type MetaPromptTemplate = z.infer<typeof TemplateSchema>;

const FileSchema = z
  .object({
    format: z.literal(META_PROMPTS_FORMAT, { error: `format must be "${META_PROMPTS_FORMAT}"` }),
    name: z.string().min(1).max(100),
    version: z.union([z.string().min(1), z.number()]).transform(String),
    description: z.string().optional(),
    templates: z
      .object(
        Object.fromEntries(META_PROMPT_ROLES.map((role) => [role, TemplateSchema])) as Record<
          MetaPromptRole,
          typeof TemplateSchema
        >,
      )
      .strict(),
  })
  .strict();

/** A loaded, validated set: its templates, its identity and the text it came from. */
export interface MetaPromptSet {
  name: string;
  version: string;
  /** sha256 of the set's content (name, version, templates): cache keys and stored prompts use it. */
  hash: string;
  /** Where the text came from: `builtin` or the path the client read. */
  source: string;
  text: string;
  templates: Readonly<Record<MetaPromptRole, MetaPromptTemplate>>;
}

const PLACEHOLDER_PATTERN = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const TAG_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
const EMPTY_TAG_PAIR = /<([A-Za-z][A-Za-z0-9_-]*)><\/\1>/g;
const INPUT_TAGS: readonly string[] = [META_TAGS.currentPrompt, META_TAGS.examples];

/** Problems of one template, each naming the template and the placeholder or tag at fault. */
function templateProblems(role: MetaPromptRole, template: MetaPromptTemplate): string[] {
  const spec = ROLE_SPECS[role];
  const problems: string[] = [];
  const allowed = new Set<string>([...spec.required, ...spec.optional]);
  const used = [...template.user.matchAll(PLACEHOLDER_PATTERN)];
  const names = new Set(used.map((m) => m[1] ?? ''));
  for (const name of names) {
    if (allowed.has(name)) continue;
    const known = (PLACEHOLDERS as readonly string[]).includes(name);
    problems.push(
      known
        ? `template ${role}: placeholder {${name}} has no value in this template (it takes ${[...allowed].map((p) => `{${p}}`).join(', ')})`
        : `template ${role}: unknown placeholder {${name}} (known: ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')})`,
    );
  }
  for (const name of spec.required) {
    if (!names.has(name)) problems.push(`template ${role}: missing required placeholder {${name}}`);
  }
  const tag = template.reply;
  if (!TAG_NAME.test(tag)) {
    problems.push(`template ${role}: reply tag "${tag}" is not a tag name (letters, digits, _ or -)`);
    return problems;
  }
  if (INPUT_TAGS.includes(tag) || (tag === META_TAGS.analysis && !spec.analysis)) {
    problems.push(`template ${role}: reply tag <${tag}> is an input tag of the request; choose another name`);
  }
  const pairs = [...template.user.matchAll(EMPTY_TAG_PAIR)];
  const last = pairs.at(-1);
  if (!pairs.some((p) => p[1] === tag)) {
    problems.push(
      `template ${role}: reply tag <${tag}> is absent from the instruction (write <${tag}></${tag}> where the reply is asked for)`,
    );
  } else if (last?.[1] !== tag) {
    problems.push(
      `template ${role}: <${last?.[1]}></${last?.[1]}> comes after the reply tag <${tag}></${tag}>; the reply tag must be the last one named`,
    );
  } else {
    const lastPlaceholder = used.at(-1);
    if (lastPlaceholder?.index !== undefined && lastPlaceholder.index > (last.index ?? 0)) {
      problems.push(
        `template ${role}: placeholder {${lastPlaceholder[1]}} comes after the reply tag <${tag}></${tag}>; ask for the reply last`,
      );
    }
  }
  return problems;
}

/**
 * Parses and validates a meta-prompt set's YAML text. Every problem is reported at once, each
 * naming `source`, the template and the placeholder or tag (INVALID_INPUT).
 */
export function loadMetaPromptSet(text: string, source: string): MetaPromptSet {
  const fail = (problems: string[]) =>
    invalidInput(
      `meta-prompts ${source}: ${problems.join('; ')}`,
      problems.map((message) => ({ path: 'metaPrompts', message })),
    );
  let value: unknown;
  try {
    value = YAML.parse(text);
  } catch (error) {
    throw fail([`invalid YAML: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`]);
  }
  const parsed = FileSchema.safeParse(value);
  if (!parsed.success) {
    throw fail(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  const { name, version, templates } = parsed.data;
  const problems = META_PROMPT_ROLES.flatMap((role) => templateProblems(role, templates[role]));
  if (problems.length > 0) throw fail(problems);
  return { name, version, hash: stableHash({ name, version, templates }), source, text, templates };
}
