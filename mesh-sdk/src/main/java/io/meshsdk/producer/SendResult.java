package io.meshsdk.producer;

import java.time.Instant;
import java.util.Objects;

/**
 * Where a record was stored once the broker acknowledged it.
 *
 * <p>Thread-safety: immutable.
 *
 * @param topic the topic
 * @param partition the partition
 * @param offset the offset
 * @param eventId the event id ({@code ce_id} header)
 * @param schemaId the registry id of the value's schema
 * @param eventTime the event time ({@code ce_time}, and the record timestamp)
 */
public record SendResult(
    String topic, int partition, long offset, String eventId, int schemaId, Instant eventTime) {
  /** Requires the parts. */
  public SendResult {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(eventTime, "eventTime");
  }
}
