package io.meshsdk.lineage;

/**
 * Header names of produced records: the CloudEvents Kafka protocol binding in binary content mode
 * (so any CloudEvents SDK reads them), Mesh SDK's extension attributes, and the dead-letter
 * headers. Values are UTF-8 text.
 *
 * <p>Thread-safety: constants only.
 */
public final class MeshHeaders {
  /** CloudEvents spec version, {@code 1.0}. */
  public static final String SPEC_VERSION = "ce_specversion";

  /** Unique event id: a time-ordered UUID (version 7). */
  public static final String ID = "ce_id";

  /** The producing application, as a URI reference ({@code /mesh/{application}}). */
  public static final String SOURCE = "ce_source";

  /** The event type {@code {domain}.{name}.v{major}}. */
  public static final String TYPE = "ce_type";

  /** Event time, RFC 3339. */
  public static final String TIME = "ce_time";

  /** Where the schema is: {@code {registry}/schemas/ids/{id}} or {@code urn:mesh:schema:{id}}. */
  public static final String DATA_SCHEMA = "ce_dataschema";

  /** The value's content type, {@code application/avro}. */
  public static final String CONTENT_TYPE = "content-type";

  /** Extension: the product version {@code major.minor}. */
  public static final String VERSION = "ce_meshversion";

  /**
   * Extension: the upstream events this one was derived from, comma-separated, each {@code
   * type;id;topic;partition;offset}. At most {@value #MAX_PARENTS}.
   */
  public static final String PARENTS = "ce_meshparents";

  /** Extension: how many parents were left out beyond {@value #MAX_PARENTS}, when any were. */
  public static final String PARENTS_DROPPED = "ce_meshparentsdropped";

  /** The most parents a record lists; further parents are counted in {@link #PARENTS_DROPPED}. */
  public static final int MAX_PARENTS = 16;

  /** W3C trace context. */
  public static final String TRACEPARENT = "traceparent";

  /** Extension: the sunset date of a deprecated major, on each of its records. */
  public static final String SUNSET = "ce_meshsunset";

  /**
   * Extension: on a record translated from another major by dual publishing, the CloudEvents type
   * of the original (which the record also names as its parent).
   */
  public static final String TRANSLATED_FROM = "ce_meshtranslatedfrom";

  /**
   * Extension: on a record translated from another major by dual publishing, the {@code ce_id} of
   * the original. The translation has an id of its own (CloudEvents requires {@code source} and
   * {@code id} to be unique per event); consumers reading several majors de-duplicate by this
   * header when it is there, so the two copies of one event count once.
   */
  public static final String ORIGIN_ID = "ce_meshoriginid";

  /** Prefix of the error headers of a dead letter. */
  public static final String DLQ_PREFIX = "mesh.dlq.";

  /** Dead letter: why ({@code handler}, or a decoding reason such as {@code wrong_magic_byte}). */
  public static final String DLQ_REASON = "mesh.dlq.reason";

  /** Dead letter: the exception class. */
  public static final String DLQ_EXCEPTION = "mesh.dlq.exception";

  /** Dead letter: the exception message, truncated, with PII values of the record masked. */
  public static final String DLQ_MESSAGE = "mesh.dlq.message";

  /** Dead letter: the original topic. */
  public static final String DLQ_TOPIC = "mesh.dlq.topic";

  /** Dead letter: the original partition. */
  public static final String DLQ_PARTITION = "mesh.dlq.partition";

  /** Dead letter: the original offset. */
  public static final String DLQ_OFFSET = "mesh.dlq.offset";

  /** Dead letter: the original record timestamp, epoch milliseconds. */
  public static final String DLQ_TIMESTAMP = "mesh.dlq.timestamp";

  /** Dead letter: the consumer group that gave up. */
  public static final String DLQ_GROUP = "mesh.dlq.group";

  /** Dead letter: how many attempts were made. */
  public static final String DLQ_ATTEMPTS = "mesh.dlq.attempts";

  /** Dead letter: when it was dead-lettered, RFC 3339. */
  public static final String DLQ_TIME = "mesh.dlq.time";

  /**
   * Dead letter: present when the dead letter could not keep everything of the record because it
   * would not fit the dead-letter topic's size limit; {@code value} (the value was left out) or
   * {@code value,key,headers} (the key and the original headers too). The original record stays at
   * {@link #DLQ_TOPIC}, {@link #DLQ_PARTITION}, {@link #DLQ_OFFSET} for as long as the topic keeps
   * it.
   */
  public static final String DLQ_OMITTED = "mesh.dlq.omitted";

  /** Dead letter: the size in bytes of the original value, when it was left out. */
  public static final String DLQ_VALUE_SIZE = "mesh.dlq.value.size";

  /**
   * Dead letter: the SHA-256 of the original value, in lower-case hex, when it was left out: enough
   * to find and check the original.
   */
  public static final String DLQ_VALUE_SHA256 = "mesh.dlq.value.sha256";

  private MeshHeaders() {}
}
