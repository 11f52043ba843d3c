import { type Hex, toHex } from 'viem';
import { mnemonicToAccount } from 'viem/accounts';

/** The well-known development mnemonic: hardhat and anvil fund its first accounts by default. */
export const devMnemonic = 'test test test test test test test test test test test junk';

/** The private keys of the dev mnemonic's first `count` accounts (m/44'/60'/0'/0/i). */
export function devMnemonicKeys(count: number): Hex[] {
  return Array.from({ length: count }, (_, i) =>
    toHex(mnemonicToAccount(devMnemonic, { addressIndex: i }).getHdKey().privateKey!),
  );
}
