package io.meshsdk.consumer.internal;

import io.meshsdk.consumer.ErrorHandler;
import io.meshsdk.consumer.EventHandler;
import io.meshsdk.consumer.MeshConsumer;
import io.meshsdk.consumer.StartPosition;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.lineage.MeshHeaders;
import io.meshsdk.runtime.ProvisioningMode;
import io.meshsdk.runtime.internal.KafkaKeys;
import io.meshsdk.runtime.internal.MeshContext;
import io.meshsdk.runtime.internal.TopicProvisioner;
import io.meshsdk.runtime.internal.TopicProvisioner.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Collects and validates a consumer's settings, provisions its topics, starts it. */
public final class DefaultConsumerBuilder<T> implements MeshConsumer.Builder<T> {
  private static final Pattern MAJOR = Pattern.compile(".*\\.v(\\d+)$");
  private static final Pattern LEGAL = Pattern.compile("[A-Za-z0-9._-]+");

  private final MeshContext ctx;
  private final ProductContract<T> contract;
  private final Consumer<AutoCloseable> registrar;
  private @Nullable String group;
  private StartPosition start = StartPosition.committedOrEarliest();
  private @Nullable String topic;
  private int maxAttempts = 3;
  private Duration backoffInitial = Duration.ofMillis(100);
  private Duration backoffMax = Duration.ofSeconds(10);
  private final List<Class<? extends Throwable>> nonRetriable = new ArrayList<>();
  private @Nullable String deadLetterTopic;
  private @Nullable ErrorHandler errorHandler;
  private boolean traceAsLink;
  private final Map<String, Object> kafka = new HashMap<>();
  private @Nullable EventHandler<T> handler;
  private int concurrency = 1;
  private final List<Class<?>> sources = new ArrayList<>();
  private int dedupWindow = 10_000;
  private @Nullable Duration topicWait;
  private boolean createTopic;
  private MeshConsumer.Ordering ordering = MeshConsumer.Ordering.PARTITION;
  private int parallelism = 1;
  private int maxInFlight;

  /** The most worker threads of one parallel consumer. */
  static final int MAX_PARALLELISM = 1024;

  public DefaultConsumerBuilder(
      MeshContext ctx, ProductContract<T> contract, Consumer<AutoCloseable> registrar) {
    this.ctx = ctx;
    this.contract = Objects.requireNonNull(contract, "contract");
    this.registrar = registrar;
  }

  /**
   * Sets the group. It names the dead-letter topic ({@code {topic}.{group}.dlq}), so it takes the
   * characters of a topic name.
   */
  @Override
  public DefaultConsumerBuilder<T> group(String group) {
    this.group = checkGroup(group);
    return this;
  }

  /** Refuses a group that could not name a dead-letter topic. */
  public static String checkGroup(String group) {
    Objects.requireNonNull(group, "group");
    if (!LEGAL.matcher(group).matches() || group.length() > 200) {
      throw new IllegalArgumentException(
          "consumer group '"
              + group
              + "' must be 1 to 200 letters, digits, '.', '_' or '-' (it names the dead-letter"
              + " topic)");
    }
    return group;
  }

  /** Refuses what Kafka would refuse as a topic name, naming the rule broken. */
  public static String checkTopic(String topic, String what) {
    Objects.requireNonNull(topic, what);
    if (topic.isEmpty() || topic.equals(".") || topic.equals("..")) {
      throw new IllegalArgumentException(what + " '" + topic + "' is not a valid topic name");
    }
    if (topic.length() > 249) {
      throw new IllegalArgumentException(
          what + " is " + topic.length() + " characters long; Kafka allows at most 249");
    }
    if (!LEGAL.matcher(topic).matches()) {
      throw new IllegalArgumentException(
          what + " '" + topic + "' may use only letters, digits, '.', '_' and '-'");
    }
    return topic;
  }

  @Override
  public DefaultConsumerBuilder<T> startFrom(StartPosition position) {
    this.start = Objects.requireNonNull(position, "position");
    return this;
  }

  @Override
  public DefaultConsumerBuilder<T> topic(String topic) {
    this.topic = checkTopic(topic, "topic");
    return this;
  }

  @Override
  public DefaultConsumerBuilder<T> readFrom(Class<?>... majors) {
    Objects.requireNonNull(majors, "majors");
    if (majors.length == 0) {
      throw new IllegalArgumentException("readFrom needs at least one product class");
    }
    sources.clear();
    for (Class<?> m : majors) {
      sources.add(Objects.requireNonNull(m, "major"));
    }
    return this;
  }

  @Override
  public DefaultConsumerBuilder<T> deduplicationWindow(int events) {
    if (events < 1) {
      throw new IllegalArgumentException("the window must hold at least 1 event, got " + events);
    }
    this.dedupWindow = events;
    return this;
  }

