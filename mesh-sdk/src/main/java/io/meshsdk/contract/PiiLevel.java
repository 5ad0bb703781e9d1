package io.meshsdk.contract;

/**
 * How sensitive a field holding personal data is, from least to most. Every level keeps the value
 * out of error messages, logs and span attributes; the levels let governance rules and downstream
 * tools (masking, retention) treat them differently.
 *
 * <p>Thread-safety: immutable.
 */
public enum PiiLevel {
  /** Identifies a person only together with other data (postcode, birth year, device id). */
  QUASI_IDENTIFIER,
  /** Identifies a person directly (name, e-mail, phone number, IP address). */
  PERSONAL,
  /** Special-category or financial data (health, national id, IBAN, card number). */
  SENSITIVE
}
