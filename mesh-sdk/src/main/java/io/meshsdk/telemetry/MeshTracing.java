package io.meshsdk.telemetry;

/**
 * Span names and attributes, following the OpenTelemetry messaging semantic conventions. The record
 * key is recorded only when the product's key field is not personal data.
 *
 * <p>Thread-safety: constants only.
 */
public final class MeshTracing {
  /** The instrumentation scope name. */
  public static final String INSTRUMENTATION = "io.meshsdk";

  /** Prefix of producer span names: {@code publish {topic}} (kind PRODUCER). */
  public static final String PUBLISH = "publish";

  /** Prefix of consumer span names: {@code process {topic}} (kind CONSUMER). */
  public static final String PROCESS = "process";

  /** Always {@code kafka}. */
  public static final String MESSAGING_SYSTEM = "messaging.system";

  /** The topic. */
  public static final String DESTINATION = "messaging.destination.name";

  /** The partition. */
  public static final String PARTITION = "messaging.destination.partition.id";

  /** The operation type: {@code publish} or {@code process}. */
  public static final String OPERATION_TYPE = "messaging.operation.type";

  /** The operation name: {@code publish} or {@code process}. */
  public static final String OPERATION_NAME = "messaging.operation.name";

  /** The offset. */
  public static final String OFFSET = "messaging.kafka.offset";

  /** The record key (only when not PII). */
  public static final String MESSAGE_KEY = "messaging.kafka.message.key";

  /** The consumer group. */
  public static final String CONSUMER_GROUP = "messaging.consumer.group.name";

  /** The event id ({@code ce_id}). */
  public static final String MESSAGE_ID = "messaging.message.id";

  /** The product id. */
  public static final String PRODUCT = "mesh.product";

  /** The product version. */
  public static final String PRODUCT_VERSION = "mesh.product.version";

  private MeshTracing() {}
}
