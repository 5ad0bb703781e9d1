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
import java.util.OptionalLong;
import java.util.UUID;
import org.apache.avro.Schema;
import org.jspecify.annotations.Nullable;

/**
 * OpenLineage run events of a Mesh application, written with Jackson (the Java OpenLineage client
 * does not resolve from Maven Central here): the application is a {@code STREAMING} job, the
 * products it consumes are its inputs and those it produces its outputs, Kafka datasets named as
 * OpenLineage's naming specification says ({@code kafka://{first bootstrap host:port}} and the
 * topic), with schema, documentation, ownership and data-source facets, and the run's figures of
 * each dataset: records read or written ({@code inputStatistics}, {@code outputStatistics}), the
 * contract check and dead letters of inputs ({@code dataQualityAssertions}), and Mesh SDK's own
 * {@code meshsdk_dataQuality} facet (schema {@code
 * io/meshsdk/catalog/openlineage/MeshDataQualityDatasetFacet.json} in this jar). Validated against
 * OpenLineage's JSON schemas in {@code OpenLineageEventsTest}.
 *
 * <p>Thread-safety: stateless and thread-safe.
 */
public final class OpenLineageEvents {
  static final String PRODUCER = "https://github.com/meshsdk/mesh-sdk";
  static final String SPEC = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent";
  private static final String FACETS = "https://openlineage.io/spec/facets/";

  /** Where the schema of Mesh SDK's own facet is published: this jar's resource, on GitHub. */
  static final String MESH_FACET_SCHEMA =
      "https://raw.githubusercontent.com/meshsdk/mesh-sdk/main/mesh-sdk/src/main/resources/"
          + "io/meshsdk/catalog/openlineage/MeshDataQualityDatasetFacet.json";

  /** The key of Mesh SDK's own data-quality facet, prefixed with the producer as the spec asks. */
  static final String MESH_FACET = "meshsdk_dataQuality";

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

  /**
   * What the mesh counted of one dataset during the run; each figure is empty when it is not known
   * (records read and written are counted only with a {@code MeterRegistry}).
   *
   * @param records records read (input) or written (output)
   * @param contractViolations output: records refused before sending for breaking the contract;
   *     input: records that could not be read by the contract
   * @param deadLetters input: records dead-lettered
   */
  public record Figures(
      OptionalLong records, OptionalLong contractViolations, OptionalLong deadLetters) {
    /** Nothing known. */
    public static final Figures UNKNOWN =
        new Figures(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty());
  }

  /**
   * One Kafka topic the application reads or writes.
   *
   * @param topic the topic, as the clients use it (topic prefix included)
   * @param contract the product its records follow
   * @param description what the topic holds
   * @param figures the run's figures of it
   */
  public record Dataset(
      String topic, ProductContract<?> contract, String description, Figures figures) {
    /**
     * The contract's own topic, described by the contract, no figures.
     *
     * @param contract the product
     * @return the dataset
     */
    public static Dataset of(ProductContract<?> contract) {
      return new Dataset(contract.topic(), contract, contract.description(), Figures.UNKNOWN);
    }

    /**
     * The same dataset with other figures.
     *
     * @param figures the figures
     * @return the dataset
     */
    public Dataset with(Figures figures) {
      return new Dataset(topic, contract, description, figures);
    }
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
   * @param inputs the topics the application consumes
   * @param outputs the topics the application produces (dead-letter topics included)
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
      List<Dataset> inputs,
      List<Dataset> outputs,
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
    inputs.forEach(d -> in.add(input(d, namespace)));
    ArrayNode out = event.putArray("outputs");
    outputs.forEach(d -> out.add(output(d, namespace)));
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
    int comma = bootstrapServers.indexOf(',');
    String first = (comma >= 0 ? bootstrapServers.substring(0, comma) : bootstrapServers).strip();
    int scheme = first.indexOf("://");
    return "kafka://" + (scheme >= 0 ? first.substring(scheme + 3) : first);
  }

  private static ObjectNode input(Dataset dataset, String namespace) {
    ObjectNode d = dataset(dataset, namespace);
    Figures figures = dataset.figures();
    ObjectNode facets = JSON.objectNode();
    figures
        .records()
        .ifPresent(
            n ->
                facet(facets, "inputStatistics", "1-0-0/InputStatisticsInputDatasetFacet")
                    .put("rowCount", n));
    if (figures.contractViolations().isPresent() || figures.deadLetters().isPresent()) {
      ArrayNode assertions =
          facet(facets, "dataQualityAssertions", "1-1-0/DataQualityAssertionsDatasetFacet")
              .putArray("assertions");
      String product = dataset.contract().id() + " " + dataset.contract().version();
      figures
          .contractViolations()
          .ifPresent(
              n ->
                  assertion(
                      assertions,
                      "contract",
                      "every record is readable by the contract of " + product,
                      n));
      figures
          .deadLetters()
          .ifPresent(n -> assertion(assertions, "dead_letters", "no record was dead-lettered", n));
    }
    meshFacet(facets, figures);
    if (!facets.isEmpty()) {
      d.set("inputFacets", facets);
    }
    return d;
  }

  private static ObjectNode output(Dataset dataset, String namespace) {
    ObjectNode d = dataset(dataset, namespace);
    Figures figures = dataset.figures();
    ObjectNode facets = JSON.objectNode();
    figures
        .records()
        .ifPresent(
            n ->
                facet(facets, "outputStatistics", "1-0-2/OutputStatisticsOutputDatasetFacet")
                    .put("rowCount", n));
    meshFacet(facets, figures);
    if (!facets.isEmpty()) {
      d.set("outputFacets", facets);
    }
    return d;
  }

  private static void assertion(ArrayNode assertions, String kind, String description, long n) {
    ObjectNode a = assertions.addObject();
    a.put("assertion", kind);
    a.put("success", n == 0);
    a.put("description", description);
    a.put("expected", "0");
    a.put("actual", Long.toString(n));
  }

  private static void meshFacet(ObjectNode facets, Figures figures) {
    if (figures.contractViolations().isEmpty()) {
      return;
    }
    ObjectNode f = facets.putObject(MESH_FACET);
    f.put("_producer", PRODUCER);
    f.put("_schemaURL", MESH_FACET_SCHEMA + "#/$defs/MeshDataQualityDatasetFacet");
    f.put("contractViolations", figures.contractViolations().getAsLong());
    figures.deadLetters().ifPresent(n -> f.put("deadLetters", n));
  }

  private static ObjectNode dataset(Dataset dataset, String namespace) {
    ProductContract<?> c = dataset.contract();
    ObjectNode d = JSON.objectNode();
    d.put("namespace", namespace);
    d.put("name", dataset.topic());
    ObjectNode facets = d.putObject("facets");
    ArrayNode fields = facet(facets, "schema", "1-2-0/SchemaDatasetFacet").putArray("fields");
    c.fields().forEach(f -> fields.add(field(f)));
    facet(facets, "documentation", "1-1-0/DocumentationDatasetFacet")
        .put("description", dataset.description());
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
