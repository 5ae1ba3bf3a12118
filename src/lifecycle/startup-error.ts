/** A start-up failure with one sentence for the operator; main prints it without a stack trace. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}
