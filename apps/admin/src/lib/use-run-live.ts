import type { RunEvent, RunProgress, RunStatus } from '@metaspo/schemas';
import { useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useEffect, useRef, useState } from 'react';
import { useTRPC } from '../trpc.js';

const REFRESH_EVERY_MS = 2_000;
const RENDER_EVERY_MS = 250;
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
 * events, at most four renders a second; the run, its nodes and races are refetched at most every two
 * seconds, so a fast run turns neither every event into a render nor into a request.
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
  const renderTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  // Events arrive by the hundred a second on the simulator: they are applied in one render per tick.
  const pending = useRef<RunEvent[]>([]);
  // A resumed run restarts the stream from its first event: what was seen already is skipped.
  const lastSeq = useRef(-1);

  useEffect(
    () => () => {
      if (refreshTimer.current) clearTimeout(refreshTimer.current);
      if (renderTimer.current) clearTimeout(renderTimer.current);
    },
    [],
  );

  const scheduleRefresh = () => {
    if (refreshTimer.current) return;
    refreshTimer.current = setTimeout(() => {
      refreshTimer.current = null;
      void queryClient.invalidateQueries(trpc.optimizer.runs.get.queryFilter({ id: runId }));
      void queryClient.invalidateQueries(trpc.optimizer.nodes.list.queryFilter({ runId }));
      void queryClient.invalidateQueries(trpc.optimizer.runs.races.queryFilter({ id: runId }));
      void queryClient.invalidateQueries(trpc.llm.usage.queryFilter({ runId }));
    }, REFRESH_EVERY_MS);
  };

  const flush = () => {
    renderTimer.current = null;
    const events = pending.current;
    pending.current = [];
    setState((s) => applyEvents(s, events));
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
          pending.current.push(event);
          renderTimer.current ??= setTimeout(flush, RENDER_EVERY_MS);
          if (event.type !== 'progress' || event.progress.requestsDone === event.progress.requestsTotal) {
            scheduleRefresh();
          }
        },
      },
    ),
  );
  return { connection: subscription.status, ...state };
}

function applyEvents(
  state: Omit<RunLiveState, 'connection'>,
  events: RunEvent[],
): Omit<RunLiveState, 'connection'> {
  let { progress, status } = state;
  const dropped = [...state.dropped];
  for (const event of events) {
    if (event.type === 'progress') progress = event.progress;
    else if (event.type === 'status') status = event.status;
    else if (event.type === 'candidate-dropped') dropped.push(event);
  }
  return { progress, status, dropped, recent: [...state.recent, ...events].slice(-KEPT_EVENTS) };
}
