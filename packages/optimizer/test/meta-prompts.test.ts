import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractTagged, type WrongExample } from '@metaspo/schemas';
import {
  createAnswerKey,
  createSimModel,
  detectBehaviours,
  SYNTHETIC_TASKS,
  syntheticEntries,
} from '@metaspo/simulator';
import { describe, expect, it } from 'vitest';
import { BUILTIN_META_PROMPTS_YAML } from '../src/meta-prompts/builtin.js';
import {
  apeProposalRequest,
  apeResampleRequest,
  BUILTIN_META_PROMPTS,
  loadMetaPromptSet,
  type MetaPromptSet,
  type MetaRequest,
  metaPromptsOf,
  systemAnalysisRequest,
  systemRewriteRequest,
  userAnalysisRequest,
  userRewriteRequest,
} from '../src/meta-prompts.js';

const EXAMPLE_FILE = fileURLToPath(new URL('../../../configs/meta-prompts-appendix.yaml', import.meta.url));
const example = () => loadMetaPromptSet(fs.readFileSync(EXAMPLE_FILE, 'utf8'), path.basename(EXAMPLE_FILE));

/** The built-in text with one template's `user` text edited, to provoke one validation error. */
function editedBuiltin(edit: (yaml: string) => string): () => MetaPromptSet {
  return () => loadMetaPromptSet(edit(BUILTIN_META_PROMPTS_YAML), 'edited.yaml');
}

describe('meta-prompt sets', () => {
  it('the built-in set is loaded from its YAML text, with four optimizer roles of their own', () => {
    const set = BUILTIN_META_PROMPTS;
    expect(set).toMatchObject({ name: 'builtin', source: 'builtin', text: BUILTIN_META_PROMPTS_YAML });
    expect(set.hash).toMatch(/^[0-9a-f]{64}$/);
    const roles = ['userAnalysis', 'userRewrite', 'systemAnalysis', 'systemRewrite'] as const;
    const instructions = roles.map((r) => set.templates[r].system);
    expect(new Set(instructions).size).toBe(4);
    // Analyses ask for thorough, concrete suggestions, not a brief note.
    for (const r of ['userAnalysis', 'systemAnalysis'] as const) {
      expect(set.templates[r].user).toMatch(/complete list of concrete improvements/);
      expect(set.templates[r].user).not.toMatch(/\bbrief\b/i);
    }
    // The system-prompt writer may guide the answer format (it is one of the main levers).
    const rewrite = set.templates.systemRewrite.user;
    expect(rewrite).toMatch(/answer format/);
    expect(rewrite).not.toMatch(/(not|never) mention[^.]*answer format/i);
  });

  it('hashes the content, not the layout: a reformatted file is the same set, an edited one is not', () => {
    const reformatted = loadMetaPromptSet(`# a comment\n${BUILTIN_META_PROMPTS_YAML}`, 'copy.yaml');
    expect(reformatted.hash).toBe(BUILTIN_META_PROMPTS.hash);
    const edited = editedBuiltin((y) => y.replace('Study every failure', 'Study each failure'))();
    expect(edited.hash).not.toBe(BUILTIN_META_PROMPTS.hash);
  });

  it('refuses bad templates with errors naming the file, the template and the placeholder or tag', () => {
    expect(
      editedBuiltin((y) => y.replace('Questions the model answered wrongly', '{hints} Questions')),
    ).toThrow(/edited\.yaml: template userAnalysis: unknown placeholder \{hints\}/);
    expect(editedBuiltin((y) => y.replace('A review of those failures:\n      {analysis}', ''))).toThrow(
      /template userRewrite: missing required placeholder \{analysis\}/,
    );
    expect(
      editedBuiltin((y) => y.replace('reply: system_prompt\n  apeUser', 'reply: improved\n  apeUser')),
    ).toThrow(/template systemRewrite: reply tag <improved> is absent from the instruction/);
    expect(
      editedBuiltin((y) =>
        y.replace(
          'Write the instruction inside <system_prompt></system_prompt>.',
          'Write the instruction inside <system_prompt></system_prompt>, not <answer></answer>.',
        ),
      ),
    ).toThrow(/template apeSystem: <answer><\/answer> comes after the reply tag <system_prompt>/);
    expect(
      editedBuiltin((y) =>
        y.replace('Give only the system prompt.\n', 'Give only the system prompt.\n      {failures}\n'),
      ),
    ).toThrow(/template systemRewrite: placeholder \{failures\} has no value in this template/);
    expect(() => loadMetaPromptSet('format: other/1\nname: x\nversion: 1\ntemplates: {}', 'x.yaml')).toThrow(
      /x\.yaml: format: format must be "metaspo-meta-prompts\/1"/,
    );
  });

  it('a run config carries a set as its text; a bare path is refused with what to do', () => {
    const text = fs.readFileSync(EXAMPLE_FILE, 'utf8');
    expect(metaPromptsOf({ metaPrompts: { source: 'x.yaml', text } }).hash).toBe(example().hash);
    expect(metaPromptsOf({}).hash).toBe(BUILTIN_META_PROMPTS.hash);
    expect(() => metaPromptsOf({ metaPrompts: 'x.yaml' })).toThrow(
      /"x\.yaml" is a path; send the file's text/,
    );
  });

  it('fills values inside the input tags once, keeping {question} as the placeholder', () => {
    const request = userRewriteRequest(BUILTIN_META_PROMPTS, {
      systemPrompt: 'SYSTEM',
      userPrompt: 'Q: {question}',
      failures: [],
      analysis: 'mentions {analysis} literally',
    });
    const [system, user] = request.messages;
    expect(system?.role).toBe('system');
    expect(request.replyTag).toBe('user_prompt');
    expect(user?.content).toContain('<current_prompt>\nQ: {question}\n</current_prompt>');
    expect(user?.content).toContain('<analysis>\nmentions {analysis} literally\n</analysis>');
    expect(user?.content).toContain('SYSTEM');
    expect(user?.content).not.toContain('<current_prompt>\nSYSTEM');
    expect(user?.content.trimEnd().endsWith('<user_prompt></user_prompt>.')).toBe(true);
  });
});

