package io.meshsdk.testkit.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;
import org.junit.jupiter.api.Test;

/** The in-memory cluster keeps the Kafka semantics users rely on. */
class InMemoryKafkaTest {
  private final InMemoryKafka kafka = new InMemoryKafka();

  private Producer<byte[], byte[]> producer() {
    return kafka.producer(Map.of("client.id", "p"));
  }

  private Consumer<byte[], byte[]> consumer(String group, String reset) {
    Map<String, Object> config = new HashMap<>();
    config.put("client.id", "c");
    config.put("group.id", group);
    config.put("auto.offset.reset", reset);
    return kafka.consumer(config);
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String s(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static List<String> values(Consumer<byte[], byte[]> c, int count) {
    List<String> out = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (out.size() < count && System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
        out.add(s(r.value()));
      }
    }
    return out;
  }

  @Test
  void keysGoToThePartitionKafkasDefaultPartitionerChooses() throws Exception {
    kafka.createTopic("t", 7);
    try (Producer<byte[], byte[]> p = producer()) {
      for (int i = 0; i < 200; i++) {
        byte[] key = b("key-" + i);
        RecordMetadata m = p.send(new ProducerRecord<>("t", key, b("v"))).get();
        assertThat(m.partition())
            .as("key-" + i)
            .isEqualTo(BuiltInPartitioner.partitionForKey(key, 7));
      }
    }
  }

  @Test
  void offsetsAreDenseAndOrderIsKeptPerPartition() throws Exception {
    kafka.createTopic("t", 2);
    try (Producer<byte[], byte[]> p = producer()) {
      for (int i = 0; i < 5; i++) {
        RecordMetadata m = p.send(new ProducerRecord<>("t", 1, b("k"), b("v" + i))).get();
        assertThat(m.offset()).isEqualTo(i);
      }
    }
    assertThat(kafka.records("t"))
        .extracting(r -> s(r.value()))
        .containsExactly("v0", "v1", "v2", "v3", "v4");
  }

  @Test
  void aGroupResumesFromItsCommittedOffsetAndResetAppliesOnlyWithoutOne() {
    kafka.createTopic("t", 1);
    try (Producer<byte[], byte[]> p = producer()) {
      for (int i = 0; i < 4; i++) {
        p.send(new ProducerRecord<>("t", b("v" + i)));
      }
    }
    try (Consumer<byte[], byte[]> c = consumer("g", "earliest")) {
      c.subscribe(List.of("t"));
      assertThat(values(c, 4)).containsExactly("v0", "v1", "v2", "v3");
      c.commitSync(Map.of(new TopicPartition("t", 0), new OffsetAndMetadata(2)));
    }
    try (Consumer<byte[], byte[]> c = consumer("g", "latest")) {
      c.subscribe(List.of("t"));
      assertThat(values(c, 2)).containsExactly("v2", "v3");
    }
    try (Consumer<byte[], byte[]> c = consumer("other", "latest")) {
      c.subscribe(List.of("t"));
      assertThat(c.poll(Duration.ofMillis(50))).isEmpty();
      assertThat(c.position(new TopicPartition("t", 0))).isEqualTo(4);
    }
    try (Consumer<byte[], byte[]> c = consumer("none", "none")) {
      c.subscribe(List.of("t"));
      assertThatThrownBy(() -> c.poll(Duration.ofMillis(50)))
          .isInstanceOf(NoOffsetForPartitionException.class);
    }
  }

  @Test
  void aPartitionMovesToANewMemberOnlyAfterItsOwnerReleasedIt() throws Exception {
    kafka.createTopic("t", 2);
    List<String> events = new CopyOnWriteArrayList<>();
    Consumer<byte[], byte[]> first = consumer("g", "earliest");
    first.subscribe(List.of("t"), listener("first", events, first));
    first.poll(Duration.ofMillis(10));
    assertThat(first.assignment()).hasSize(2);

    Consumer<byte[], byte[]> second = consumer("g", "earliest");
    second.subscribe(List.of("t"), listener("second", events, second));
    second.poll(Duration.ofMillis(10));
    // the first member has not polled yet, so it still owns both partitions
    assertThat(second.assignment()).isEmpty();

    first.poll(Duration.ofMillis(10));
    second.poll(Duration.ofMillis(10));
    assertThat(first.assignment()).containsExactly(new TopicPartition("t", 0));
    assertThat(second.assignment()).containsExactly(new TopicPartition("t", 1));
    assertThat(events)
        .containsExactly(
            "first assigned [t-0, t-1]", "first revoked [t-1]", "second assigned [t-1]");

    // the old owner committed in its revocation callback; the new owner starts there
    assertThat(kafka.committed("g", new TopicPartition("t", 1))).contains(0L);
    assertThatThrownBy(
            () -> first.commitSync(Map.of(new TopicPartition("t", 1), new OffsetAndMetadata(1))))
        .isInstanceOf(CommitFailedException.class);

    second.close();
    first.poll(Duration.ofMillis(10));
    assertThat(first.assignment()).hasSize(2);
    first.close();
    assertThat(events).contains("second revoked [t-1]", "first assigned [t-1]");
  }

  private static ConsumerRebalanceListener listener(
      String name, List<String> events, Consumer<byte[], byte[]> consumer) {
    return new ConsumerRebalanceListener() {
      @Override
      public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        events.add(name + " revoked " + partitions);
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        partitions.forEach(tp -> offsets.put(tp, new OffsetAndMetadata(consumer.position(tp))));
        consumer.commitSync(offsets);
      }

      @Override
      public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        events.add(name + " assigned " + partitions);
      }
    };
  }

  @Test
  void transactionsBecomeVisibleAtCommitWithTheirOffsetsAndNeverAfterAnAbort() throws Exception {
    kafka.createTopic("in", 1);
    kafka.createTopic("out", 1);
    Producer<byte[], byte[]> p = kafka.producer(Map.of("transactional.id", "tx-1"));
    p.initTransactions();
    p.beginTransaction();
    RecordMetadata lost = p.send(new ProducerRecord<>("out", b("lost"))).get();
    p.abortTransaction();

    p.beginTransaction();
    // as on a broker, a send in a transaction completes with its offset before the commit
    RecordMetadata kept = p.send(new ProducerRecord<>("out", b("kept"))).get();
    assertThat(kept.offset()).isGreaterThan(lost.offset());
    p.sendOffsetsToTransaction(
        Map.of(new TopicPartition("in", 0), new OffsetAndMetadata(5)),
        new org.apache.kafka.clients.consumer.ConsumerGroupMetadata("g"));
    TopicPartition out = new TopicPartition("out", 0);
    try (Consumer<byte[], byte[]> reader = consumer("r", "earliest")) {
      reader.assign(List.of(out));
      // the open transaction holds back the last stable offset
      assertThat(reader.endOffsets(List.of(out))).containsEntry(out, kept.offset());
      assertThat(reader.poll(Duration.ofMillis(20))).isEmpty();
      assertThat(kafka.committed("g", new TopicPartition("in", 0))).isEmpty();
      p.commitTransaction();
      assertThat(values(reader, 1)).containsExactly("kept");
    }
    assertThat(kafka.records("out")).extracting(r -> s(r.value())).containsExactly("kept");
    assertThat(kafka.committed("g", new TopicPartition("in", 0))).contains(5L);

    p.beginTransaction();
    p.send(new ProducerRecord<>("out", b("fenced")));
    Producer<byte[], byte[]> newer = kafka.producer(Map.of("transactional.id", "tx-1"));
    newer.initTransactions();
    assertThatThrownBy(p::commitTransaction).isInstanceOf(ProducerFencedException.class);
    // the fenced producer's open transaction was aborted, so readers are not held back
    assertThat(kafka.records("out")).extracting(r -> s(r.value())).containsExactly("kept");
    assertThatThrownBy(() -> producer().beginTransaction())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("transactional.id");
  }

  @Test
  void seekPauseTimestampsAndLag() throws Exception {
    kafka.createTopic("t", 1);
    try (Producer<byte[], byte[]> p = producer()) {
      for (int i = 0; i < 4; i++) {
        p.send(new ProducerRecord<>("t", 0, 1_000L * i, null, b("v" + i))).get();
      }
    }
    TopicPartition tp = new TopicPartition("t", 0);
    try (Consumer<byte[], byte[]> c = consumer("g", "earliest")) {
      c.assign(List.of(tp));
      assertThat(c.offsetsForTimes(Map.of(tp, 1_500L)).get(tp).offset()).isEqualTo(2);
      assertThat(c.offsetsForTimes(Map.of(tp, 9_000L)).get(tp)).isNull();
      c.seek(tp, 2);
      assertThat(c.currentLag(tp)).hasValue(2);
      c.pause(List.of(tp));
      assertThat(c.poll(Duration.ofMillis(20))).isEmpty();
      c.resume(List.of(tp));
      assertThat(values(c, 2)).containsExactly("v2", "v3");
      assertThat(c.endOffsets(List.of(tp))).containsEntry(tp, 4L);
      assertThatThrownBy(() -> c.seek(new TopicPartition("t", 5), 0))
          .isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void wakeupInterruptsABlockedPoll() throws Exception {
    kafka.createTopic("t", 1);
    try (Consumer<byte[], byte[]> c = consumer("g", "earliest")) {
      c.subscribe(List.of("t"));
      CountDownLatch polling = new CountDownLatch(1);
      Thread waker =
          new Thread(
              () -> {
                try {
                  polling.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                c.wakeup();
              });
      waker.start();
      polling.countDown();
      long start = System.nanoTime();
      assertThatThrownBy(() -> c.poll(Duration.ofSeconds(30))).isInstanceOf(WakeupException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
      waker.join();
    }
  }

  @Test
  void injectedSendFailuresReachTheFutureAndLeaveNothingBehind() {
    kafka.createTopic("t", 1);
    kafka.failNextSends("t", 1, () -> new TimeoutException("broker down (injected)"));
    try (Producer<byte[], byte[]> p = producer()) {
      var failed = p.send(new ProducerRecord<>("t", b("a")));
      assertThatThrownBy(failed::get).hasCauseInstanceOf(TimeoutException.class);
      p.send(new ProducerRecord<>("t", b("b")));
    }
    assertThat(kafka.records("t")).extracting(r -> s(r.value())).containsExactly("b");
  }

  @Test
  void adminCreatesAndDescribesTopics() throws Exception {
    try (Admin admin = kafka.admin(Map.of())) {
      admin
          .createTopics(
              List.of(new NewTopic("a", 4, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
          .all()
          .get();
      assertThatThrownBy(
              () -> admin.createTopics(List.of(new NewTopic("a", 1, (short) 1))).all().get())
          .hasCauseInstanceOf(TopicExistsException.class);
      assertThat(admin.describeTopics(List.of("a")).allTopicNames().get().get("a").partitions())
          .hasSize(4);
      assertThatThrownBy(() -> admin.describeTopics(List.of("b")).allTopicNames().get())
          .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
      assertThatThrownBy(admin::listTopics)
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessageContaining("not modelled");
    }
    assertThat(kafka.partitions("a")).contains(4);
    assertThat(kafka.topics()).isEqualTo(List.of("a"));
    kafka.reset();
    assertThat(kafka.topics()).isEmpty();
    assertThat(Set.copyOf(kafka.topics())).isEmpty();
  }
}
