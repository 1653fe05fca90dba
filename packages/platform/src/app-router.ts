import type { DatasetsRouter } from '@metaspo/datasets';
import type { EvaluatorRouter } from '@metaspo/evaluator';
import type { LlmRouter } from '@metaspo/llm-gateway';
import type { OptimizerRouter } from '@metaspo/optimizer';
import { router } from '@metaspo/service-kit';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';

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
/** `RouterInputs['optimizer']['runs']['create']`: a procedure's input as a caller writes it. */
export type RouterInputs = inferRouterInputs<AppRouter>;
/** `RouterOutputs['optimizer']['runs']['get']`: what a procedure answers. */
export type RouterOutputs = inferRouterOutputs<AppRouter>;

/** One service alone, under the same namespace, so clients use the same paths either way. */
export function createSingleServiceRouter<TName extends ServiceName>(
  name: TName,
  serviceRouter: ServiceRouters[TName],
) {
  return router({ [name]: serviceRouter } as Pick<ServiceRouters, TName>);
}
/** What a process running the one service `TName` serves: that router under its namespace. */
export type SingleServiceRouter<TName extends ServiceName> = ReturnType<
  typeof createSingleServiceRouter<TName>
>;
