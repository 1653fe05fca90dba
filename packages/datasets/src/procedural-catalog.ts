import {
  type GeneratedItem,
  PROCEDURAL_SIZES,
  PROCEDURAL_SPLIT,
  PROCEDURAL_TASKS,
  type ProceduralTask,
} from './procedural/index.js';

export type { GeneratedItem, ProceduralTask };

/**
 * The procedural generators as the service sees them: a dependency with a default, so a test
 * can pass small generators of its own.
 */
export interface ProceduralCatalog {
  tasks: readonly ProceduralTask[];
  /** Default meta-train / meta-test task ids. */
  split: { train: string[]; test: string[] };
  sizes: { train: number; test: number; trainSeed: number; testSeed: number };
}

export const DEFAULT_PROCEDURAL_CATALOG: ProceduralCatalog = {
  tasks: PROCEDURAL_TASKS,
  split: PROCEDURAL_SPLIT,
  sizes: PROCEDURAL_SIZES,
};
