import type { Communities } from '../../src/graph/computeCommunities.js';

/** Communities of `n` nodes with every analytic at zero, for tests whose snapshot needs some. */
export function emptyCommunities(n: number): Communities {
  return {
    community: new Uint32Array(n),
    communitySize: new Uint32Array(n),
    modularity: 0,
    pagerank: new Float64Array(n),
    component: new Uint32Array(n),
    componentSize: new Uint32Array(n),
    coreNumber: new Uint32Array(n),
  };
}