describe('the configs/ example set against the simulator', () => {
  const entries = SYNTHETIC_TASKS.flatMap((task) => syntheticEntries(task, 20));
  const model = createSimModel({ answerKey: createAnswerKey(entries), malformedRate: 0 });
  const USER_PROMPT =
    'Answer the question.\n<Question>{question}</Question>\nWrite the answer inside <answer></answer>.';
  const failures = (domain: string): WrongExample[] =>
    entries
      .filter((e) => e.domain === domain)
      .slice(0, 3)
      .map((e, i) => ({
        exampleId: `${e.taskId}-${i}`,
        question: e.question,
        prompt: USER_PROMPT.replace('{question}', e.question),
        response: 'I am not sure.',
        prediction: null,
        gold: e.answer,
      }));
  const ask = (request: MetaRequest, sampleIndex = 0) =>
    extractTagged(
      model.complete({ messages: request.messages, temperature: 1, sampleIndex }).text,
      request.replyTag,
    );

  it('every request is answered in the tag the set names, with the kind of reply it asks for', () => {
    const set = example();
    expect(Object.values(set.templates).map((t) => t.reply)).not.toContain('analysis');
    const base = {
      systemPrompt: 'You are a helpful assistant.',
      userPrompt: USER_PROMPT,
      failures: failures('reasoning'),
    };
    const userAnalysis = userAnalysisRequest(set, base);
    expect(userAnalysis.replyTag).toBe('diagnosis');
    const diagnosis = ask(userAnalysis);
    expect(detectBehaviours(diagnosis ?? '').length).toBeGreaterThanOrEqual(2);
    const userPrompt = ask(userRewriteRequest(set, { ...base, analysis: diagnosis ?? '' }));
    expect(userPrompt?.split('{question}')).toHaveLength(2);

    const systemDiagnosis = ask(
      systemAnalysisRequest(set, { systemPrompt: base.systemPrompt, failures: failures('medical') }),
    );
    expect(detectBehaviours(systemDiagnosis ?? '').length).toBeGreaterThanOrEqual(2);
    const systemPrompt = ask(
      systemRewriteRequest(set, { systemPrompt: base.systemPrompt, analysis: systemDiagnosis ?? '' }),
    );
    expect(systemPrompt).not.toBeNull();
    expect(systemPrompt).not.toContain('{question}');
    expect(systemPrompt).not.toBe(base.systemPrompt);

    const demos = (ids: string[]) =>
      entries
        .filter((e) => ids.includes(e.taskId))
        .slice(0, 6)
        .map((e) => ({ question: e.question, answer: e.answer }));
    expect(ask(apeProposalRequest(set, { demonstrations: demos(['anatomy']), target: 'user' }))).toContain(
      '{question}',
    );
    const general = ask(
      apeProposalRequest(set, {
        demonstrations: [...demos(['anatomy']).slice(0, 3), ...demos(['baby']).slice(0, 3)],
        target: 'system',
      }),
    );
    expect(general).not.toBeNull();
    expect(general).not.toContain('{question}');
    expect(ask(apeResampleRequest(set, { userPrompt: USER_PROMPT }))?.split('{question}')).toHaveLength(2);
  });
});
