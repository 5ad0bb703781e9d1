package io.meshsdk.benchmarks;

import io.apicurio.registry.rest.client.RegistryClient;
import io.apicurio.registry.rest.client.RegistryClientFactory;
import io.apicurio.registry.rest.v2.beans.IfExists;
import io.apicurio.registry.serde.Legacy4ByteIdHandler;
import io.apicurio.registry.serde.SerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.apicurio.registry.serde.config.IdOption;
import io.apicurio.registry.types.ArtifactType;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.cloudevents.kafka.CloudEventSerializer;
import io.meshsdk.benchmarks.EndToEndReport.Meter;
import io.meshsdk.benchmarks.EndToEndReport.Run;
import io.meshsdk.benchmarks.avro.AvroOrder;
import io.meshsdk.serde.WireFormat;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.instrumentation.kafkaclients.v2_6.KafkaTelemetry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.ToLongFunction;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What a team assembles to do the SDK's job without it: kafka-clients, Apicurio's Avro serde
 * (Confluent framing), the CloudEvents SDK's Kafka binding (binary mode: the same {@code ce_*}
 * headers and {@code content-type} the SDK writes) and OpenTelemetry's kafka-clients
 * instrumentation wrapping producer and consumer, with OpenTelemetry a no-op as the SDK's default
 * is. Each produce or consume is a fresh client, as each SDK consumer is.
 *
 * <p>Producing, per record: Apicurio serializes the generated {@code AvroOrder}, a {@code
 * CloudEvent} carries those bytes with a random UUID, the source, type, time (the record's
 * timestamp), data schema and content type, and {@code CloudEventSerializer} writes it as headers
 * and value. Consuming: {@code CloudEventDeserializer} reads the headers into a {@code CloudEvent},
 * Apicurio deserializes its data, and id, type and time are read, as the SDK hands them to its
 * handlers. Not thread-safe.
 */
final class AssembledStack {
  private static final URI SOURCE = URI.create("/mesh/harness");
  private static final String TYPE = "orders.order-placed.v1";

  /** How the team configured the serde. */
  enum Setup {
    /**
     * Apicurio's documented way for a schema that CI registers: the schema registered before the
     * run through Apicurio's own client, the serializer told to find the latest version ({@code
     * apicurio.registry.find-latest}) and no auto-registration; the lookup is made once before the
     * clock starts and cached (for {@code apicurio.registry.check-period-ms}, 30 s by default).
     */
    BEST("best"),
    /**
     * The serde's defaults plus the minimum for this job: auto-registration on (nothing registers
     * the schema otherwise), so the first record of a run registers it.
     */
    DEFAULT("default");

    final String label;

    Setup(String label) {
      this.label = label;
    }
  }

  private final RegistryProcess registry;
  private final String bootstrapServers;
  private final Map<String, Object> producerSettings;
  private final KafkaTelemetry telemetry = KafkaTelemetry.create(OpenTelemetry.noop());

  AssembledStack(
      RegistryProcess registry, String bootstrapServers, Map<String, Object> producerSettings) {
    this.registry = registry;
    this.bootstrapServers = bootstrapServers;
    this.producerSettings = producerSettings;
  }

