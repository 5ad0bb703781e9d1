package io.meshsdk.contract;

/**
 * What the records of a data product mean, which decides how its topic is kept.
 *
 * <p>Thread-safety: immutable.
 */
public enum ProductKind {
  /** Append-only facts; every record matters; the topic is deleted by retention. */
  EVENTS,
  /** The latest value per key; the topic is compacted; the product must declare a {@link Key}. */
  STATE
}
