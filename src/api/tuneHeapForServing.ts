import { setFlagsFromString } from 'node:v8';

/**
 * Sets V8's heap for serving the API at low latency, trading memory for fewer full collections (each one delayed
 * the 100–170 requests that arrived while it marked by 40–110 ms, at 2,000 requests a second on 2 cores). Call it
 * once, before serving.
 * - Allocation-site pretenuring off. V8 allocates a site's objects straight in the old generation once most of
 *   them have outlived a young collection; a server's slow requests (a `riskScores` of 1,000 addresses) teach
 *   that to the parser's and executor's sites, and then every request's document and execution state go to the
 *   old generation and die there. At 2,000 lookups a second with the address inline, 8.5 MB/s reached the old
 *   generation with pretenuring on, 1.3 MB/s with it off.
 * - The old generation may double between full collections (V8 otherwise let it grow by 12–31% here: with ~90 MB
 *   live, a full collection every 11–28 MB promoted). In the API bench the heap then reached 145–190 MB
 *   before a full collection, against 102–139 MB with V8's growth.
 */
export function tuneHeapForServing(): void {
  setFlagsFromString('--no-allocation-site-pretenuring');
  setFlagsFromString('--heap-growing-percent=100');
}
