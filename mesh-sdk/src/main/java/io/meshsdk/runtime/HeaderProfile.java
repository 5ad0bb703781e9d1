package io.meshsdk.runtime;

/**
 * Which CloudEvents headers producers write.
 *
 * <p>Thread-safety: immutable.
 */
public enum HeaderProfile {
  /**
   * Self-describing records (the default): {@code ce_specversion}, {@code ce_id}, {@code
   * ce_source}, {@code ce_type}, {@code ce_time}, {@code ce_dataschema}, {@code content-type},
   * {@code ce_meshversion}, plus lineage, sunset and trace context when they apply.
   */
  FULL,
  /**
   * CloudEvents' required attributes only ({@code ce_specversion}, {@code ce_id}, {@code
   * ce_source}, {@code ce_type}) plus lineage, sunset and trace context when they apply, for
   * products whose throughput matters more than self-describing records. Consumers lose nothing
   * they need: the event time is the record timestamp (the producer sets both to the same
   * millisecond), the schema is named by the id in the payload; only {@code
   * ConsumedEvent.writerVersion()} is empty.
   */
  COMPACT
}
