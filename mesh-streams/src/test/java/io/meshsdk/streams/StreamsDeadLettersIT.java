package io.meshsdk.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshsdk.consumer.FailedEvent;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.lineage.MeshHeaders;
import io.meshsdk.serde.MeshSerde;
import io.meshsdk.streams.Parcels.LabelPrinted;
import io.meshsdk.streams.Parcels.ParcelBooked;
import io.meshsdk.testkit.BrokerMode;
import io.meshsdk.testkit.MeshTest;
import io.meshsdk.testkit.TestMesh;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Kafka Streams application on the embedded KRaft broker with {@link MeshStreamsDeadLetters}
 * as its three exception handlers: records it cannot decode, records its processor throws on and
 * records whose output breaks the output product's contract all reach the dead-letter topic in
 * Mesh's format, the application keeps running, and every input is accounted for exactly once.
 */
@MeshTest(broker = BrokerMode.EMBEDDED, timeoutMillis = 60_000)
class StreamsDeadLettersIT {
  private static final String APP = "labels";

  @Test
  void poisonPillsFailingProcessorsAndContractBreachesAreDeadLetteredAndTheAppKeepsRunning(
      TestMesh mesh, @TempDir Path state) throws Exception {
    String input = mesh.topicOf(ParcelBooked.class);
    String output = mesh.topicOf(LabelPrinted.class);
    String dlq = input + "." + APP + ".dlq";
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", mesh.bootstrapServers()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(input, 1, (short) 1),
                  new NewTopic(output, 1, (short) 1),
                  new NewTopic(dlq, 1, (short) 1)))
          .all()
          .get();
    }
    // 30 good parcels, 3 the printer throws on (negative weight), 3 whose labels break the label
    // contract (zero weight), 3 records that are not Mesh records at all
    var producer = mesh.producer(ParcelBooked.class);
    int good = 0;
    int throwing = 0;
    int breaching = 0;
    for (int i = 0; i < 36; i++) {
      int grams = i % 12 == 5 ? -1 : i % 12 == 7 ? 0 : 100 + i;
      producer.send(new ParcelBooked("p-" + i, "ada" + i + "@example.com", grams)).join();
      if (grams < 0) {
        throwing++;
      } else if (grams == 0) {
        breaching++;
      } else {
        good++;
      }
    }
    List<byte[]> poison = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      byte[] value = ("not avro " + i).getBytes(StandardCharsets.UTF_8);
      poison.add(value);
      mesh.sendRaw(input, ("x-" + i).getBytes(StandardCharsets.UTF_8), value);
    }

    MeshSerde<ParcelBooked> in =
        MeshSerde.of(ProductContract.of(ParcelBooked.class), mesh.schemaRegistry());
    MeshSerde<LabelPrinted> out =
        MeshSerde.of(ProductContract.of(LabelPrinted.class), mesh.schemaRegistry());
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(input, Consumed.with(Serdes.String(), in))
        .mapValues(
            p -> {
              if (p.grams() < 0) {
                throw new IllegalArgumentException(
                    "the printer cannot print a negative weight for " + p.customerEmail());
              }
              return new LabelPrinted(p.parcelId(), p.grams());
            })
        .to(output, Produced.with(Serdes.String(), out));

    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, APP);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, mesh.bootstrapServers());
    props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createDirectories(state).toString());
    props.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, MeshStreamsDeadLetters.class);
    props.put(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, MeshStreamsDeadLetters.class);
    props.put(
        StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, MeshStreamsDeadLetters.class);

    try (KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
      streams.start();
      int expectedLetters = throwing + breaching + poison.size();
      int expectedLabels = good;
      await()
          .atMost(Duration.ofSeconds(45))
          .until(
              () ->
                  committed(mesh, output).size() >= expectedLabels
                      && committed(mesh, dlq).size() >= expectedLetters);
      assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);

      // every input once: good ones in the output, the rest dead-lettered; none twice
      List<ConsumerRecord<byte[], byte[]>> labels = committed(mesh, output);
      List<ConsumerRecord<byte[], byte[]>> letters = committed(mesh, dlq);
      Set<String> labelled =
          labels.stream()
              .map(r -> new String(r.key(), StandardCharsets.UTF_8))
              .collect(Collectors.toSet());
      assertThat(labels).hasSize(good);
      assertThat(labelled).hasSize(good);
      assertThat(letters).hasSize(expectedLetters);
      assertThat(good + letters.size()).isEqualTo(36 + poison.size());

      Map<String, Integer> reasons = new HashMap<>();
      for (ConsumerRecord<byte[], byte[]> r : letters) {
        reasons.merge(header(r, MeshHeaders.DLQ_REASON), 1, Integer::sum);
        assertThat(header(r, MeshHeaders.DLQ_TOPIC)).isEqualTo(input);
        assertThat(header(r, MeshHeaders.DLQ_GROUP)).isEqualTo(APP);
        assertThat(header(r, MeshHeaders.DLQ_MESSAGE)).doesNotContain("@example.com");
      }
      assertThat(reasons)
          .containsEntry("wrong_magic_byte", poison.size())
          .containsEntry("handler", throwing + breaching);

      // the poison pills' original bytes, as they were read
      List<byte[]> pillValues =
          letters.stream()
              .filter(r -> header(r, MeshHeaders.DLQ_REASON).equals("wrong_magic_byte"))
              .map(ConsumerRecord::value)
              .toList();
      assertThat(pillValues).containsExactlyInAnyOrderElementsOf(poison);

      // Mesh's dead-letter tools read them: the failed parcels come back decoded
      List<FailedEvent<ParcelBooked>> failed = new ArrayList<>();
      long replayed =
          mesh.deadLetters(ParcelBooked.class, APP).replay(failed::add, Duration.ofSeconds(20));
      assertThat(replayed).isEqualTo(expectedLetters);
      assertThat(
              failed.stream().filter(f -> f.value().isPresent()).map(f -> f.value().get().grams()))
          .hasSize(throwing + breaching)
          .allMatch(g -> g <= 0);
      assertThat(failed.stream().map(FailedEvent::exception).flatMap(java.util.Optional::stream))
          .contains(
              IllegalArgumentException.class.getName(),
              io.meshsdk.contract.ContractViolationException.class.getName());
    }
  }

  /** What a read_committed consumer sees on the topic now. */
  private static List<ConsumerRecord<byte[], byte[]>> committed(TestMesh mesh, String topic) {
    return mesh.records(topic);
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
    var h = r.headers().lastHeader(key);
    return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
  }
}
