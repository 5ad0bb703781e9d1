package io.meshsdk.catalog.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshsdk.contract.ContractField;
import io.meshsdk.contract.ProductContract;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import org.apache.avro.Schema;
import org.jspecify.annotations.Nullable;

/**
 * OpenLineage run events of a Mesh application, written with Jackson (the Java OpenLineage client
 * does not resolve from Maven Central here): the application is a {@code STREAMING} job, the
 * products it consumes are its inputs and those it produces its outputs, Kafka datasets named as
 * OpenLineage's naming specification says ({@code kafka://{first bootstrap host:port}} and the
 * topic), with schema, documentation, ownership and data-source facets. Validated against
 * OpenLineage's JSON schemas in {@code OpenLineageEventsTest}.
 *
 * <p>Thread-safety: stateless and thread-safe.
 */
public final class OpenLineageEvents {
  static final String PRODUCER = "https://github.com/meshsdk/mesh-sdk";
  static final String SPEC = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent";
  private static final String FACETS = "https://openlineage.io/spec/facets/";
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The run state a run event reports. */
  public enum Type {
    /** The application produced or consumed for the first time. */
    START,
    /** A periodic snapshot of the datasets it reads and writes. */
    RUNNING,
    /** The application closed normally. */
    COMPLETE,
    /** The application stopped because of a failure. */
    FAIL
  }

  private OpenLineageEvents() {}

  /**
   * A run event.
   *
   * @param type the run state
   * @param runId the run (one per mesh instance)
   * @param time when it happened
   * @param jobNamespace the namespace of the job, for example the environment
   * @param application the application, the job's name
   * @param bootstrapServers the Kafka cluster, for the datasets' namespace
   * @param inputs the products the application consumes
   * @param outputs the products the application produces
   * @param error for {@link Type#FAIL}: what failed, without payload values
   * @return the event as JSON
   */
  public static String runEvent(
      Type type,
      UUID runId,
      Instant time,
      String jobNamespace,
      String application,
      String bootstrapServers,
      List<? extends ProductContract<?>> inputs,
      List<? extends ProductContract<?>> outputs,
      @Nullable String error) {
    ObjectNode event = JSON.objectNode();
    event.put("eventType", type.name());
    event.put("eventTime", time.toString());
    event.put("producer", PRODUCER);
    event.put("schemaURL", SPEC);
    ObjectNode run = event.putObject("run");
    run.put("runId", runId.toString());
    if (type == Type.FAIL && error != null) {
      ObjectNode message =
          facet(run.putObject("facets"), "errorMessage", "1-0-1/ErrorMessageRunFacet");
      message.put("message", error);
      message.put("programmingLanguage", "JAVA");
    }
    ObjectNode job = event.putObject("job");
    job.put("namespace", jobNamespace);
    job.put("name", application);
    ObjectNode jobType = facet(job.putObject("facets"), "jobType", "2-0-4/JobTypeJobFacet");
    jobType.put("processingType", "STREAMING");
    jobType.put("integration", "MESH_SDK");
    jobType.put("jobType", "APPLICATION");
    String namespace = datasetNamespace(bootstrapServers);
    ArrayNode in = event.putArray("inputs");
    inputs.forEach(c -> in.add(dataset(c, namespace)));
    ArrayNode out = event.putArray("outputs");
    outputs.forEach(c -> out.add(dataset(c, namespace)));
    try {
      return MAPPER.writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e); // a tree of plain nodes always writes
    }
  }

  /**
   * The namespace of Kafka datasets by OpenLineage's naming specification: {@code kafka://} and the
   * first bootstrap server.
   *
   * @param bootstrapServers a Kafka bootstrap list
   * @return the namespace
   */
  static String datasetNamespace(String bootstrapServers) {
    String first = bootstrapServers.split(",")[0].strip();
    int scheme = first.indexOf("://");
    return "kafka://" + (scheme >= 0 ? first.substring(scheme + 3) : first);
  }

  private static ObjectNode dataset(ProductContract<?> c, String namespace) {
    ObjectNode d = JSON.objectNode();
    d.put("namespace", namespace);
    d.put("name", c.topic());
    ObjectNode facets = d.putObject("facets");
    ArrayNode fields = facet(facets, "schema", "1-2-0/SchemaDatasetFacet").putArray("fields");
    c.fields().forEach(f -> fields.add(field(f)));
    facet(facets, "documentation", "1-1-0/DocumentationDatasetFacet")
        .put("description", c.description());
    ObjectNode owner =
        facet(facets, "ownership", "1-0-1/OwnershipDatasetFacet").putArray("owners").addObject();
    owner.put("name", "team:" + c.owner());
    owner.put("type", "OWNER");
    ObjectNode source = facet(facets, "dataSource", "1-0-1/DatasourceDatasetFacet");
    source.put("name", namespace);
    source.put("uri", namespace);
    return d;
  }

  private static ObjectNode field(ContractField f) {
    ObjectNode node = JSON.objectNode();
    node.put("name", f.name());
    node.put("type", typeName(f.schema()));
    f.doc().ifPresent(doc -> node.put("description", doc));
    if (!f.fields().isEmpty()) {
      ArrayNode nested = node.putArray("fields");
      f.fields().forEach(n -> nested.add(field(n)));
    }
    return node;
  }

  private static String typeName(Schema s) {
    if (s.getType() == Schema.Type.UNION) {
      for (Schema t : s.getTypes()) {
        if (t.getType() != Schema.Type.NULL) {
          return typeName(t);
        }
      }
    }
    if (s.getLogicalType() != null) {
      return s.getLogicalType().getName();
    }
    return s.getType().getName().toLowerCase(Locale.ROOT);
  }

  private static ObjectNode facet(ObjectNode facets, String key, String schema) {
    ObjectNode f = facets.putObject(Objects.requireNonNull(key));
    f.put("_producer", PRODUCER);
    String name = schema.substring(schema.indexOf('/') + 1);
    f.put("_schemaURL", FACETS + schema + ".json#/$defs/" + name);
    return f;
  }
}
