package io.meshsdk.consumer.internal;

import io.meshsdk.consumer.DeadLetterException;
import io.meshsdk.consumer.EventHandler;
import io.meshsdk.consumer.Failure;
import io.meshsdk.consumer.FailureReason;
import io.meshsdk.consumer.MeshShareConsumer;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.crypto.KeyManagementException;
import io.meshsdk.crypto.internal.Withheld;
import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.errors.MeshException;
import io.meshsdk.registry.SchemaRegistryException;
import io.meshsdk.runtime.internal.Clients;
import io.meshsdk.runtime.internal.MeshContext;
import io.meshsdk.serde.MeshDeserializer;
import io.meshsdk.serde.RecordDecodingException;
import io.meshsdk.serde.SchemaIdLocation;
import io.meshsdk.serde.WireFormat;
import io.meshsdk.serde.internal.AvroKeys;
import io.meshsdk.serde.internal.Codecs;
import io.meshsdk.telemetry.internal.Meters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer in a share group: {@code members} threads, each polling its own {@code
 * KafkaShareConsumer} in explicit acknowledgement mode and acknowledging every record it was given
 * before it polls again. See {@link MeshShareConsumer} for the guarantees.
 *
 * <p>Per record: a delivery at the group's limit is dead-lettered at once (Kafka would archive it);
 * a record whose schema or data key cannot be loaded because a service is down is held (renewed,
 * with the rest of its poll), the member backing off before it polls again, so the outage spends no
 * delivery; a record that cannot be decoded is dead-lettered; otherwise the handler is called. A
 * retriable failure below the attempt limit releases the record; anything else is dead-lettered and
 * then rejected. A dead letter that cannot be written (waited for at most half the record lock)
 * holds the record the same way and is written again when it comes back, up to {@link
 * KafkaMeshConsumer#DEAD_LETTER_WRITES} times; then every member stops and the record is released.
 * A member that closes finishes its poll, and gives the records it held an outcome before it
 * leaves.
 */
public final class KafkaMeshShareConsumer<T> implements MeshShareConsumer<T> {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaMeshShareConsumer.class);
  private static final Duration POLL = Duration.ofMillis(100);

  /** The lowest {@code share.delivery.count.limit} Kafka allows, assumed when unreadable. */
  static final int MIN_DELIVERY_LIMIT = 2;

  /** The validated settings of a share consumer. */
  record Settings<T>(
      ProductContract<T> contract,
      String group,
      String topic,
      String deadLetterTopic,
      int members,
      int maxAttempts,
      List<Class<? extends Throwable>> nonRetriable,
      EventHandler<T> handler,
      Map<String, Object> kafka,
      String autoOffsetReset,
      boolean startExplicit) {}

  private final MeshContext ctx;
  private final Settings<T> settings;
  private final ProductContract<T> contract;
  private final boolean encrypted;
  private final String clientId;
  private final ConsumerMeters meters;
  private final ConsumerTracing tracing;
  private final DeadLetterWriter deadLetters;
  private final HandlerCall<T> call;
  private final boolean timing;
  private final RetrySchedule backoff;
  private final List<Member> members = new ArrayList<>();
  private final CountDownLatch stopped;
  private final java.util.concurrent.atomic.AtomicInteger alive;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean released = new AtomicBoolean();
  private volatile boolean running = true;
  private volatile @Nullable Throwable failure;

  /** Whether the group's delivery limit could be read at start. */
  private boolean limitKnown;

  /** The group's record lock duration, read at start (Kafka's default, 30 s, otherwise). */
  private long lockNanos = TimeUnit.SECONDS.toNanos(30);

  /** The group's delivery limit, read at start. */
  private int deliveryLimit = MIN_DELIVERY_LIMIT;

  /** Handler calls at most: the caller's limit, one below the group's delivery limit. */
  private int attempts;

  KafkaMeshShareConsumer(MeshContext ctx, Settings<T> settings) {
    this.ctx = ctx;
    this.settings = settings;
    this.contract = settings.contract();
    this.encrypted = !contract.encryptedFields().isEmpty();
    this.clientId =
        Clients.clientId(ctx.application() + "-" + settings.group() + "-" + settings.topic());
    String version = contract.version().toString();
    this.meters =
        new ConsumerMeters(
            ctx.telemetry(), ctx.application(), contract.id(), version, settings.group());
    this.tracing =
        new ConsumerTracing(
            ctx.telemetry(), settings.topic(), settings.group(), contract.id(), version, false);
    this.deadLetters =
        new DeadLetterWriter(
            ctx, clientId, settings.deadLetterTopic(), settings.group(), contract, null);
    this.call = new HandlerCall<>(tracing, settings.handler(), deadLetters);
    this.timing = ctx.telemetry().metricsEnabled();
    this.backoff = new RetrySchedule(Duration.ofMillis(100), Duration.ofSeconds(5), POLL);
    this.stopped = new CountDownLatch(settings.members());
    this.alive = new java.util.concurrent.atomic.AtomicInteger(settings.members());
    ctx.tracker()
        .consuming(contract, settings.topic(), settings.group(), settings.deadLetterTopic());
  }

  /**
   * Makes the members' share consumers (failing first when the mesh's clients have none), reads the
   * group's delivery limit, sets where a new group starts, starts the members.
   */
  synchronized KafkaMeshShareConsumer<T> start() {
    for (int i = 0; i < settings.members(); i++) {
      String id = settings.members() == 1 ? clientId : clientId + "-" + i;
      ShareConsumer<byte[], byte[]> consumer;
      try {
        consumer = Clients.shareConsumer(ctx, id, settings.group(), settings.kafka());
      } catch (UnsupportedOperationException e) {
        throw new MeshConfigurationException(
            "share consumer of "
                + contract.id()
                + " cannot start: the mesh's Kafka clients make no share consumers (the"
                + " testkit's in-memory Kafka has none; use the embedded broker)",
            e);
      }
      Member m = new Member(id, consumer);
      members.add(m);
    }
    Map<String, ConfigEntry> config =
        ctx.provisioner()
            .groupConfig(
                settings.group(),
                List.of(
                    "share.delivery.count.limit",
                    "share.auto.offset.reset",
                    "share.record.lock.duration.ms"));
    String limit = valueOf(config.get("share.delivery.count.limit"));
    String lock = valueOf(config.get("share.record.lock.duration.ms"));
    if (lock != null) {
      lockNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(lock.trim()));
    }
    // a dead letter is waited for at most half the lock: then the record can still be renewed
    deadLetters.waitAtMost(Duration.ofNanos(lockNanos / 2));
    if (limit != null) {
      deliveryLimit = Integer.parseInt(limit.trim());
      limitKnown = true;
    } else {
      deliveryLimit = MIN_DELIVERY_LIMIT;
      LOG.warn(
          "{}: cannot read the share group's share.delivery.count.limit; assuming the lowest"
              + " Kafka allows, {}, for the attempts (one handler call per record)",
          clientId,
          MIN_DELIVERY_LIMIT);
    }
    attempts = Math.max(1, Math.min(settings.maxAttempts(), deliveryLimit - 1));
    if (attempts < settings.maxAttempts()) {
      LOG.warn(
          "{}: maxAttempts {} is capped at {}, one below the share group's delivery limit {},"
              + " which keeps the last delivery for the dead letter",
          clientId,
          settings.maxAttempts(),
          attempts,
          deliveryLimit);
    }
    ConfigEntry resetEntry = config.get("share.auto.offset.reset");
    String reset = valueOf(resetEntry);
    boolean groupDefault =
        resetEntry == null || resetEntry.source() != ConfigEntry.ConfigSource.DYNAMIC_GROUP_CONFIG;
    if (!settings.autoOffsetReset().equals(reset) && (settings.startExplicit() || groupDefault)) {
      // an explicit startFrom always; the default only where the group has no setting of its own
      ctx.provisioner()
          .setGroupConfig(settings.group(), "share.auto.offset.reset", settings.autoOffsetReset());
    }
    for (Member m : members) {
      m.consumer.subscribe(List.of(settings.topic()));
      m.thread.start();
    }
    LOG.info(
        "{}: consuming {} from {} in share group {} ({} member(s), {} attempt(s), delivery limit"
            + " {})",
        clientId,
        contract.id(),
        settings.topic(),
        settings.group(),
        settings.members(),
        attempts,
        deliveryLimit);
    return this;
  }

  /** One member of the group: its share consumer, thread, decoder and event reader. */
  private final class Member {
    private final String id;
    private final ShareConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final MeshDeserializer<T> deserializer;
    private final AvroKeys keys;
    private final EventReader<T> events;

    /** Backoffs since records were first held for an outage; 0 when none is on. */
    private int outageWaits;

    /** Records whose dead letter failed; this member's thread only. */
    private final Map<Pending, PendingDeadLetter<T>> pendingDeadLetters = new java.util.HashMap<>();

    Member(String id, ShareConsumer<byte[], byte[]> consumer) {
      this.id = id;
      this.consumer = consumer;
      this.thread = new Thread(this::run, "mesh-share-" + id);
      this.deserializer =
          MeshDeserializer.of(
              Codecs.create(contract, ctx.fieldCipher()).limits(ctx.decodeLimits()),
              ctx.registry());
      this.keys = new AvroKeys(ctx.registry(), ctx.decodeLimits());
      this.events = new EventReader<>(contract.eventType());
    }

    private void run() {
      try {
        boolean held = false;
        while (running) {
          ConsumerRecords<byte[], byte[]> records;
          try {
            records = consumer.poll(POLL);
          } catch (WakeupException e) {
            continue;
          }
          held = handleAll(records);
          if (held) {
            // the renewed records come back at the next poll, after a backoff
            LockSupport.parkNanos(backoff.backoff(Math.min(++outageWaits, 30)));
          } else if (outageWaits > 0 && !records.isEmpty()) {
            LOG.info("{}: the held records could be read after {} wait(s)", id, outageWaits);
            outageWaits = 0;
          }
        }
        if (held || !pendingDeadLetters.isEmpty()) {
          leaveHeld();
        }
      } catch (WakeupException e) {
        // closing
      } catch (RuntimeException | Error e) {
        failed(e);
        LOG.error("{}: share consumer member stopped; stopping the others: {}", id, e, e);
        stopMembers();
      } finally {
        try {
          consumer.close(ctx.closeTimeout()); // sends the acknowledgements still pending
        } catch (RuntimeException e) {
          LOG.warn("{}: closing the share consumer failed: {}", id, e.toString());
        }
        stopped.countDown();
        if (alive.decrementAndGet() == 0) {
          deadLetters.close();
          meters.stopped();
          Throwable failed = failure;
          if (failed != null) {
            ctx.tracker().failed(KafkaMeshShareConsumer.this, failed.getClass().getName());
          }
          if (closed.get()) {
            release(); // closed from a handler, which could not wait for this
          }
        }
      }
    }

    /**
     * Gives every record of a poll its acknowledgement, as explicit mode requires. Once one record
     * is held (a service is down, or its dead letter failed), the rest are renewed without being
     * decoded, those at their last delivery too: renewing keeps the delivery count, and each decode
     * would wait for the service while the others' locks run out.
     *
     * @return whether records were held
     */
    private boolean handleAll(ConsumerRecords<byte[], byte[]> records) {
      boolean held = false;
      for (ConsumerRecord<byte[], byte[]> r : records) {
        AcknowledgeType ack = held ? AcknowledgeType.RENEW : handle(this, r);
        held |= ack == AcknowledgeType.RENEW;
        consumer.acknowledge(r, ack);
      }
      return held;
    }

    /**
     * Closing after records were held: they come back at the next poll, and each gets an outcome
     * before the member leaves (closing would release them, and Kafka archive those at their last
     * delivery): its pending dead letter, a dead letter at its last delivery, or a release.
     */
    private void leaveHeld() {
      ConsumerRecords<byte[], byte[]> back;
      try {
        back = consumer.poll(Duration.ofMillis(500));
      } catch (WakeupException e) {
        back = consumer.poll(Duration.ofMillis(500)); // the close's wake-up, spent now
      }
      for (ConsumerRecord<byte[], byte[]> r : back) {
        consumer.acknowledge(r, leave(this, r));
      }
    }
  }

  private static @Nullable String valueOf(@Nullable ConfigEntry entry) {
    return entry == null ? null : entry.value();
  }

  /** Whether Kafka archives the record if it is released once more (the limit being known). */
  private boolean atLastDelivery(ConsumerRecord<?, ?> r) {
    return limitKnown && r.deliveryCount().map(Short::intValue).orElse(1) >= deliveryLimit;
  }

  /**
   * The outcome of a record the member leaves without handling (closing after records were held):
   * its pending dead letter is written, one at its last delivery is dead-lettered (a release would
   * let Kafka archive it), the others are released. A dead letter that fails now is released, and
   * logged as an error when that loses the record.
   */
  private AcknowledgeType leave(Member m, ConsumerRecord<byte[], byte[]> r) {
    long start = timing ? System.nanoTime() : 0L;
    int delivery = r.deliveryCount().map(Short::intValue).orElse(1);
    PendingDeadLetter<T> pending = m.pendingDeadLetters.get(new Pending(r.partition(), r.offset()));
    if (pending != null) {
      return deadLetter(m, r, pending.failure(), pending.value(), delivery, start);
    }
    if (atLastDelivery(r)) {
      return deadLetter(m, r, lastDelivery(r, delivery), null, delivery, start);
    }
    return AcknowledgeType.RELEASE;
  }

  private static Failure lastDelivery(ConsumerRecord<?, ?> r, int delivery) {
    return Failure.of(
        r.topic(),
        r.partition(),
        r.offset(),
        delivery,
        FailureReason.DELIVERY_LIMIT,
        new MeshException(
            "delivered "
                + delivery
                + " times, the share group's share.delivery.count.limit; dead-lettered without"
                + " calling the handler"),
        false);
  }

  /** Stops every member: one failed, or the consumer closes. */
  private void stopMembers() {
    running = false;
    List<Member> all;
    synchronized (this) {
      all = List.copyOf(members);
    }
    for (Member m : all) {
      if (Thread.currentThread() != m.thread) {
        m.consumer.wakeup();
      }
    }
  }

  /**
   * Handles one record.
   *
   * @return how to acknowledge it
   */
  private AcknowledgeType handle(Member m, ConsumerRecord<byte[], byte[]> r) {
    long start = timing ? System.nanoTime() : 0L;
    int delivery = r.deliveryCount().map(Short::intValue).orElse(1);
    PendingDeadLetter<T> pending =
        m.pendingDeadLetters.isEmpty()
            ? null
            : m.pendingDeadLetters.get(new Pending(r.partition(), r.offset()));
    if (pending != null) {
      // its dead letter could not be written before: written now, the handler is not called again
      return deadLetter(m, r, pending.failure(), pending.value(), delivery, start);
    }
    if (atLastDelivery(r)) {
      // members crashed or timed out on it before: handled now, it might fail once more and be
      // archived by Kafka without a dead letter
      return deadLetter(m, r, lastDelivery(r, delivery), null, delivery, start);
    }
    T value = null;
    SchemaIdLocation where = null;
    EventReader.Key key = EventReader.Key.NONE;
    List<String> withheld = List.of();
    Failure fail = null;
    try {
      if (r.value() != null) {
        where = WireFormat.locate(r.value(), r.headers());
        meters.schemaIdSource(where.source());
        if (encrypted) {
          Withheld.begin();
          try {
            value = m.deserializer.deserialize(r.topic(), where, r.value());
          } finally {
            withheld = Withheld.drain();
          }
        } else {
          value = m.deserializer.deserialize(r.topic(), where, r.value());
        }
      }
      key = EventReader.key(r.topic(), r.key(), m.keys);
    } catch (RecordDecodingException e) {
      fail = failure(r, delivery, FailureReason.of(e.reason()), e, false);
    } catch (SchemaRegistryException | KeyManagementException e) {
      if (e instanceof KeyManagementException k && !k.isRetriable()) {
        fail = failure(r, delivery, FailureReason.KEY_UNAVAILABLE, e, false);
      } else {
        // a service is down, not the record: renewed, it comes back at the next poll with the
        // same delivery count
        if (m.outageWaits == 0) {
          if (e instanceof SchemaRegistryException) {
            meters.registryOutage();
          } else {
            meters.keyOutage();
          }
          LOG.warn(
              "{}: {} needs a {} that is down ({}); held (lock renewed, no delivery spent) and"
                  + " retried until it answers",
              m.id,
              where(r),
              e instanceof SchemaRegistryException ? "schema from the registry" : "data key",
              e.getMessage());
        }
        return AcknowledgeType.RENEW;
      }
    } catch (RuntimeException | Error e) {
      fail = failure(r, delivery, FailureReason.DECODER_FAILURE, e, false);
    }
    if (fail == null) {
      DefaultConsumedEvent<T> event = m.events.read(r, value, where, key, withheld);
      if (m.events.deprecated()) {
        meters.deprecated(event, m.id);
      }
      Throwable error = call.invoke(event);
      if (error == null) {
        if (timing) {
          Meters.recordSince(meters.handled, start);
          meters.freshness(event.eventTime());
        }
        return AcknowledgeType.ACCEPT;
      }
      boolean retriable = ConsumerSettings.isRetriable(error, settings.nonRetriable());
      fail = failure(r, delivery, HandlerCall.reasonOf(error), error, retriable);
      if (retriable && delivery < attempts) {
        Meters.recordSince(meters.retried, start);
        LOG.info(
            "{}: {} failed (delivery {}, {}), released for redelivery: {}",
            m.id,
            where(r),
            delivery,
            fail.reason().code(),
            deadLetters.safeMessage(error, value));
        return AcknowledgeType.RELEASE;
      }
    }
    return deadLetter(m, r, fail, value, delivery, start);
  }

  /**
   * Writes the dead letter, then rejects the record. When it cannot be written, the record is
   * renewed (it comes back to this member with the same delivery count) and the dead letter written
   * again, without calling the handler, up to {@link KafkaMeshConsumer#DEAD_LETTER_WRITES} times;
   * then, or at once when the broker refuses it for good, every member stops and the record is
   * released: at its last delivery Kafka then archives it (to the group's own dead-letter topic, if
   * it has one), the one way a share consumer can lose a record, logged as an error.
   */
  private AcknowledgeType deadLetter(
      Member m,
      ConsumerRecord<byte[], byte[]> r,
      Failure fail,
      @Nullable T value,
      int delivery,
      long start) {
    Pending key = new Pending(r.partition(), r.offset());
    try {
      deadLetters.write(r, fail, value);
    } catch (DeadLetterException e) {
      PendingDeadLetter<T> before = m.pendingDeadLetters.remove(key);
      int writes = (before != null ? before.writes() : 0) + 1;
      if (e.isRetriable() && writes < KafkaMeshConsumer.DEAD_LETTER_WRITES && running) {
        long now = System.nanoTime();
        // entries of records that came back to another member are left behind: forget them
        m.pendingDeadLetters.values().removeIf(p -> now - p.since() > 2 * lockNanos);
        m.pendingDeadLetters.put(
            key,
            new PendingDeadLetter<>(fail, value, writes, before != null ? before.since() : now));
        LOG.warn(
            "{}: {} (try {} of {}); {} held (renewed) to try again",
            m.id,
            e.getMessage(),
            writes,
            KafkaMeshConsumer.DEAD_LETTER_WRITES,
            where(r));
        return AcknowledgeType.RENEW;
      }
      Meters.recordSince(meters.failed, start);
      failed(e);
      if (atLastDelivery(r) || !limitKnown) {
        LOG.error(
            "{}: {} ({} tries); stopping every member. {} is released at what may be its last"
                + " delivery: Kafka archives it without a Mesh dead letter (into the group's own"
                + " dead-letter topic, if it has one)",
            m.id,
            e.getMessage(),
            writes,
            where(r));
      } else {
        LOG.error(
            "{}: {} ({} tries); stopping every member, {} is released",
            m.id,
            e.getMessage(),
            writes,
            where(r));
      }
      stopMembers();
      return AcknowledgeType.RELEASE;
    }
    m.pendingDeadLetters.remove(key);
    Meters.recordSince(meters.deadLettered, start);
    meters.deadLettered(fail.reason().code());
    return AcknowledgeType.REJECT;
  }

  /** A record whose dead letter could not be written yet: written when it comes back. */
  private record PendingDeadLetter<T>(Failure failure, @Nullable T value, int writes, long since) {}

  /** A record of the topic: its partition and offset. */
  private record Pending(int partition, long offset) {}

  private static Failure failure(
      ConsumerRecord<?, ?> r, int delivery, FailureReason reason, Throwable e, boolean retriable) {
    return Failure.of(r.topic(), r.partition(), r.offset(), delivery, reason, e, retriable);
  }

  private static String where(ConsumerRecord<?, ?> r) {
    return r.topic() + "-" + r.partition() + "@" + r.offset();
  }

  private synchronized void failed(Throwable error) {
    if (failure == null) {
      failure = error;
    }
  }

  // ---- handle --------------------------------------------------------------------------

  @Override
  public String group() {
    return settings.group();
  }

  @Override
  public String topic() {
    return settings.topic();
  }

  @Override
  public String deadLetterTopic() {
    return settings.deadLetterTopic();
  }

  @Override
  public boolean isRunning() {
    return running && stopped.getCount() == settings.members();
  }

  @Override
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  @Override
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    running = false;
    boolean first = closed.compareAndSet(false, true);
    List<Member> started = new ArrayList<>();
    synchronized (this) {
      for (Member m : members) {
        if (m.thread == Thread.currentThread()) {
          // from a handler: the members stop when it returns (the last releases the consumer);
          // waiting here would wait for this very thread
          stopMembers();
          return;
        }
        if (m.thread.getState() == Thread.State.NEW) {
          if (first) {
            try {
              m.consumer.close(Duration.ZERO);
            } catch (RuntimeException e) {
              LOG.debug("{}: closing an unstarted share consumer failed", m.id, e);
            }
            stopped.countDown();
            alive.decrementAndGet();
          }
        } else {
          started.add(m);
        }
      }
      if (first) {
        for (int i = members.size(); i < settings.members(); i++) {
          stopped.countDown(); // never made
          alive.decrementAndGet();
        }
      }
    }
    stopMembers();
    try {
      if (!stopped.await(ctx.closeTimeout().toMillis() + 5000, TimeUnit.MILLISECONDS)) {
        LOG.warn("{}: did not stop within the close timeout", clientId);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (started.isEmpty()) {
      deadLetters.close(); // no member ran to close it
    }
    release();
  }

  /** Removes the meters and lets the mesh forget this consumer, once. */
  private void release() {
    if (released.compareAndSet(false, true)) {
      meters.close();
      ctx.tracker().closed(this);
    }
  }

  @Override
  public String toString() {
    return "MeshShareConsumer[" + clientId + ", running=" + isRunning() + "]";
  }
}
