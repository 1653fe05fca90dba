import type { RunEvent, RunProgress, RunStatus } from '@metaspo/schemas';
import { useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useEffect, useRef, useState } from 'react';
import { useTRPC } from '../trpc.js';

const REFRESH_EVERY_MS = 1_000;
const KEPT_EVENTS = 200;

type Received = RunEvent | { id: string; data: RunEvent };
const isEnvelope = (received: Received): received is { id: string; data: RunEvent } =>
  'data' in received && !('type' in received);

/** Events sent with `tracked(seq, event)` arrive as {id, data}; the envelope only serves reconnects. */
function unwrapEvent(received: Received): RunEvent {
  return isEnvelope(received) ? received.data : (received as RunEvent);
}

export interface RunLiveState {
  connection: 'idle' | 'connecting' | 'pending' | 'error';
  progress: RunProgress | null;
  status: RunStatus | null;
  dropped: Array<Extract<RunEvent, { type: 'candidate-dropped' }>>;
  recent: RunEvent[];
}

/**
 * Follows a run's event stream while the page is open. Progress is shown straight from the
 * events; the run and its nodes are refetched at most once a second, so a fast run does not
 * turn every event into a request.
 */
export function useRunLive(runId: string, enabled: boolean): RunLiveState {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [state, setState] = useState<Omit<RunLiveState, 'connection'>>({
    progress: null,
    status: null,
    dropped: [],
    recent: [],
  });
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  // A resumed run restarts the stream from its first event: what was seen already is skipped.
  const lastSeq = useRef(-1);

  useEffect(
    () => () => {
      if (refreshTimer.current) clearTimeout(refreshTimer.current);
    },
    [],
  );

  const scheduleRefresh = () => {
    if (refreshTimer.current) return;
    refreshTimer.current = setTimeout(() => {
      refreshTimer.current = null;
      void queryClient.invalidateQueries(trpc.optimizer.runs.get.queryFilter({ id: runId }));
      void queryClient.invalidateQueries(trpc.optimizer.nodes.list.queryFilter({ runId }));
      void queryClient.invalidateQueries(trpc.llm.usage.queryFilter({ runId }));
    }, REFRESH_EVERY_MS);
  };

  const subscription = useSubscription(
    trpc.optimizer.events.subscriptionOptions(
      { runId },
      {
        enabled,
        onData: (received) => {
          const event = unwrapEvent(received);
          if (event.seq <= lastSeq.current) return;
          lastSeq.current = event.seq;
          setState((s) => ({
            progress: event.type === 'progress' ? event.progress : s.progress,
            status: event.type === 'status' ? event.status : s.status,
            dropped: event.type === 'candidate-dropped' ? [...s.dropped, event] : s.dropped,
            recent: [...s.recent, event].slice(-KEPT_EVENTS),
          }));
          if (event.type !== 'progress' || event.progress.requestsDone === event.progress.requestsTotal) {
            scheduleRefresh();
          }
        },
      },
    ),
  );
  return { connection: subscription.status, ...state };
}
