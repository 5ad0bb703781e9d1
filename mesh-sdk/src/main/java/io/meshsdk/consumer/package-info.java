/**
 * Consuming data products: {@link io.meshsdk.consumer.MeshConsumer} runs a poll loop on its own
 * thread, decodes each record into the consumer's own class (resolving from the writer's schema),
 * calls the handler with the record's lineage, retries failures with exponential backoff while the
 * partition is paused, and dead-letters what still fails, committing offsets only after the handler
 * succeeded or the dead letter was acknowledged. Nothing is lost and no bad record stops the loop.
 */
@NullMarked
package io.meshsdk.consumer;

import org.jspecify.annotations.NullMarked;
