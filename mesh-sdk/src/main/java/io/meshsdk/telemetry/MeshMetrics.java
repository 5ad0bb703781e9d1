package io.meshsdk.telemetry;

/**
 * Names and tags of the Micrometer meters Mesh SDK registers. Tags are bounded: never keys, event
 * ids or other per-record values.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>meaning</th></tr>
 *   <tr><td>{@value #PRODUCE}</td><td>timer</td><td>application, product, version, outcome</td>
 *       <td>send to broker acknowledgement</td></tr>
 *   <tr><td>{@value #PRODUCE_BYTES}</td><td>distribution summary</td><td>application, product,
 *       version</td><td>encoded value size</td></tr>
 *   <tr><td>{@value #CONTRACT_VIOLATIONS}</td><td>counter</td><td>application, product,
 *       version</td><td>records refused before sending</td></tr>
 *   <tr><td>{@value #CONSUME}</td><td>timer</td><td>application, product, version, group,
 *       outcome</td><td>handler time per record</td></tr>
 *   <tr><td>{@value #CONSUME_FRESHNESS}</td><td>timer</td><td>application, product, version,
 *       group</td><td>now minus event time when handled: the freshness SLO</td></tr>
 *   <tr><td>{@value #CONSUME_LAG}</td><td>gauge</td><td>application, product, version,
 *       group</td><td>records behind the end of the assigned partitions</td></tr>
 *   <tr><td>{@value #DLQ}</td><td>counter</td><td>application, product, version, group,
 *       reason</td><td>records dead-lettered</td></tr>
 *   <tr><td>{@value #OPENLINEAGE_EVENTS}</td><td>counter</td><td>application, outcome</td>
 *       <td>OpenLineage run events sent, failed or dropped</td></tr>
 *   <tr><td>{@value #REGISTRY_REQUESTS}</td><td>timer</td><td>application, operation,
 *       outcome</td><td>schema registry requests</td></tr>
 * </table>
 *
 * <p>Kafka's own client metrics are bound too, through Micrometer's {@code KafkaClientMetrics}.
 *
 * <p>Thread-safety: constants only.
 */
public final class MeshMetrics {
  /** Send-to-acknowledgement time of produced records. */
  public static final String PRODUCE = "mesh.produce";

  /** Size of encoded values. */
  public static final String PRODUCE_BYTES = "mesh.produce.bytes";

  /** Records refused because they broke their contract. */
  public static final String CONTRACT_VIOLATIONS = "mesh.contract.violations";

  /** Handler time of consumed records. */
  public static final String CONSUME = "mesh.consume";

  /** Now minus event time of consumed records. */
  public static final String CONSUME_FRESHNESS = "mesh.consume.freshness";

  /** Records behind the end of the assigned partitions. */
  public static final String CONSUME_LAG = "mesh.consume.lag";

  /** Dead-lettered records. */
  public static final String DLQ = "mesh.dlq";

  /** Counter: records consumed of a deprecated major (tags: product, major, group). */
  public static final String DEPRECATED_CONSUMPTION = "mesh.deprecated.consumption";

  /**
   * Counter: events skipped as duplicates by a consumer reading several majors (tags: product,
   * group).
   */
  public static final String DUPLICATES = "mesh.consume.duplicates";

  /** Counter: dual publishing outcomes of the translated record (tags: product, outcome). */
  public static final String DUAL_PUBLISH = "mesh.dual.publish";

  /**
   * Counter: times a consumer found the schema registry unable to give a writer schema and began to
   * wait for it, its partitions paused (one per outage, not per record; tags: application, product,
   * version, group).
   */
  public static final String CONSUME_REGISTRY_OUTAGES = "mesh.consume.registry.outages";

  /**
   * Counter: times a consumer could not load the data key of an encrypted field because the KMS or
   * the key store was unavailable, and began to wait for them, its partitions paused (one per
   * outage, not per record; tags: application, product, version, group).
   */
  public static final String CONSUME_KEY_OUTAGES = "mesh.consume.key.outages";

  /**
   * Counter: mismatches found between an existing topic and its contract (partitions, cleanup
   * policy, retention) when a client was created in provisioning mode {@code CREATE_IF_MISSING},
   * which reports them and leaves the topic as it is (tag: topic).
   */
  public static final String TOPIC_MISMATCHES = "mesh.topic.mismatches";

  /**
   * Counter: OpenLineage run events of the mesh by outcome: {@code sent}, {@code failed} (the
   * transport refused or could not reach its destination) or {@code dropped} (the emitter's queue
   * was full) (tags: application, outcome).
   */
  public static final String OPENLINEAGE_EVENTS = "mesh.openlineage.events";

  /**
   * Counter: records a consumer read, by where their schema id was ({@code confluent_prefix}, what
   * Mesh writes; {@code confluent_header}, {@code confluent_header_guid}, {@code
   * apicurio_global_id_header}, {@code apicurio_content_id_header}, {@code apicurio_legacy_prefix}:
   * other serializers; tags: application, product, version, group, source).
   */
  public static final String CONSUME_SCHEMA_IDS = "mesh.consume.schema.ids";

  /**
   * Counter: records a bridge read from its legacy topic, by outcome ({@code mapped}, {@code
   * deleted}, {@code unmappable}, {@code contract_violation}; tags: application, product, version,
   * group, topic).
   */
  public static final String BRIDGE_RECORDS = "mesh.bridge.records";

  /**
   * Counter: records Kafka Connect's {@code MeshConverter} converted, by outcome: on source
   * connectors {@code mapped}, {@code deleted}, {@code unmappable}, {@code contract_violation}; on
   * sink connectors {@code read}, {@code refused} (tags: application, product, topic, outcome). On
   * Micrometer's global registry, where a worker's JMX or Prometheus registry is added.
   */
  public static final String CONNECT_RECORDS = "mesh.connect.records";

  /** Schema registry requests. */
  public static final String REGISTRY_REQUESTS = "mesh.registry.requests";

  /** Tag: the application id. */
  public static final String TAG_APPLICATION = "application";

  /** Tag: the product id {@code domain.name}. */
  public static final String TAG_PRODUCT = "product";

  /** Tag: the product version {@code major.minor}. */
  public static final String TAG_VERSION = "version";

  /** Tag: the consumer group. */
  public static final String TAG_GROUP = "group";

  /** Tag: the major version. */
  public static final String TAG_MAJOR = "major";

  /**
   * Tag: how it ended ({@code success}, {@code failure}, {@code retry}, {@code dead_letter}, {@code
   * skip}; for OpenLineage events {@code sent}, {@code failed}, {@code dropped}).
   */
  public static final String TAG_OUTCOME = "outcome";

  /** Tag: why a record was dead-lettered. */
  public static final String TAG_REASON = "reason";

  /** Tag: the topic. */
  public static final String TAG_TOPIC = "topic";

  /** Tag: where a record's schema id was ({@code io.meshsdk.serde.SchemaIdSource#code()}). */
  public static final String TAG_SOURCE = "source";

  /** Tag: the registry operation. */
  public static final String TAG_OPERATION = "operation";

  private MeshMetrics() {}
}
