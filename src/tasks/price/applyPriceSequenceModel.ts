import * as tf from '@tensorflow/tfjs';
import { type PriceSequenceModel, priceSequenceOutputs } from './PriceSequenceModel.js';

/** Sequences scored per tensor call: bounds the memory of one forward pass. */
const chunkRows = 1024;

/**
 * The raw outputs (rows × priceSequenceOutputs, row-major) of `model` on `count` standardised sequences (count × lookback × features,
 * as buildPriceSequences builds them), in inference mode, chunk by chunk; leaves no tensor behind.
 */
export function applyPriceSequenceModel(
  model: PriceSequenceModel,
  sequences: Float32Array,
  count: number,
): Float32Array {
  const { lookback, inChannels } = model.config;
  const size = lookback * inChannels;
  const width = priceSequenceOutputs.length;
  const out = new Float32Array(count * width);
  for (let start = 0; start < count; start += chunkRows) {
    const rows = Math.min(chunkRows, count - start);
    const predictions = tf.tidy(() =>
      model.apply(
        tf.tensor3d(sequences.subarray(start * size, (start + rows) * size), [rows, lookback, inChannels]),
        false,
      ),
    );
    // Read outside the tidy: tfjs walks every element of an array a tidy returns, looking for tensors.
    out.set(predictions.dataSync(), start * width);
    predictions.dispose();
  }
  return out;
}
