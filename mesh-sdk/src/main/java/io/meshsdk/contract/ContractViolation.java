package io.meshsdk.contract;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One way a record breaks its product's contract.
 *
 * <p>Thread-safety: immutable.
 *
 * @param path the field path, for example {@code items[2].quantity}
 * @param rule the rule broken, for example {@code NotBlank} or {@code Size}
 * @param message what a valid value looks like, never the value itself
 * @param pii whether the field is classified as personal data
 * @param invalidValue the offending value, for debugging in code; {@code null} for PII fields and
 *     for {@code null} values. It is never put into messages.
 */
public record ContractViolation(
    String path, String rule, String message, boolean pii, @Nullable Object invalidValue) {

  /** Validates the parts; keeps PII values out. */
  public ContractViolation {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(message, "message");
    if (pii) {
      invalidValue = null;
    }
  }

  /**
   * The offending value when the field is not personal data.
   *
   * @return the value, empty for PII fields and {@code null} values
   */
  public Optional<Object> value() {
    return Optional.ofNullable(invalidValue);
  }

  /**
   * The violation as one line, for example {@code "amountCents: must be greater than 0
   * (Positive)"}; no value is shown.
   *
   * @return the text
   */
  @Override
  public String toString() {
    return path + ": " + message + " (" + rule + (pii ? ", PII" : "") + ")";
  }
}
