import { useQuery } from '@tanstack/react-query';

async function checkHealth(): Promise<true> {
  const response = await fetch('/health', { cache: 'no-store' });
  if (!response.ok) throw new Error(`server answered ${response.status}`);
  return true;
}

/** Polls `/health` so a stopped server shows a banner on every page instead of silent spinners. */
export function ServerBanner() {
  const health = useQuery({
    queryKey: ['server-health'],
    queryFn: checkHealth,
    refetchInterval: 5_000,
    retry: 1,
    retryDelay: 500,
  });
  if (!health.isError) return null;
  return (
    <div className="banner banner-error" role="alert">
      <strong>The MetaSPO server is unreachable.</strong> Start it with <code>pnpm metaspo serve</code>; this
      page reconnects by itself.{' '}
      <button type="button" onClick={() => void health.refetch()}>
        Retry now
      </button>
    </div>
  );
}
