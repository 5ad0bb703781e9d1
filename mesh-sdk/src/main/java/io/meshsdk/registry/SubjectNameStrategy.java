package io.meshsdk.registry;

import java.util.Objects;
import org.apache.avro.Schema;

/**
 * Names the registry subject of a record's key or value schema, as Confluent's serializers do.
 *
 * <p>Thread-safety: implementations must be stateless or thread-safe.
 */
@FunctionalInterface
public interface SubjectNameStrategy {
  /** {@code {topic}-value}, Confluent's default. */
  SubjectNameStrategy TOPIC_NAME = (topic, schema) -> topic + "-value";

  /** {@code {topic}-key}, Confluent's default for keys. */
  SubjectNameStrategy TOPIC_NAME_KEY = (topic, schema) -> topic + "-key";

  /** The record's full name, for several types in one topic. */
  SubjectNameStrategy RECORD_NAME = (topic, schema) -> schema.getFullName();

  /** {@code {topic}-{record full name}}. */
  SubjectNameStrategy TOPIC_RECORD_NAME = (topic, schema) -> topic + "-" + schema.getFullName();

  /**
   * The subject for a topic and schema.
   *
   * @param topic the topic
   * @param schema the key or value schema
   * @return the subject
   */
  String subject(String topic, Schema schema);

  /**
   * Checks and applies the strategy.
   *
   * @param topic the topic
   * @param schema the schema
   * @return the subject
   * @throws NullPointerException if an argument is null
   */
  default String subjectFor(String topic, Schema schema) {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(schema, "schema");
    return Objects.requireNonNull(subject(topic, schema), "subject strategy returned null");
  }
}
