package io.meshsdk.testkit;

import io.meshsdk.contract.ProductContract;
import io.meshsdk.migration.Migration;
import io.micrometer.core.instrument.MeterRegistry;
import org.assertj.core.api.Assertions;

/**
 * The testkit's entry point for assertions, extending AssertJ's {@link Assertions} so one static
 * import serves both.
 *
 * <pre>{@code
 * assertThatProduct(OrderPlaced.class)
 *     .compliesWith(GovernancePolicy.standard())
 *     .isCompatibleWith(previousSchema, Compatibility.FULL_TRANSITIVE)
 *     .rejects(orderWithNegativeAmount, "amountCents");
 *
 * assertThat(mesh.published(OrderPlaced.class)).hasSize(2).first().hasKey("o-1");
 * assertThat(mesh.deadLetters("shipping")).hasSize(1).first().hasReason("truncated");
 * assertThat(mesh.traces()).hasParentChild("publish " + topic, "process " + topic);
 * assertThatMetrics(mesh).hasCount(MeshMetrics.CONSUME, 2, "outcome", "success");
 * }</pre>
 *
 * <p>Thread-safety: stateless.
 */
public class MeshAssertions extends Assertions {
  /** For subclassing only; use the static methods. */
  protected MeshAssertions() {}

  /**
   * Starts assertions on a product class; reading its contract is itself the first assertion.
   *
   * @param type the product class
   * @param <T> the product type
   * @return the assertion
   */
  public static <T> ProductAssert<T> assertThatProduct(Class<T> type) {
    return new ProductAssert<>(ProductContract.of(type));
  }

  /**
   * Starts assertions on a contract.
   *
   * @param contract the contract
   * @param <T> the product type
   * @return the assertion
   */
  public static <T> ProductAssert<T> assertThatProduct(ProductContract<T> contract) {
    return new ProductAssert<>(contract);
  }

  /**
   * Starts assertions on a migration between two majors.
   *
   * @param migration the migration
   * @param <O> the older type
   * @param <N> the newer type
   * @return the assertion
   */
  public static <O, N> MigrationAssert<O, N> assertThatMigration(Migration<O, N> migration) {
    return new MigrationAssert<>(migration);
  }

  /**
   * Starts assertions on the events of a product's topic ({@code mesh.published(X.class)}); they
   * wait for events to arrive.
   *
   * @param events the live view
   * @param <T> the product type
   * @return the assertion
   */
  public static <T> PublishedEventsAssert<T> assertThat(PublishedEvents<T> events) {
    return new PublishedEventsAssert<>(events);
  }

  /**
   * Starts assertions on one published event.
   *
   * @param event the event
   * @param <T> the product type
   * @return the assertion
   */
  public static <T> PublishedEventAssert<T> assertThat(PublishedEvent<T> event) {
    return new PublishedEventAssert<>(event);
  }

  /**
   * Starts assertions on a group's dead letters ({@code mesh.deadLetters("group")}); they wait for
   * dead letters to arrive.
   *
   * @param deadLetters the live view
   * @return the assertion
   */
  public static DeadLettersAssert assertThat(DeadLetterQueue deadLetters) {
    return new DeadLettersAssert(deadLetters);
  }

  /**
   * Starts assertions on one dead letter.
   *
   * @param deadLetter the dead letter
   * @return the assertion
   */
  public static DeadLetterAssert assertThat(DeadLetter deadLetter) {
    return new DeadLetterAssert(deadLetter);
  }

  /**
   * Starts assertions on the spans of a mesh ({@code mesh.traces()}); they wait for spans to end.
   *
   * @param traces the live view
   * @return the assertion
   */
  public static TracesAssert assertThat(Traces traces) {
    return new TracesAssert(traces);
  }

  /**
   * Starts assertions on meters, waiting up to 10 seconds for values to be reached.
   *
   * @param meters the registry, for example {@code mesh.metrics()}
   * @return the assertion
   */
  public static MetricsAssert assertThat(MeterRegistry meters) {
    return new MetricsAssert(meters, java.time.Duration.ofSeconds(10));
  }

  /**
   * Starts assertions on the meters of a test mesh, waiting up to its timeout.
   *
   * @param mesh the test mesh
   * @return the assertion
   */
  public static MetricsAssert assertThatMetrics(TestMesh mesh) {
    return new MetricsAssert(mesh.metrics(), mesh.timeout());
  }
}
