import { createLlamaCppProviderFactory } from '@metaspo/provider-llamacpp';
import type { DatasetsClient, ProviderFactory } from '@metaspo/schemas';
import { AnswerKeys, createSimProviderFactory } from '@metaspo/simulator';
import { answerKeyLoaderOf } from './answer-key.js';

/**
 * The providers the platform registers beside the gateway's own HTTP ones: the in-process
 * simulator (`sim:`), answering from the registry's gold answers when a registry is reachable,
 * and embedded llama.cpp (`llamacpp:`).
 */
export function defaultProviders(answerKeySource: DatasetsClient | undefined): ProviderFactory[] {
  const answerKeys = new AnswerKeys();
  if (answerKeySource) answerKeys.setLoader(answerKeyLoaderOf(answerKeySource));
  return [createSimProviderFactory({ answerKeys }), createLlamaCppProviderFactory()];
}
