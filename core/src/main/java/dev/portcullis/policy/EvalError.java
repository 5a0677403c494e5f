package dev.portcullis.policy;

/**
 * A condition that cannot be evaluated for this call (a missing key, a value of the wrong type). The engine turns it
 * into a denial naming the rule and the expression. Carries no stack trace: it is an answer, not a bug.
 */
final class EvalError extends RuntimeException {
  EvalError(String message) {
    super(message, null, false, false);
  }
}
