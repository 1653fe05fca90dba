export { createLlamaCppProviderFactory } from './factory.js';
export {
  createLlamaCppProvider,
  type LlamaCppProvider,
  type LlamaCppProviderOptions,
} from './llamacpp.js';
export { isRemoteModelUri, type LocatedModel, locateLlamaCppModel } from './llamacpp-models.js';
export {
  type PulledModel,
  type PullModelOptions,
  type PullProgress,
  pullModel,
  pullSource,
} from './model-pull.js';
