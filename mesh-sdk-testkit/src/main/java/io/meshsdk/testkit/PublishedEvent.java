package io.meshsdk.testkit;

import io.meshsdk.lineage.EventRef;
import io.meshsdk.lineage.Lineage;
import io.meshsdk.lineage.MeshHeaders;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An event as it sits on a product's topic, decoded into the product class: what a test asserts on
 * after producing.
 *
 * <p>Thread-safety: immutable, if the value is.
 *
 * @param value the decoded value, {@code null} for a tombstone (a deleted key of a {@code STATE}
 *     product)
 * @param key the record key as a UTF-8 string, or {@code null}
 * @param headers the record headers as UTF-8 strings (the last value of each name)
 * @param lineage the event's own reference and its parents
 * @param timestamp the record timestamp
 * @param schemaId the registry id of the writer schema
 * @param <T> the product type
 */
public record PublishedEvent<T>(
    @Nullable T value,
    @Nullable String key,
    Map<String, String> headers,
    Lineage lineage,
    Instant timestamp,
    int schemaId) {

  /** Copies the headers. */
  public PublishedEvent {
    headers = Map.copyOf(headers);
  }

  /**
   * Whether the event is a tombstone: the deletion of its key.
   *
   * @return {@code true} when there is no value
   */
  public boolean isDeletion() {
    return value == null;
  }

  /**
   * The reference other events use to name this one as their parent.
   *
   * @return type, id, topic, partition and offset
   */
  public EventRef ref() {
    return lineage.self();
  }

  /**
   * The CloudEvents id ({@code ce_id}).
   *
   * @return the id
   */
  public String eventId() {
    return lineage.self().id();
  }

  /**
   * The topic.
   *
   * @return the topic
   */
  public String topic() {
    return lineage.self().topic();
  }

  /**
   * The partition.
   *
   * @return the partition
   */
  public int partition() {
    return lineage.self().partition();
  }

  /**
   * The offset.
   *
   * @return the offset
   */
  public long offset() {
    return lineage.self().offset();
  }

  /**
   * A header as a string.
   *
   * @param name the header name, for example {@link MeshHeaders#TYPE}
   * @return its last value
   */
  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name));
  }

  @Override
  public String toString() {
    return topic() + "-" + partition() + "@" + offset() + " key=" + key + " value=" + value;
  }
}