  /**
   * The serde's settings. Both set-ups write and read the Confluent framing (magic byte 0 and a
   * 4-byte id before the Avro bytes, no id headers) so that Confluent-framed readers, the SDK's
   * among them, read what they write: Apicurio 2.x's defaults would put an 8-byte global id in an
   * {@code apicurio.value.globalId} header instead.
   */
  private Map<String, Object> serdeConfig(Setup setup, boolean specificReader) {
    Map<String, Object> config = new HashMap<>();
    config.put(SerdeConfig.REGISTRY_URL, registry.apicurioUrl());
    config.put(SerdeConfig.ENABLE_HEADERS, false);
    // the 4-byte id handler that apicurio.registry.as-confluent=true selects; named directly, as
    // that shortcut logs a "Duplicate id-handler configuration" warning at every configure()
    config.put(SerdeConfig.ID_HANDLER, Legacy4ByteIdHandler.class.getName());
    // the Confluent API's ids are Apicurio's content ids (unless the server's legacy id mode is on)
    config.put(SerdeConfig.USE_ID, IdOption.contentId.name());
    // without it the deserializer returns GenericRecord
    config.put(AvroKafkaSerdeConfig.USE_SPECIFIC_AVRO_READER, specificReader);
    if (setup == Setup.BEST) {
      config.put(SerdeConfig.FIND_LATEST_ARTIFACT, true);
    } else {
      config.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, true);
    }
    return config;
  }

  /**
   * Readies a fresh topic before its run: for the best set-up, registers the schema under {@code
   * topic-value} (Apicurio's default group), as a CI pipeline would.
   */
  void prepare(Setup setup, String topic) throws IOException {
    if (setup != Setup.BEST) {
      return;
    }
    try (RegistryClient client = RegistryClientFactory.create(registry.apicurioUrl())) {
      client.createArtifact(
          null,
          topic + "-value",
          ArtifactType.AVRO,
          IfExists.RETURN_OR_UPDATE,
          new ByteArrayInputStream(
              AvroOrder.getClassSchema().toString().getBytes(StandardCharsets.UTF_8)));
    }
  }

  Run produce(Setup setup, String topic, List<AvroOrder> orders, int n) {
    Map<String, Object> config = new HashMap<>(producerSettings);
    config.put("bootstrap.servers", bootstrapServers);
    config.put("enable.idempotence", true);
    try (AvroKafkaSerializer<AvroOrder> serializer = new AvroKafkaSerializer<>();
        Producer<String, CloudEvent> producer =
            telemetry.wrap(
                new KafkaProducer<>(config, new StringSerializer(), new CloudEventSerializer()))) {
      serializer.configure(serdeConfig(setup, true), false);
      producer.partitionsFor(topic);
      URI dataSchema = null;
      if (setup == Setup.BEST) {
        // the documented set-up looks its schema up once before the first record
        dataSchema = dataSchema(serializer.serialize(topic, orders.get(0)));
      }
      Meter meter = Meter.start();
      long bytes = 0;
      for (int i = 0; i < n; i++) {
        AvroOrder order = orders.get(i % orders.size());
        byte[] value = serializer.serialize(topic, order);
        if (dataSchema == null) {
          dataSchema = dataSchema(value);
        }
        long now = System.currentTimeMillis();
        CloudEvent event =
            CloudEventBuilder.v1()
                .withId(UUID.randomUUID().toString())
                .withSource(SOURCE)
                .withType(TYPE)
                .withTime(OffsetDateTime.ofInstant(Instant.ofEpochMilli(now), ZoneOffset.UTC))
                .withDataSchema(dataSchema)
                .withDataContentType("application/avro")
                .withData(value)
                .build();
        producer.send(new ProducerRecord<>(topic, null, now, order.getOrderId(), event));
        bytes += value.length;
      }
      producer.flush();
      return meter.stop("produce stack " + setup.label, n, bytes);
    }
  }

  /** Where the schema of a framed value can be fetched, as a team would put it in ce_dataschema. */
  private URI dataSchema(byte[] framed) {
    return URI.create(registry.apicurioUrl() + "/ids/contentIds/" + WireFormat.schemaId(framed));
  }

  /**
   * Consumes n records and checks their amounts.
   *
   * @param specificReader decode into the generated {@code AvroOrder} (as a team would); without it
   *     into a {@code GenericRecord}, which also reads records whose writer schema has another name
   *     (the SDK's)
   */
  Run consume(Setup setup, String topic, int n, long expectedAmounts, boolean specificReader) {
    ToLongFunction<Object> amount =
        specificReader
            ? value -> ((AvroOrder) value).getAmountCents()
            : value -> (Long) ((GenericRecord) value).get("amountCents");
    long[] attributes = new long[1];
    try (AvroKafkaDeserializer<Object> deserializer = new AvroKafkaDeserializer<>();
        Consumer<String, CloudEvent> consumer =
            telemetry.wrap(
                new KafkaConsumer<>(
                    EndToEndHarness.consumerConfig(
                        bootstrapServers, "stack-" + setup.label + "-" + topic),
                    new StringDeserializer(),
                    new CloudEventDeserializer()))) {
      deserializer.configure(serdeConfig(setup, specificReader), false);
      Run run =
          EndToEndHarness.consume(
              consumer,
              topic,
              n,
              "consume stack " + setup.label,
              expectedAmounts,
              r -> {
                CloudEvent event = r.value();
                Object value = deserializer.deserialize(topic, event.getData().toBytes());
                attributes[0] +=
                    event.getId().length() + event.getType().length() + event.getTime().getNano();
                return amount.applyAsLong(value);
              });
      if (attributes[0] == 0) {
        throw new IllegalStateException("no CloudEvents attributes read from " + topic);
      }
      return run;
    }
  }
}