  @Override
  public DefaultConsumerBuilder<T> maxAttempts(int maxAttempts) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    this.maxAttempts = maxAttempts;
    return this;
  }

  @Override
  public DefaultConsumerBuilder<T> backoff(Duration initial, Duration max) {
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(max, "max");
    if (initial.isNegative() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "backoff needs 0 <= initial <= max, got " + initial + ", " + max);
    }
    this.backoffInitial = initial;
    this.backoffMax = max;
    return this;
  }

  @Override
  public DefaultConsumerBuilder<T> nonRetriable(Class<? extends Throwable> type) {
    nonRetriable.add(Objects.requireNonNull(type, "type"));
    return this;
  }

  @Override
  public DefaultConsumerBuilder<T> deadLetterTopic(String topic) {
    this.deadLetterTopic = checkTopic(topic, "dead-letter topic");
    return this;
  }

  @Override
  public DefaultConsumerBuilder<T> errorHandler(ErrorHandler handler) {
    this.errorHandler = Objects.requireNonNull(handler, "handler");
    return this;
  }

  @Override
  public DefaultConsumerBuilder<T> traceAsLink() {
    this.traceAsLink = true;
    return this;
  }

  @Override
  public DefaultConsumerBuilder<T> topicWait(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the topic wait must be positive, got " + timeout);
    }
    this.topicWait = timeout;
    return this;
  }

  @Override
  public DefaultConsumerBuilder<T> createTopicFromContract() {
    this.createTopic = true;
    return this;
  }

  /** Sets a consumer property; a key Kafka's consumer does not know is reported at start. */
  @Override
  public DefaultConsumerBuilder<T> kafkaProperty(String key, Object value) {
    KafkaKeys.requirePassable(key);
    kafka.put(key, Objects.requireNonNull(value, "value"));
    return this;
  }

  @Override
  public DefaultConsumerBuilder<T> concurrency(int consumers) {
    if (consumers < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, got " + consumers);
    }
    this.concurrency = consumers;
    return this;
  }

  @Override
  public DefaultConsumerBuilder<T> parallel(MeshConsumer.Ordering ordering, int concurrency) {
    Objects.requireNonNull(ordering, "ordering");
    if (concurrency < 1 || concurrency > MAX_PARALLELISM) {
      throw new IllegalArgumentException(
          "parallel concurrency must be 1 to " + MAX_PARALLELISM + ", got " + concurrency);
    }
    if (ordering == MeshConsumer.Ordering.PARTITION && concurrency != 1) {
      throw new IllegalArgumentException(
          "ordering PARTITION handles one record of a partition at a time; use concurrency(n) for"
              + " more consumers of the group, or KEY or UNORDERED for parallel records");
    }
    this.ordering = ordering;
    this.parallelism = concurrency;
    return this;
  }

  @Override
  public DefaultConsumerBuilder<T> maxInFlight(int records) {
    if (records < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1, got " + records);
    }
    this.maxInFlight = records;
    return this;
  }

  @Override
  public DefaultConsumerBuilder<T> handle(EventHandler<T> handler) {
    this.handler = Objects.requireNonNull(handler, "handler");
    return this;
  }

  @Override
  public MeshConsumer<T> start() {
    if (!sources.isEmpty() && !(sources.size() == 1 && sources.get(0) == contract.type())) {
      return startMigrating();
    }
    ConsumerSettings<T> settings = settings(handler);
    if (concurrency == 1) {
      KafkaMeshConsumer<T> consumer = new KafkaMeshConsumer<>(ctx, settings, null);
      registrar.accept(consumer);
      try {
        return consumer.start();
      } catch (RuntimeException e) {
        consumer.close();
        throw e;
      }
    }
    List<MeshConsumer<T>> members = new ArrayList<>();
    try {
      for (int i = 0; i < concurrency; i++) {
        KafkaMeshConsumer<T> consumer = new KafkaMeshConsumer<>(ctx, settings, null, "-" + i);
        registrar.accept(consumer);
        members.add(consumer);
        consumer.start();
      }
    } catch (RuntimeException e) {
      new ConsumerGroupHandle<>(members).close(); // the members made before the failure
      throw e;
    }
    return new ConsumerGroupHandle<>(members);
  }

  /** Validates, enforces governance, provisions the topics; the settings for a given handler. */
  public ConsumerSettings<T> settings(@Nullable EventHandler<T> handler) {
    List<String> problems = new ArrayList<>();
    if (group == null) {
      problems.add("a consumer group is required: .group(\"...\")");
    }
    if (handler == null) {
      problems.add("a handler is required: .handle(event -> ...)");
    }
    String t = topic != null ? topic : ctx.topicOf(contract);
    Matcher m = MAJOR.matcher(t);
    if (m.matches() && Integer.parseInt(m.group(1)) != contract.version().major()) {
      problems.add(
          "reader "
              + contract.type().getName()
              + " is version "
              + contract.version()
              + " but topic "
              + t
              + " holds major version "
              + m.group(1)
              + "; read it with a class of that major (or a migration)");
    }
    if (!problems.isEmpty()) {
      throw new MeshConfigurationException(
          "consumer of " + contract.id() + " cannot start", problems);
    }
    // both reported above when missing
    String g = Objects.requireNonNull(group, "group");
    EventHandler<T> h = Objects.requireNonNull(handler, "handler");
    ctx.governance().enforce(contract);
    KafkaKeys.reportUnknown(
        "consumer", KafkaKeys.CONSUMER, kafka.keySet(), "consumer of " + contract.id());
    String dlq =
        deadLetterTopic != null
            ? deadLetterTopic
            : checkTopic(t + "." + g + ".dlq", "dead-letter topic");
    // a consumer never creates the product's topic from its own class unless told to: its class
    // may be a view without the product's settings. It waits for the producer (see the loop);
    // its dead-letter topic is created at the first dead letter, or checked now in VERIFY mode
    TopicSpec own = TopicProvisioner.specOf(contract, t);
    if (ctx.provisioning() == ProvisioningMode.VERIFY) {
      ctx.provisioner()
          .provision(List.of(own, new TopicSpec(dlq, own.partitions(), "delete", null)));
    } else if (createTopic) {
      ctx.provisioner().provision(List.of(own));
    }
    return new ConsumerSettings<>(
        contract,
        g,
        t,
        dlq,
        start,
        backoffInitial,
        backoffMax,
        List.copyOf(nonRetriable),
        errorHandler != null ? errorHandler : ErrorHandler.retryThenDeadLetter(maxAttempts),
        traceAsLink,
        Map.copyOf(kafka),
        h,
        java.util.concurrent.ConcurrentHashMap.newKeySet(),
        topicWait != null ? topicWait : ctx.topicWait(),
        ordering,
        parallelism,
        maxInFlight > 0 ? maxInFlight : Math.max(256, 4 * parallelism));
  }

  /**
   * One consumer per source topic in the same group, each decoding into its own major's class and
   * migrating to this consumer's class, sharing one de-duplication window.
   */
  private MeshConsumer<T> startMigrating() {
    if (group == null || handler == null) {
      settings(handler); // reports what is missing
    }
    if (topic != null) {
      throw new MeshConfigurationException(
          "consumer of " + contract.id() + " cannot start",
          List.of(
              "readFrom(...) names topics by product class; do not combine it with topic(...)"));
    }
    List<String> problems = new ArrayList<>();
    List<Function<Object, T>> paths = new ArrayList<>();
    for (Class<?> source : sources) {
      try {
        paths.add(ctx.migrations().path(source, contract.type()));
      } catch (MeshConfigurationException e) {
        problems.add(e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new MeshConfigurationException(
          "consumer of " + contract.id() + " cannot read " + sources, problems);
    }
    EventDeduplicator dedup =
        new EventDeduplicator(
            dedupWindow,
            ctx.telemetry(),
            ctx.application(),
            contract.id(),
            Objects.requireNonNull(group));
    if (sources.size() > 1) {
      List<String> topics = new ArrayList<>();
      for (Class<?> source : sources) {
        topics.add(ctx.topicOf(ProductContract.of(source)));
      }
      dedup.seed(ctx, topics);
    }
    List<MeshConsumer<?>> members = new ArrayList<>();
    try {
      for (int i = 0; i < sources.size(); i++) {
        members.add(startSource(sources.get(i), paths.get(i), dedup));
      }
    } catch (RuntimeException e) {
      for (MeshConsumer<?> m : members) {
        m.close();
      }
      throw e;
    }
    return new ConsumerGroupHandle<>(members);
  }

  private <S> MeshConsumer<S> startSource(
      Class<S> source, Function<Object, T> path, EventDeduplicator dedup) {
    EventHandler<T> target = Objects.requireNonNull(handler);
    DefaultConsumerBuilder<S> b =
        new DefaultConsumerBuilder<>(ctx, ProductContract.of(source), registrar);
    b.group = group;
    b.start = start;
    b.maxAttempts = maxAttempts;
    b.backoffInitial = backoffInitial;
    b.backoffMax = backoffMax;
    b.nonRetriable.addAll(nonRetriable);
    b.errorHandler = errorHandler;
    b.traceAsLink = traceAsLink;
    b.kafka.putAll(kafka);
    b.concurrency = concurrency;
    b.topicWait = topicWait;
    b.createTopic = createTopic;
    b.ordering = ordering;
    b.parallelism = parallelism;
    b.maxInFlight = maxInFlight;
    b.handler =
        event ->
            dedup.handle(
                event.header(MeshHeaders.ORIGIN_ID).orElse(event.eventId()),
                () -> {
                  S value = event.value();
                  T migrated = value == null ? null : path.apply(value);
                  target.handle(MigratedEvent.of(event, migrated));
                });
    return b.start();
  }

  /** The context. */
  public MeshContext context() {
    return ctx;
  }
}
