package io.meshsdk.producer;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where a record was stored once the broker acknowledged it.
 *
 * <p>A final class rather than a record so that it can gain properties without breaking callers:
 * new properties get new accessors and a new {@code of} overload, and existing ones stay.
 *
 * <p>Thread-safety: immutable.
 */
public final class SendResult {
  private final String topic;
  private final int partition;
  private final long offset;
  private final String eventId;
  private final int schemaId;
  private final Instant eventTime;

  private SendResult(
      String topic, int partition, long offset, String eventId, int schemaId, Instant eventTime) {
    this.topic = Objects.requireNonNull(topic, "topic");
    this.partition = partition;
    this.offset = offset;
    this.eventId = Objects.requireNonNull(eventId, "eventId");
    this.schemaId = schemaId;
    this.eventTime = Objects.requireNonNull(eventTime, "eventTime");
  }

  /**
   * A send result (the SDK makes them; test doubles of a producer may too).
   *
   * @param topic the topic
   * @param partition the partition
   * @param offset the offset
   * @param eventId the event id ({@code ce_id} header)
   * @param schemaId the registry id of the value's schema
   * @param eventTime the event time ({@code ce_time}, and the record timestamp)
   * @return the result
   */
  public static SendResult of(
      String topic, int partition, long offset, String eventId, int schemaId, Instant eventTime) {
    return new SendResult(topic, partition, offset, eventId, schemaId, eventTime);
  }

  /**
   * The topic.
   *
   * @return the topic
   */
  public String topic() {
    return topic;
  }

  /**
   * The partition.
   *
   * @return the partition
   */
  public int partition() {
    return partition;
  }

  /**
   * The offset.
   *
   * @return the offset
   */
  public long offset() {
    return offset;
  }

  /**
   * The event id, the {@code ce_id} header.
   *
   * @return the id
   */
  public String eventId() {
    return eventId;
  }

  /**
   * The registry id of the value's schema.
   *
   * @return the schema id
   */
  public int schemaId() {
    return schemaId;
  }

  /**
   * The event time: the {@code ce_time} header and the record timestamp.
   *
   * @return the time
   */
  public Instant eventTime() {
    return eventTime;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof SendResult r
        && topic.equals(r.topic)
        && partition == r.partition
        && offset == r.offset
        && eventId.equals(r.eventId)
        && schemaId == r.schemaId
        && eventTime.equals(r.eventTime);
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, partition, offset, eventId, schemaId, eventTime);
  }

  @Override
  public String toString() {
    return "SendResult[topic="
        + topic
        + ", partition="
        + partition
        + ", offset="
        + offset
        + ", eventId="
        + eventId
        + ", schemaId="
        + schemaId
        + ", eventTime="
        + eventTime
        + "]";
  }
}
