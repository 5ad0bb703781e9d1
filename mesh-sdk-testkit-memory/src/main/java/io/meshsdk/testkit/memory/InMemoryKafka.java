package io.meshsdk.testkit.memory;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.utils.Utils;
import org.jspecify.annotations.Nullable;

/**
 * An in-memory Kafka cluster for unit tests: topics with partitions, producers, consumers in
 * groups, transactions and an admin client, all in the test's JVM with no network. Plug it into a
 * mesh with {@code Mesh.builder().kafkaClientFactory(KafkaClientFactory.of(kafka::producer,
 * kafka::consumer, kafka::admin))} (the testkit's {@code @MeshTest} does this by default), or use
 * its clients directly in a test of plain Kafka code. It depends on kafka-clients alone, so Mesh
 * SDK's own unit tests use it too.
 *
 * <p>What it models as Kafka does, because users rely on it:
 *
 * <ul>
 *   <li>per-partition order and offsets from 0; records keep key, value, headers and timestamp
 *       ({@code CreateTime}: the producer's, else the append time);
 *   <li>keyed records go to {@code murmur2(key) % partitions}, exactly Kafka's default partitioner,
 *       so a key lands on the same partition number as on a real cluster;
 *   <li>consumer groups: partitions spread over the members subscribed to a topic, committed
 *       offsets, {@code auto.offset.reset}, rebalance listener callbacks on the polling thread
 *       (cooperative: a member is told only of partitions it gains or loses, and a partition moves
 *       to its new owner only after the old owner released it, as the group protocol guarantees);
 *   <li>manual assignment, seek, pause/resume, {@code offsetsForTimes}, beginning and end offsets,
 *       lag, {@code wakeup()};
 *   <li>transactions: records of a transaction take their offsets when sent (the send completes
 *       then, as on a broker) but become visible, with the offsets sent to the transaction, only at
 *       commit; readers stop at the first open transaction (the last stable offset) and skip
 *       aborted records; a second producer with the same {@code transactional.id} fences the first
 *       and aborts its open transaction. Consumers always read {@code read_committed};
 *   <li>topic creation and description through {@code Admin}, with partitions and configs;
 *       producing to a missing topic creates it with {@link #defaultPartitions} partitions (the
 *       broker's {@code auto.create.topics.enable}).
 * </ul>
 *
 * <p>What it does not model: replication, acks and broker failures (use {@link #failNextSends}),
 * compaction and retention (every record stays), log-append-time topics, transaction control
 * records (they take no offset here, so offsets are dense apart from aborted records), {@code
 * read_uncommitted}, quotas, security, consumer-group session timeouts (a member leaves only by
 * closing or unsubscribing), static membership, and Kafka's client metrics ({@code metrics()} is
 * empty). Unsupported client methods throw {@code UnsupportedOperationException} naming themselves.
 *
 * <p>Thread-safety: thread-safe; clients may be used from any threads as Kafka's clients may (a
 * consumer by one thread at a time, plus {@code wakeup()} from any). Ownership: the creator owns
 * the cluster; clients created from it are owned by whoever asked for them.
 */
public final class InMemoryKafka {
  private static final Pattern TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
  static final Node NODE = new Node(0, "in-memory", 9092);

  final ReentrantLock lock = new ReentrantLock();
  final Condition changed = lock.newCondition();
  private final Map<String, Topic> topics = new LinkedHashMap<>();
  private final Map<String, Group> groups = new HashMap<>();
  private final Map<String, Integer> transactionalEpochs = new HashMap<>();
  private final Map<String, List<Stored>> openTransactions = new HashMap<>();
  private final Map<String, List<Supplier<? extends RuntimeException>>> sendFailures =
      new HashMap<>();
  private volatile int defaultPartitions = 1;
  private long nextMemberId;

  /** Transaction state of a stored record. */
  static final int COMMITTED = 0;

  static final int OPEN = 1;
  static final int ABORTED = 2;

  /**
   * A record as stored in a partition; its state changes when its transaction ends (guarded by the
   * lock).
   */
  static final class Stored {
    final byte @Nullable [] key;
    final byte @Nullable [] value;
    final Header[] headers;
    final long timestamp;
    int state;

    Stored(
        byte @Nullable [] key,
        byte @Nullable [] value,
        Header[] headers,
        long timestamp,
        int state) {
      this.key = key;
      this.value = value;
      this.headers = headers;
      this.timestamp = timestamp;
      this.state = state;
    }
  }

  /**
   * The last stable offset of a partition: the first record of a still-open transaction, or the
   * end. Readers (always {@code read_committed} here) see records below it that are not aborted.
   */
  static long stableEnd(List<Stored> log) {
    for (int i = 0; i < log.size(); i++) {
      if (log.get(i).state == OPEN) {
        return i;
      }
    }
    return log.size();
  }

  /** A topic: its partitions' logs and configs. */
  static final class Topic {
    final String name;
    final List<List<Stored>> partitions = new ArrayList<>();
    final Map<String, String> configs;

