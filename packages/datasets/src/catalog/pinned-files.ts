import { GROUNDING_PINS } from './pins/grounding.js';
import { MEDICAL_REVIEW_PINS } from './pins/medical-review.js';
import { REASONING_PINS } from './pins/reasoning.js';
import { SAFETY_PINS } from './pins/safety.js';

/**
 * A public file pinned by repository, commit, path and SHA-256, with the record count measured
 * on it. The values are copied from ../shared/datasets/MANIFEST.json (a test checks the two
 * agree); the maps are keyed by the path the shared folder uses: <repository name>/<path>.
 */
export interface PinnedFile {
  repository: string;
  commit: string;
  path: string;
  sha256: string;
  bytes: number;
  records: number;
}

/** Every benchmark file the catalog imports. */
export const PINNED_FILES: Record<string, PinnedFile> = {
  ...MEDICAL_REVIEW_PINS,
  ...REASONING_PINS,
  ...SAFETY_PINS,
  ...GROUNDING_PINS,
};
