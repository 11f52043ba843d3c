import { createRequire } from 'node:module';
import { type Abi, type Hex, keccak256 } from 'viem';
import { NonRetryableError } from '../../internal/errors.js';
import type { CompiledContract } from './compileContracts.js';

const require = createRequire(import.meta.url);

/** Reads one build artifact (`{ abi, bytecode }` or `{ abi, evm: { bytecode: { object } } }`). */
function loadArtifact(path: string): CompiledContract {
  const artifact = require(path) as { abi: Abi; bytecode?: string; evm?: { bytecode?: { object?: string } } };
  const object = artifact.bytecode || artifact.evm?.bytecode?.object;
  if (!object) {
    throw new NonRetryableError(`The build artifact ${path} has no bytecode`, { code: 'UNISWAP_ARTIFACT' });
  }
  return { abi: artifact.abi, bytecode: (object.startsWith('0x') ? object : `0x${object}`) as Hex };
}

const pair = loadArtifact('@uniswap/v2-core/build/UniswapV2Pair.json');

/** keccak256 of UniswapV2Pair's creation code: the router computes pair addresses (CREATE2) from it. */
export const uniswapV2PairInitCodeHash: Hex = keccak256(pair.bytecode);

/** WETH9, UniswapV2Factory, UniswapV2Router02 and UniswapV2Pair from the @uniswap/v2-* build artifacts. */
export function loadUniswapArtifacts(): {
  WETH9: CompiledContract;
  UniswapV2Factory: CompiledContract;
  UniswapV2Router02: CompiledContract;
  UniswapV2Pair: CompiledContract;
} {
  const router = loadArtifact('@uniswap/v2-periphery/build/UniswapV2Router02.json');
  if (!router.bytecode.includes(uniswapV2PairInitCodeHash.slice(2))) {
    throw new NonRetryableError(
      'UniswapV2Router02 does not match UniswapV2Pair: its init code hash differs',
      {
        code: 'UNISWAP_ARTIFACT',
        details:
          `The router's pairFor() would compute wrong pair addresses: it must embed the pair init code hash ` +
          `${uniswapV2PairInitCodeHash}. Install matching @uniswap/v2-core and @uniswap/v2-periphery packages.`,
      },
    );
  }
  return {
    WETH9: loadArtifact('@uniswap/v2-periphery/build/WETH9.json'),
    UniswapV2Factory: loadArtifact('@uniswap/v2-core/build/UniswapV2Factory.json'),
    UniswapV2Router02: router,
    UniswapV2Pair: pair,
  };
}
