/** What a contract is, judged from the function selectors its runtime bytecode pushes (PUSH4). */
export type ContractStandard =
  | 'erc20'
  | 'erc721'
  | 'erc1155'
  | 'uniswap_v2_pair'
  | 'uniswap_v3_pool'
  | 'unknown';

const selectors = {
  transfer: 'a9059cbb',
  balanceOf: '70a08231',
  totalSupply: '18160ddd',
  allowance: 'dd62ed3e',
  ownerOf: '6352211e',
  safeTransferFrom: '42842e0e',
  balanceOfBatch: '4e1273f4',
  safeBatchTransferFrom: '2eb2c2d6',
  getReserves: '0902f1ac',
  swapV2: '022c0d9f',
  slot0: '3850c7bd',
  swapV3: '128acb08',
} as const;

/** Classifies runtime bytecode: pools first (they are also ERC-20s), then ERC-1155, ERC-721, ERC-20. */
export function detectStandard(code: string): ContractStandard {
  const text = code.toLowerCase();
  const has = (...names: (keyof typeof selectors)[]) =>
    names.every((name) => text.includes(`63${selectors[name]}`));
  if (has('getReserves', 'swapV2')) return 'uniswap_v2_pair';
  if (has('slot0', 'swapV3')) return 'uniswap_v3_pool';
  if (has('balanceOfBatch', 'safeBatchTransferFrom')) return 'erc1155';
  if (has('ownerOf', 'safeTransferFrom', 'balanceOf')) return 'erc721';
  if (has('transfer', 'balanceOf', 'totalSupply', 'allowance')) return 'erc20';
  return 'unknown';
}
