import { describe, expect, it } from 'vitest';
import { parseNodeModelConfig } from '../models/nodeModelConfig.js';
import { buildNodeLossWeights } from './buildNodeLossWeights.js';

const classifier = parseNodeModelConfig({
  architecture: 'sage',
  task: 'classification',
  inChannels: 1,
  outChannels: 2,
});
const labels = Int32Array.of(0, 0, 0, 1, -1, 1);
const train = Uint32Array.of(0, 1, 2, 3);

describe('buildNodeLossWeights', () => {
  it('weighs train nodes by their class (balanced: n / (classes · count)) and every other node 0', () => {
    expect(Array.from(buildNodeLossWeights(classifier, labels, 6, train, 'none'))).toEqual([
      1, 1, 1, 1, 0, 0,
    ]);
    const balanced = buildNodeLossWeights(classifier, labels, 6, train, 'balanced');
    expect(Array.from(balanced)).toEqual([4 / 6, 4 / 6, 4 / 6, 2, 0, 0].map(Math.fround));
    expect(Array.from(buildNodeLossWeights(classifier, labels, 6, train, [1, 5]))).toEqual([
      1, 1, 1, 5, 0, 0,
    ]);
  });

  it('refuses unlabelled train nodes, targets of the wrong kind and class weights of the wrong length', () => {
    expect(() => buildNodeLossWeights(classifier, labels, 6, Uint32Array.of(4), 'none')).toThrow(
      /Train node 4 has label -1[\s\S]*a class from 0 to 1/,
    );
    expect(() => buildNodeLossWeights(classifier, new Float32Array(6), 6, train, 'none')).toThrow(
      /Class labels are Float32Array of 6 values[\s\S]*Expected an Int32Array/,
    );
    expect(() => buildNodeLossWeights(classifier, labels, 6, train, [1])).toThrow(
      /classWeights has 1 entries/,
    );
    const regressor = parseNodeModelConfig({
      architecture: 'sage',
      task: 'regression',
      inChannels: 1,
      outChannels: 2,
    });
    expect(() => buildNodeLossWeights(regressor, new Float32Array(6), 6, train, 'none')).toThrow(
      /Expected a Float32Array \[numNodes, outChannels\] = \[6, 2\]/,
    );
    const targets = new Float32Array(12).fill(1);
    targets[3] = Number.NaN;
    expect(() => buildNodeLossWeights(regressor, targets, 6, train, 'none')).toThrow(
      'Train node 1 has no target',
    );
  });
});
