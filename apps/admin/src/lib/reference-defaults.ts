import { type RunConfig, RunConfigSchema } from '@metaspo/schemas';

/**
 * The reference defaults as the schema fills them in: a config naming only its tasks (the one
 * field without a default; `procedural` is any valid choice) parsed by `RunConfigSchema`. The
 * new-run template and the meta-test form's hints read them here, so neither can drift from what
 * a run does.
 */
export const REFERENCE_DEFAULTS: RunConfig = RunConfigSchema.parse({ metaTrainTasks: 'procedural' });
