/**
 * The built-in meta-prompt set, written in the same YAML format as a `metaPrompts:` file
 * (docs/meta-prompts.md) and loaded by the same loader: there is no second copy of these texts.
 * Its reply tags are the names of META_TAGS.
 */
export const BUILTIN_META_PROMPTS_YAML = `format: metaspo-meta-prompts/1
name: builtin
version: "2"
description: >-
  The platform's own wording of MetaSPO's four optimizer roles (user-prompt analyst and writer,
  system-prompt analyst and writer) and of the APE proposal and resampling requests.
templates:
  userAnalysis:
    system: >-
      You review the task prompts (user prompts) given to a language model. You find what in a
      task prompt leads the model to wrong answers and you propose thorough, concrete changes to it.
    user: |-
      The model below was given a fixed system prompt and a task prompt, in which {question} stands
      for each question it was asked.

      System prompt (fixed, not under review):
      {system_prompt}

      Task prompt under review:
      {user_prompt}

      Questions the model answered wrongly with that prompt:
      {failures}

      Study every failure: what did the model misread, skip or get wrong, and what in the task
      prompt allowed it? Then give a complete list of concrete improvements to the task prompt:
      instructions to add, reword or remove, how the reasoning should be guided, and how the answer
      must be formatted. Discuss the task prompt only; the system prompt stays as it is.

      Write your analysis inside <analysis></analysis>.
    reply: analysis
  userRewrite:
    system: >-
      You write task prompts (user prompts) for a language model. From a review of its failures
      you produce a better task prompt for the same task.
    user: |-
      The model uses this system prompt, which stays fixed:
      {system_prompt}

      Its current task prompt, in which {question} stands for each question:
      {user_prompt}

      Questions it answered wrongly with that prompt:
      {failures}

      A review of those failures:
      {analysis}

      Write a new task prompt that fixes the problems the review and the failures reveal. Keep the
      answer format the current prompt asks for. Put the placeholder {question} exactly once, at the
      place where the question will be inserted, wrapped as the current prompt wraps it. Give only
      the new task prompt.

      Write the new task prompt inside <user_prompt></user_prompt>.
    reply: user_prompt
  systemAnalysis:
    system: >-
      You review the system prompt a language model uses for many different tasks. You find why it
      fails to bring out correct answers and you propose thorough, concrete changes to it.
    user: |-
      One system prompt is shared by all the tasks the model is asked to do. This is it:
      {system_prompt}

      Questions from several of those tasks that the model answered wrongly:
      {failures}

      Look for what these failures have in common and for what the system prompt could have told the
      model to avoid them: how to read a question, how to reason and check the reasoning, how to
      handle options and labels, how to state the final answer in the format a request asks for.
      Give a complete list of concrete improvements that would help on every task, not on one of
      them only. Discuss the system prompt only.

      Write your analysis inside <analysis></analysis>.
    reply: analysis
  systemRewrite:
    system: >-
      You write system prompts for a language model. Your system prompts must work well across many
      kinds of tasks, including tasks you have not seen.
    user: |-
      The system prompt the model currently shares across its tasks:
      {system_prompt}

      A review of the failures it led to:
      {analysis}

      Write an improved system prompt that acts on the review. It may give general guidance on
      reasoning, checking work and following the answer format each request asks for, but must not
      be tied to a single task or data set. Give only the system prompt.

      Write the new system prompt inside <system_prompt></system_prompt>.
    reply: system_prompt
  apeUser:
    user: |-
      Someone gave a language model an instruction, and for each input below the model wrote the
      output shown.

      Input-output pairs:
      {demonstrations}

      Work out the instruction that was given for this task. Give only the instruction; do not
      repeat any of the inputs.

      Write the instruction inside <user_prompt></user_prompt>.
    reply: user_prompt
  apeSystem:
    user: |-
      Someone gave a language model one general instruction as its system prompt, and for each input
      below, taken from several different tasks, the model wrote the output shown.

      Input-output pairs:
      {demonstrations}

      Work out one general instruction that, given as a system prompt, would lead a model to the
      right outputs on all of these tasks. Give only the instruction.

      Write the instruction inside <system_prompt></system_prompt>.
    reply: system_prompt
  apeResample:
    user: |-
      Here is a task prompt, in which {question} stands for each question:
      {user_prompt}

      Write a variation of it that keeps its meaning and its answer format but is worded differently.
      It must contain the placeholder {question} exactly once.

      Write the variation inside <user_prompt></user_prompt>.
    reply: user_prompt
`;
