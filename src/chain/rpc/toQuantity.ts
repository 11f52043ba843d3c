/** A block number or other integer as a JSON-RPC quantity: 0x-hex without leading zeros. */
export function toQuantity(n: number): string {
  return `0x${n.toString(16)}`;
}
