import type { ExperimentEvent, ExperimentProgress, ExperimentStatus } from '@metaspo/schemas';
import { useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useEffect, useRef, useState } from 'react';
import { useTRPC } from '../trpc.js';

const REFRESH_EVERY_MS = 1_000;

export interface ExperimentLive {
  progress: ExperimentProgress | null;
  status: ExperimentStatus | null;
}

/**
 * Follows an experiment's events while it runs: progress is shown from the events as they
 * come; a cell or status event refetches the record (its cells, then its report) at most once
 * a second, so a fast grid does not turn every event into a request.
 */
export function useExperimentLive(id: string, enabled: boolean): ExperimentLive {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [live, setLive] = useState<ExperimentLive>({ progress: null, status: null });
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(
    () => () => {
      if (refreshTimer.current) clearTimeout(refreshTimer.current);
    },
    [],
  );

  const scheduleRefresh = () => {
    refreshTimer.current ??= setTimeout(() => {
      refreshTimer.current = null;
      void queryClient.invalidateQueries(trpc.optimizer.experiments.get.queryFilter({ id }));
      void queryClient.invalidateQueries(trpc.optimizer.experiments.list.queryFilter());
    }, REFRESH_EVERY_MS);
  };

  useSubscription(
    trpc.optimizer.experiments.events.subscriptionOptions(
      { id },
      {
        enabled,
        onData: (event: ExperimentEvent) => {
          if (event.type === 'progress') setLive((s) => ({ ...s, progress: event.progress }));
          else {
            if (event.type === 'status') setLive((s) => ({ ...s, status: event.status }));
            scheduleRefresh();
          }
        },
      },
    ),
  );
  // A new subscription (after a resume) starts from the record's own figures again.
  useEffect(() => {
    if (enabled) setLive({ progress: null, status: null });
  }, [enabled]);
  return live;
}
