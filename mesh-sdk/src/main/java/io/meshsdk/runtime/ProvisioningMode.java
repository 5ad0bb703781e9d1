package io.meshsdk.runtime;

/**
 * What Mesh SDK does about the topics of the products it produces and consumes.
 *
 * <p>Thread-safety: immutable.
 */
public enum ProvisioningMode {
  /**
   * Development: create missing product and dead-letter topics with the contract's partitions,
   * retention and cleanup policy ({@code compact} for {@code STATE} products).
   */
  CREATE_IF_MISSING,
  /**
   * Production: the topics must exist and match the contract; start-up fails listing every mismatch
   * (missing topic, partition count, cleanup policy, retention).
   */
  VERIFY,
  /** Leave topics alone. */
  NONE
}
