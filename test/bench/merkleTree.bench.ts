// The airdrop's claim tree on BENCH_LEAVES random entries (default 1M; addresses and amounts up to 2^256 − 1 from
// a fixed seed):
// - buildClaimTree (the fastest of 3 runs: other work on the machine only ever adds time) against OpenZeppelin's
//   StandardMerkleTree.of on the same leaves in the same run (one run: minutes at 1M). The roots must agree, or
//   the bench fails.
// - writeClaimTreeFiles (merkle-tree.json and claims.json, about 1.7 GB at 1M) into a scratch directory under
//   .tmp/, against the floor: as many bytes written through the same atomic writer (SHA-256, fsync and rename
//   included) from one reused chunk. Both are deleted afterwards.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { buildClaimTree, type ClaimTree, claimLeafEncoding } from '../../src/tasks/airdrop/buildClaimTree.js';
import { writeClaimTreeFiles } from '../../src/tasks/airdrop/writeClaimTreeFiles.js';
import { openAtomicFile } from '../../src/utils/writeFileAtomic.js';
import { randomClaimEntries } from '../setup/randomClaimEntries.js';
import { report, timeIt } from './report.js';

const leaves = Number(process.env.BENCH_LEAVES ?? 1_000_000);
const runs = 3;
const round = (seconds: number) => Number(seconds.toFixed(3));

const entries = randomClaimEntries(leaves, 'merkleTree.bench');

let tree: ClaimTree | undefined;
const ourRuns: number[] = [];
for (let run = 0; run < runs; run += 1) {
  tree = undefined; // let the previous run's tree go before the next is built
  ourRuns.push(
    await timeIt(async () => {
      tree = buildClaimTree(entries);
    }),
  );
}
const ours = Math.min(...ourRuns);
const builtTree = tree!;

const ozValues = entries.map(({ address, amount }) => [address, amount.toString()]);
let ozRoot = '';
const oz = await timeIt(async () => {
  ozRoot = StandardMerkleTree.of(ozValues, [...claimLeafEncoding]).root;
});
if (ozRoot !== builtTree.root) {
  throw new Error(`buildClaimTree's root ${builtTree.root} differs from StandardMerkleTree's ${ozRoot}`);
}
report({
  bench: 'merkleTree.buildClaimTree',
  value: round(ours),
  unit: 's',
  baseline: round(oz),
  ratio: ours / oz,
  leaves,
  runs: ourRuns.map(round),
  root: builtTree.root,
});

const scratchRoot = join(fileURLToPath(new URL('../..', import.meta.url)), '.tmp');
mkdirSync(scratchRoot, { recursive: true });
const dir = mkdtempSync(join(scratchRoot, 'bench-merkleTree-'));
try {
  let written: ReturnType<typeof writeClaimTreeFiles> | undefined;
  const writeSeconds = await timeIt(async () => {
    written = writeClaimTreeFiles(builtTree, dir);
  });
  const { merkleTree, claims } = written!;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  const floorSeconds = await timeIt(async () =>
    writeBytes(join(dir, 'floor'), merkleTree.bytes + claims.bytes),
  );
  report({
    bench: 'merkleTree.writeClaimTreeFiles',
    value: round(writeSeconds),
    unit: 's',
    baseline: round(floorSeconds),
    ratio: writeSeconds / floorSeconds,
    leaves,
    merkleTreeBytes: merkleTree.bytes,
    claimsBytes: claims.bytes,
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** The floor: `bytes` bytes written atomically from one reused 4 MiB chunk. */
function writeBytes(path: string, bytes: number): void {
  const chunk = Buffer.alloc(4 << 20, 0x61);
  const file = openAtomicFile(path);
  for (let left = bytes; left > 0; left -= chunk.length)
    file.write(chunk.subarray(0, Math.min(left, chunk.length)));
  file.commit();
}
