import { createRng, type Rng, randomInt, shuffled } from '@metaspo/service-kit';

/**
 * SPRIG's defaults, each from its public code (github orange0629/prompting, scripts/sprig.py;
 * docs/optimizer.md lists them): the search starts from the empty system prompt
 * (`base_prompt = ""`), keeps a beam of 10 (`beam_size = 10`), and an add draws its component
 * from the 60 best by UCB (`ucb_choose(60)`), or from the whole corpus while no component has a
 * score yet. SPRIG's code tries every possible edit of every beam prompt (about 130 per prompt
 * once it has one component); the platform draws a fixed number per iteration instead, one of
 * each kind per beam prompt, so that a run's request count is known before it starts.
 */
export const SPRIG_DEFAULTS = {
  beamWidth: 10,
  addPoolSize: 60,
  candidatesPerIteration: 40,
} as const;

/** The order in which candidate j of an iteration gets its edit kind: EDIT_CYCLE[j % 4]. */
const EDIT_CYCLE = ['add', 'rephrase', 'swap', 'delete'] as const;
type EditKind = (typeof EDIT_CYCLE)[number];

export type Edit =
  | { kind: 'add'; component: string; position: number }
  | { kind: 'rephrase'; position: number }
  | { kind: 'swap'; first: number; second: number }
  | { kind: 'delete'; position: number };

/** Components of a system prompt, one per line (a component is one line of text). */
export const joinComponents = (components: readonly string[]): string => components.join('\n');

/** One line: a rephrased component may come back with line breaks or runs of spaces. */
export const asComponent = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** Rephrase slots among the first `count` candidates of an iteration. */
export function rephraseSlots(count: number): number {
  let slots = 0;
  for (let j = 0; j < count; j += 1) if (EDIT_CYCLE[j % EDIT_CYCLE.length] === 'rephrase') slots += 1;
  return slots;
}

/** Candidate j's parent: each beam prompt in turn gets one edit of each kind. */
export function parentIndexOf(candidateIndex: number, beamSize: number): number {
  return Math.floor(candidateIndex / EDIT_CYCLE.length) % beamSize;
}

/**
 * What SPRIG learns about components: the score change each add (candidate minus parent) and
 * each delete (parent minus candidate) brought, credited to the corpus component a text comes
 * from (a rephrase keeps its source's credit, as SPRIG's `source_prompt`).
 */
export class ComponentStats {
  private readonly sourceOf = new Map<string, string>();
  private readonly deltas = new Map<string, number[]>();

  constructor(readonly corpus: readonly string[]) {
    for (const text of corpus) {
      this.sourceOf.set(text, text);
      this.deltas.set(text, []);
    }
  }

  registerRephrase(text: string, from: string): void {
    if (!this.sourceOf.has(text)) this.sourceOf.set(text, this.sourceOf.get(from) ?? from);
  }

  credit(component: string, delta: number): void {
    const source = this.sourceOf.get(component) ?? component;
    const list = this.deltas.get(source);
    if (list) list.push(delta);
  }

  /**
   * The components an add may draw from: the whole corpus while nothing is scored, else the
   * `size` best by UCB1 (mean delta + sqrt(2 ln N / n)); an unscored component's bound is
   * infinite, as in SPRIG. Ties keep the order of a seeded shuffle of the corpus.
   */
  addPool(size: number, rng: Rng): string[] {
    const order = shuffled(this.corpus, rng);
    const total = [...this.deltas.values()].reduce((sum, d) => sum + d.length, 0);
    if (total === 0) return order;
    const bound = (text: string) => {
      const d = this.deltas.get(text) ?? [];
      if (d.length === 0) return Number.POSITIVE_INFINITY;
      const mean = d.reduce((a, b) => a + b, 0) / d.length;
      return mean + Math.sqrt((2 * Math.log(total)) / d.length);
    };
    return order
      .map((text, index) => ({ text, index, ucb: bound(text) }))
      .sort((a, b) => (b.ucb === a.ucb ? a.index - b.index : b.ucb - a.ucb))
      .slice(0, size)
      .map((x) => x.text);
  }
}

/**
 * The edit of one candidate. The kind comes from EDIT_CYCLE; one that cannot apply (a rephrase
 * of the empty prompt, a swap of fewer than two components, a delete that would leave the
 * prompt empty) becomes an add, so every iteration has the same number of candidates. An add
 * takes the parent's next component of `addOrder` it does not hold yet, at a seeded position.
 */
export function planEdit(
  components: readonly string[],
  candidateIndex: number,
  addOrder: readonly string[],
  addsBefore: number,
  seed: number,
): Edit {
  const rng = createRng(seed);
  const k = components.length;
  const wanted = EDIT_CYCLE[candidateIndex % EDIT_CYCLE.length] as EditKind;
  if (wanted === 'rephrase' && k >= 1) return { kind: 'rephrase', position: randomInt(rng, 0, k) };
  if (wanted === 'delete' && k >= 2) return { kind: 'delete', position: randomInt(rng, 0, k) };
  if (wanted === 'swap' && k >= 2) {
    const first = randomInt(rng, 0, k);
    const second = (first + randomInt(rng, 1, k)) % k;
    return { kind: 'swap', first: Math.min(first, second), second: Math.max(first, second) };
  }
  const held = new Set(components);
  const fresh = addOrder.filter((text) => !held.has(text));
  const pool = fresh.length > 0 ? fresh : addOrder;
  const component = pool[addsBefore % pool.length] as string;
  return { kind: 'add', component, position: randomInt(rng, 0, k + 1) };
}

/** The components after `edit`; a rephrase needs its new text. */
export function applyEdit(components: readonly string[], edit: Edit, rephrased?: string): string[] {
  const out = components.slice();
  switch (edit.kind) {
    case 'add':
      out.splice(edit.position, 0, edit.component);
      return out;
    case 'rephrase':
      out[edit.position] = rephrased ?? (out[edit.position] as string);
      return out;
    case 'swap':
      [out[edit.first], out[edit.second]] = [out[edit.second] as string, out[edit.first] as string];
      return out;
    case 'delete':
      out.splice(edit.position, 1);
      return out;
  }
}
