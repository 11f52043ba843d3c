import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** A kernel body: reads the input arrays, writes every element of every output array. */
export type TypedKernelBody = (inputs: Float32Array[], outputs: Float32Array[]) => void;

/**
 * Runs a plain typed-array kernel on float32 tensors and returns its outputs as tensors, copying nothing where
 * the backend allows: on wasm the arrays are views of the wasm heap, on cpu the tensors' own arrays; elsewhere
 * (tfjs-node) inputs are read and outputs written once. Outputs start uninitialized, and the arrays must not be
 * kept after `body` returns (heap views go stale when the wasm heap grows).
 */
export function runTypedKernel(
  inputs: readonly tf.Tensor[],
  outputShapes: readonly (readonly number[])[],
  body: TypedKernelBody,
): tf.Tensor[] {
  if (tf.getBackend() === 'wasm')
    return runOnWasmHeap(tf.backend() as BackendWasm, inputs, outputShapes, body);
  const outputs = outputShapes.map((shape) => new Float32Array(tf.util.sizeFromShape([...shape])));
  body(
    inputs.map((input) => input.dataSync() as Float32Array),
    outputs,
  );
  return outputs.map((values, i) => tf.tensor(values, [...outputShapes[i]!], 'float32'));
}

/** The wasm path: inputs moved to the heap first, then outputs allocated, then views taken (no allocation after). */
function runOnWasmHeap(
  backend: BackendWasm,
  inputs: readonly tf.Tensor[],
  outputShapes: readonly (readonly number[])[],
  body: TypedKernelBody,
): tf.Tensor[] {
  // A tensor made on another backend is moved into the heap on first access, which may grow (and detach) it.
  for (const input of inputs) backend.dataIdMap.get(input.dataId);
  const infos = outputShapes.map((shape) => backend.makeOutput([...shape], 'float32'));
  try {
    body(
      inputs.map((input) => backend.typedArrayFromHeap(input) as Float32Array),
      infos.map((info) => backend.typedArrayFromHeap(info) as Float32Array),
    );
  } catch (error) {
    for (const info of infos) backend.disposeData(info.dataId);
    throw error;
  }
  return infos.map((info) => tf.engine().makeTensorFromTensorInfo(info, backend));
}
