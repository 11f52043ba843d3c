// The two events the bench indexes, as viem ABIs.
import { parseAbi } from 'viem';

export const erc20Abi = parseAbi(['event Transfer(address indexed from, address indexed to, uint256 value)']);

export const uniswapV2PairAbi = parseAbi([
  'event Swap(address indexed sender, uint256 amount0In, uint256 amount1In, uint256 amount0Out, uint256 amount1Out, address indexed to)',
]);
