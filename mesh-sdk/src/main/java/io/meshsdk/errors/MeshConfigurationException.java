package io.meshsdk.errors;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The SDK was set up wrongly: a product class that cannot be a data product, a bad setting, a
 * schema that is not registered in {@code VERIFY} mode. Never retriable: fix the code or the
 * configuration.
 *
 * <p>When several things are wrong at once, {@link #problems()} lists every one of them, so a
 * single run shows the whole list instead of one problem per attempt.
 *
 * <p>Thread-safety: immutable once thrown.
 */
public class MeshConfigurationException extends MeshException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  /**
   * Creates an exception for a single problem.
   *
   * @param message the problem, naming the offending class, field or setting
   */
  public MeshConfigurationException(String message) {
    this(message, (Throwable) null);
  }

  /**
   * Creates an exception for a single problem with its cause.
   *
   * @param message the problem, naming the offending class, field or setting
   * @param cause the underlying failure, may be {@code null}
   */
  public MeshConfigurationException(String message, @Nullable Throwable cause) {
    super(message, cause);
    this.problems = List.of(message);
  }

  /**
   * Creates an exception listing several problems under one heading.
   *
   * @param heading what was being configured, for example {@code "io.acme.OrderPlaced cannot be a
   *     data product"}
   * @param problems every problem found, each naming its class and field; not empty
   */
  public MeshConfigurationException(String heading, List<String> problems) {
    super(format(heading, problems));
    this.problems = List.copyOf(problems);
  }

  /**
   * Every problem found, in the order they were found.
   *
   * @return an immutable, non-empty list
   */
  public List<String> problems() {
    return problems;
  }

  private static String format(String heading, List<String> problems) {
    Objects.requireNonNull(heading, "heading");
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("problems must not be empty");
    }
    StringBuilder sb = new StringBuilder(heading).append(':');
    for (String problem : problems) {
      sb.append("\n  - ").append(problem);
    }
    return sb.toString();
  }
}
