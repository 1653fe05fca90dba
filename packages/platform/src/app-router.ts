import type { DatasetsRouter } from '@metaspo/datasets';
import type { EvaluatorRouter } from '@metaspo/evaluator';
import type { LlmRouter } from '@metaspo/llm-gateway';
import type { OptimizerRouter } from '@metaspo/optimizer';
import { router } from '@metaspo/service-kit';

export const SERVICE_NAMES = ['llm', 'datasets', 'evaluator', 'optimizer'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export type ServiceRouters = {
  llm: LlmRouter;
  datasets: DatasetsRouter;
  evaluator: EvaluatorRouter;
  optimizer: OptimizerRouter;
};

/** Every service router under its namespace: `/trpc/llm.complete`, `/trpc/optimizer.runs.get`... */
export function createAppRouter(routers: ServiceRouters) {
  return router(routers);
}
export type AppRouter = ReturnType<typeof createAppRouter>;

/** One service alone, under the same namespace, so clients use the same paths either way. */
export function createSingleServiceRouter<TName extends ServiceName>(
  name: TName,
  serviceRouter: ServiceRouters[TName],
) {
  return router({ [name]: serviceRouter } as Pick<ServiceRouters, TName>);
}
