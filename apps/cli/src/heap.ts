/**
 * V8's semi-space (half the young generation) of a process that hosts the gateway, in MB. With
 * hundreds of calls in flight, every scavenge copies their live state; V8's default of 16 MB
 * scavenged so often that the collector took about a sixth of the CPU per call: 64 MB took
 * 136-163 against 163-181 us per call at concurrency 256 (docs/architecture.md, the gateway's
 * hot path). It costs up to about 100 MB more RSS at peak.
 */
export const GATEWAY_SEMI_SPACE_MB = 64;

export const SEMI_SPACE_FLAG = '--max-semi-space-size';

/**
 * The heap flag to start a gateway-hosting child with: none when this process already has one
 * (a caller who chose a size keeps it), so the child inherits it through execArgv instead.
 */
export function semiSpaceArgs(megabytes = GATEWAY_SEMI_SPACE_MB): string[] {
  return process.execArgv.some((arg) => arg.startsWith(SEMI_SPACE_FLAG))
    ? []
    : [`${SEMI_SPACE_FLAG}=${megabytes}`];
}
