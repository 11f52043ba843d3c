/** Options shared by every chaingnn error. */
export interface BaseErrorOptions {
  /** Extra context for people debugging: what was seen, what was expected, what to do. */
  details?: string | undefined;
  /** The underlying error, if this one wraps another. */
  cause?: unknown;
  /** A stable machine-readable code (e.g. `CONFIG_INVALID`), used by the API and the CLI. */
  code?: string | undefined;
}

/**
 * The root of every error chaingnn throws on purpose. `shortMessage` is one line for humans; `details`
 * says more; `message` combines both so that a plain `console.error(err.message)` is still useful.
 */
export class BaseError extends Error {
  override name = 'BaseError';
  readonly shortMessage: string;
  readonly details: string | undefined;
  readonly code: string;
  /** Whether doing the same work again may succeed (network blips, locks, rate limits). */
  readonly retryable: boolean = false;

  constructor(shortMessage: string, options: BaseErrorOptions = {}) {
    super(options.details ? `${shortMessage}\n\n${options.details}` : shortMessage, {
      cause: options.cause,
    });
    this.shortMessage = shortMessage;
    this.details = options.details;
    this.code = options.code ?? 'INTERNAL';
  }
}

/** An error that may go away if the same work is tried again later (jobs retry these with backoff). */
export class RetryableError extends BaseError {
  override name = 'RetryableError';
  override readonly retryable = true;
}

/** An error that will happen again on retry: bad input, bad config, a broken invariant. */
export class NonRetryableError extends BaseError {
  override name = 'NonRetryableError';
  override readonly retryable = false;
}

/** True when `error` is a chaingnn error that says retrying may help. Unknown errors are not retried. */
export function isRetryable(error: unknown): boolean {
  return error instanceof BaseError && error.retryable;
}