    Topic(String name, int partitions, Map<String, String> configs) {
      this.name = name;
      for (int i = 0; i < partitions; i++) {
        this.partitions.add(new ArrayList<>());
      }
      this.configs = Map.copyOf(configs);
    }
  }

  /** A consumer group: committed offsets, subscribed members, partition owners. */
  static final class Group {
    final String id;
    final Map<TopicPartition, Long> committed = new HashMap<>();
    final List<InMemoryConsumer> members = new ArrayList<>();
    final Map<TopicPartition, InMemoryConsumer> owners = new HashMap<>();
    int generation;

    Group(String id) {
      this.id = id;
    }
  }

  /** Creates an empty cluster. */
  public InMemoryKafka() {}

  /**
   * Sets the partitions of topics created implicitly (by producing to or subscribing to a missing
   * topic, or an admin request without a count). Default 1, as a broker's {@code num.partitions}.
   *
   * @param partitions at least 1
   * @return this cluster
   */
  public InMemoryKafka defaultPartitions(int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
    }
    this.defaultPartitions = partitions;
    return this;
  }

  /**
   * Creates a topic.
   *
   * @param name a valid Kafka topic name
   * @param partitions at least 1
   * @throws TopicExistsException if it exists
   * @throws InvalidTopicException if the name is not valid
   */
  public void createTopic(String name, int partitions) {
    createTopic(name, partitions, Map.of());
  }

  void createTopic(String name, int partitions, Map<String, String> configs) {
    Objects.requireNonNull(name, "name");
    if (!TOPIC_NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
      throw new InvalidTopicException("'" + name + "' is not a valid topic name");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
    }
    lock.lock();
    try {
      if (topics.containsKey(name)) {
        throw new TopicExistsException("topic " + name + " already exists");
      }
      topics.put(name, new Topic(name, partitions, configs));
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The names of the topics, in creation order.
   *
   * @return a snapshot
   */
  public List<String> topics() {
    lock.lock();
    try {
      return List.copyOf(topics.keySet());
    } finally {
      lock.unlock();
    }
  }

  /**
   * The number of partitions of a topic.
   *
   * @param topic the topic
   * @return the count, or empty if the topic does not exist
   */
  public Optional<Integer> partitions(String topic) {
    lock.lock();
    try {
      Topic t = topics.get(topic);
      return t == null ? Optional.empty() : Optional.of(t.partitions.size());
    } finally {
      lock.unlock();
    }
  }

  /**
   * Every record of a topic, partition by partition in offset order.
   *
   * @param topic the topic
   * @return a snapshot (empty if the topic does not exist); headers are copies
   */
  public List<ConsumerRecord<byte[], byte[]>> records(String topic) {
    Objects.requireNonNull(topic, "topic");
    lock.lock();
    try {
      Topic t = topics.get(topic);
      if (t == null) {
        return List.of();
      }
      List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
      for (int p = 0; p < t.partitions.size(); p++) {
        List<Stored> log = t.partitions.get(p);
        long end = stableEnd(log);
        for (int o = 0; o < end; o++) {
          if (log.get(o).state == COMMITTED) {
            all.add(toConsumerRecord(topic, p, o, log.get(o)));
          }
        }
      }
      return all;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The offset a group committed for a partition.
   *
   * @param group the group id
   * @param partition the partition
   * @return the committed offset (the next record to read), or empty
   */
  public Optional<Long> committed(String group, TopicPartition partition) {
    lock.lock();
    try {
      Group g = groups.get(group);
      return g == null ? Optional.empty() : Optional.ofNullable(g.committed.get(partition));
    } finally {
      lock.unlock();
    }
  }

  /**
   * Makes the next {@code count} sends to a topic fail with the given error, delivered through the
   * send's future and callback as a broker error would be; nothing is appended for them.
   *
   * @param topic the topic
   * @param count how many sends fail
   * @param error creates the error of each failing send
   */
  public void failNextSends(String topic, int count, Supplier<? extends RuntimeException> error) {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(error, "error");
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1, got " + count);
    }
    lock.lock();
    try {
      List<Supplier<? extends RuntimeException>> list =
          sendFailures.computeIfAbsent(topic, t -> new ArrayList<>());
      for (int i = 0; i < count; i++) {
        list.add(error);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Removes every topic, group, transaction and injected failure. Clients still open keep working
   * against the emptied cluster (their groups are gone: they see no partitions until they subscribe
   * again).
   */
  public void reset() {
    lock.lock();
    try {
      topics.clear();
      groups.clear();
      transactionalEpochs.clear();
      openTransactions.clear();
      sendFailures.clear();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * A producer of this cluster.
   *
   * @param config the producer configuration ({@code transactional.id}, {@code client.id}, ...)
   * @return a new producer, owned by the caller
   */
  public Producer<byte[], byte[]> producer(Map<String, Object> config) {
    return new InMemoryProducer(this, Objects.requireNonNull(config, "config"));
  }

  /**
   * A consumer of this cluster.
   *
   * @param config the consumer configuration ({@code group.id}, {@code auto.offset.reset}, ...)
   * @return a new consumer, owned by the caller
   */
  public Consumer<byte[], byte[]> consumer(Map<String, Object> config) {
    return new InMemoryConsumer(this, Objects.requireNonNull(config, "config"));
  }

  /**
   * An admin client of this cluster.
   *
   * @param config ignored
   * @return a new admin client, owned by the caller
   */
  public Admin admin(Map<String, Object> config) {
    return (Admin)
        Proxy.newProxyInstance(
            Admin.class.getClassLoader(), new Class<?>[] {Admin.class}, new InMemoryAdmin(this));
  }

  @Override
  public String toString() {
    return "InMemoryKafka" + topics();
  }

  // ---- used by the clients, always under the lock ----

  @Nullable Topic topic(String name) {
    return topics.get(name);
  }

  Topic topicOrCreate(String name) {
    Topic t = topics.get(name);
    if (t == null) {
      createTopic(name, defaultPartitions, Map.of());
      t = topics.get(name);
    }
    return Objects.requireNonNull(t);
  }

  Map<String, Topic> allTopics() {
    return topics;
  }

  Group group(String id) {
    return groups.computeIfAbsent(id, Group::new);
  }

  @Nullable RuntimeException nextSendFailure(String topic) {
    List<Supplier<? extends RuntimeException>> list = sendFailures.get(topic);
    if (list == null || list.isEmpty()) {
      return null;
    }
    return list.remove(0).get();
  }

  /** A new producer with this id: ends the old one's open transaction as aborted. */
  int fence(String transactionalId) {
    endTransaction(transactionalId, false);
    return transactionalEpochs.merge(transactionalId, 1, Integer::sum);
  }

  /** Records appended in the open transaction of a transactional id. */
  List<Stored> openTransaction(String transactionalId) {
    return openTransactions.computeIfAbsent(transactionalId, id -> new ArrayList<>());
  }

  /** Commits or aborts the open transaction of an id; readers are woken. */
  void endTransaction(String transactionalId, boolean commit) {
    List<Stored> open = openTransactions.remove(transactionalId);
    if (open != null) {
      for (Stored s : open) {
        s.state = commit ? COMMITTED : ABORTED;
      }
      changed.signalAll();
    }
  }

  int epoch(String transactionalId) {
    return transactionalEpochs.getOrDefault(transactionalId, 0);
  }

  String nextMemberId(String clientId) {
    return clientId + "-" + (++nextMemberId);
  }

  static int partitionForKey(byte[] key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key)) % partitions;
  }

  List<PartitionInfo> partitionInfos(Topic t) {
    List<PartitionInfo> infos = new ArrayList<>();
    Node[] nodes = {NODE};
    for (int p = 0; p < t.partitions.size(); p++) {
      infos.add(new PartitionInfo(t.name, p, NODE, nodes, nodes));
    }
    return infos;
  }

  /**
   * The partitions a member should own now: each subscribed topic's partitions dealt round-robin
   * over the members subscribed to it, in the order they joined.
   */
  Set<TopicPartition> target(Group g, InMemoryConsumer member) {
    Set<TopicPartition> mine = new TreeSet<>(PARTITION_ORDER);
    for (String topic : member.subscribedTopics()) {
      Topic t = topics.get(topic);
      if (t == null) {
        continue;
      }
      List<InMemoryConsumer> sharing = new ArrayList<>();
      for (InMemoryConsumer m : g.members) {
        if (m.subscribedTopics().contains(topic)) {
          sharing.add(m);
        }
      }
      int index = sharing.indexOf(member);
      for (int p = index; p < t.partitions.size(); p += sharing.size()) {
        mine.add(new TopicPartition(topic, p));
      }
    }
    return mine;
  }

  static final Comparator<TopicPartition> PARTITION_ORDER =
      Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

  static ConsumerRecord<byte[], byte[]> toConsumerRecord(
      String topic, int partition, long offset, Stored s) {
    return new ConsumerRecord<>(
        topic,
        partition,
        offset,
        s.timestamp,
        TimestampType.CREATE_TIME,
        s.key == null ? -1 : s.key.length,
        s.value == null ? -1 : s.value.length,
        s.key,
        s.value,
        new RecordHeaders(s.headers.clone()),
        Optional.of(0));
  }

  boolean await(long deadlineNanos) throws InterruptedException {
    long left = deadlineNanos - System.nanoTime();
    if (left <= 0) {
      return false;
    }
    changed.awaitNanos(left);
    return true;
  }

  static long deadline(Duration timeout) {
    long nanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, timeout.toMillis()));
    return System.nanoTime() + nanos;
  }

  static UnsupportedOperationException unsupported(String method) {
    return new UnsupportedOperationException(
        method + " is not modelled by the in-memory Kafka of mesh-sdk-testkit");
  }
}
