package io.meshsdk.producer;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * A producer of a new major that also publishes each event, translated by the registered downcast
 * migrations, to an older major's topic during a migration period, so consumers of the older major
 * keep working until they move. Both records carry the same event id ({@code ce_id}); the
 * translated one names the original as its parent and carries {@code ce_meshtranslatedfrom}, so
 * consumers and lineage tools can tell them apart and de-duplicate.
 *
 * <pre>{@code
 * DualProducer<OrderPlacedV2> orders = mesh.dualProducer(OrderPlacedV2.class)
 *     .alsoAs(OrderPlacedV1.class)      // until V1's @Sunset date, or until(...)
 *     .build();
 * orders.send(order);                   // orders.order-placed.v2 and, translated, .v1
 * }</pre>
 *
 * <p>Failure semantics. The translation is computed and checked against the older contract before
 * anything is sent: a failing downcast throws a {@code MigrationException}, an invalid translation
 * a {@code ContractViolationException}, and nothing is sent. Then:
 *
 * <ul>
 *   <li>without transactions (default) the original is sent first and the translation after it is
 *       acknowledged (it names the original's offset), in order per key; if the original fails,
 *       nothing was written; if only the translation fails, the original stays in the new topic,
 *       the returned future fails with a {@link DualPublishException} carrying the original's
 *       result, and {@code mesh.dual.publish{outcome=partial}} counts it;
 *   <li>with {@link Builder#transactional()} both records are written in one transaction per event:
 *       both become visible to {@code read_committed} readers (every Mesh consumer) or neither
 *       does. Sends are serialized, so this trades throughput for atomicity.
 * </ul>
 *
 * <p>Thread-safety: thread-safe. Ownership: closed with the mesh, like every producer.
 *
 * @param <T> the new major's type
 */
public interface DualProducer<T> extends MeshProducer<T> {

  /**
   * The older major's topic that receives translations.
   *
   * @return the topic
   */
  String translatedTopic();

  /**
   * Whether sends are translated now (before the end of the migration period and not stopped).
   *
   * @return {@code true} while translating
   */
  boolean translating();

  /**
   * When translating ends.
   *
   * @return the end, or empty when open-ended
   */
  Optional<Instant> translatingUntil();

  /** Stops translating from now on; later sends go to the new major's topic only. */
  void stopTranslating();

  /**
   * Configures a {@link DualProducer}. Not thread-safe.
   *
   * @param <T> the new major's type
   */
  interface Builder<T> {
    /**
     * The older major to publish translations to (required): a class registered in the mesh's
     * migrations, reachable from the new major by downcasts.
     *
     * @param olderMajor the older major's class
     * @return this builder
     */
    Builder<T> alsoAs(Class<?> olderMajor);

    /**
     * Ends translating at a time (default: the older major's {@code @Sunset} date, start of day
     * UTC; open-ended without one).
     *
     * @param end the end
     * @return this builder
     */
    Builder<T> until(Instant end);

    /**
     * Writes the original and the translation in one transaction per event.
     *
     * @return this builder
     */
    Builder<T> transactional();

    /**
     * The clock that decides whether the period has ended (default UTC system clock).
     *
     * @param clock the clock
     * @return this builder
     */
    Builder<T> clock(Clock clock);

    /**
     * Validates (migrations, governance of both majors, provisioning, registration) and creates the
     * producer.
     *
     * @return the producer, closed with the mesh
     * @throws io.meshsdk.errors.MeshConfigurationException naming every problem
     */
    DualProducer<T> build();
  }
}
