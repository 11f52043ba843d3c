/** Feature rows of the pooled price windows: one row per (token, window), no targets. */
export interface PriceRows {
  /** The feature columns, in order. */
  featureNames: readonly string[];
  /** rows × featureNames.length, row-major; NaN where a feature needs more history than there is. */
  features: Float32Array;
  /** Per row, the index of its token in `tokens`. */
  tokenIds: Int32Array;
  /** Token addresses, indexed by `tokenIds`. */
  tokens: readonly string[];
  /** Per row, the start of its window (Unix seconds). */
  windowStarts: Float64Array;
}

/**
 * Rows a predictor may learn from: every target (the log return of the row's next window) was known when the
 * predicted window's features were. A target is NaN where the token's series ends: predictors skip those rows.
 */
export interface PriceTrainingSet extends PriceRows {
  targets: Float32Array;
}

/** One forecast of the next window's log return. */
export interface PricePrediction {
  predictedReturn: number;
  /** Lower end of the predictor's interval for the return, if it gives one. */
  lower?: number;
  /** Upper end of the predictor's interval for the return, if it gives one. */
  upper?: number;
  /** The predicted probability that the return is above zero, if the predictor gives one. */
  directionProb?: number;
}

/**
 * A model forecasting each row's next-window log return. `predict` gets the rows to forecast and `history`: the
 * features (never targets) of every row up to and including the predicted window, for models over the window
 * sequence. It returns one prediction per row, in order.
 */
export interface PricePredictor {
  readonly name: string;
  fit(train: PriceTrainingSet): Promise<void> | void;
  predict(rows: PriceRows, history: PriceRows): Promise<PricePrediction[]> | PricePrediction[];
}
