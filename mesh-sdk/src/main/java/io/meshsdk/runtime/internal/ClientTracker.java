package io.meshsdk.runtime.internal;

import io.meshsdk.contract.ProductContract;

/**
 * Told when a client a mesh created closes, so the mesh stops holding it: a long-lived service that
 * creates and closes clients on demand must not accumulate them until the mesh closes. Also told
 * which topics the clients read and write and when one stops on a failure, for the mesh's
 * OpenLineage events; these calls come from client creation and from a consumer's own thread, never
 * per record, and must return at once.
 */
@FunctionalInterface
public interface ClientTracker {
  /** A tracker that holds nothing. */
  ClientTracker NONE = client -> {};

  /**
   * The client closed; forget it.
   *
   * @param client the producer, consumer, processor or dual producer
   */
  void closed(AutoCloseable client);

  /**
   * A producer of a product was created (on its own, in a processor or in a dual producer).
   *
   * @param contract the product
   * @param topic the topic it writes
   */
  default void producing(ProductContract<?> contract, String topic) {}

  /**
   * A consumer of a product was created (on its own, in a processor, or one per source topic).
   *
   * @param contract the product, as the consumer reads it
   * @param topic the topic it reads
   * @param group its consumer group
   * @param deadLetterTopic where it writes the records it gives up on
   */
  default void consuming(
      ProductContract<?> contract, String topic, String group, String deadLetterTopic) {}

  /**
   * A client stopped on its own because of a failure (a consumer loop that ended with one): it does
   * no more work until the application replaces it.
   *
   * @param client the client
   * @param description what stopped, without payload values
   */
  default void failed(AutoCloseable client, String description) {}
}
