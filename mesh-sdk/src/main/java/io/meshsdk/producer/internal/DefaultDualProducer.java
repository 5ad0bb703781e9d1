package io.meshsdk.producer.internal;

import io.meshsdk.contract.ContractViolation;
import io.meshsdk.contract.ContractViolationException;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.errors.MeshException;
import io.meshsdk.lineage.EventRef;
import io.meshsdk.lineage.LineageScope;
import io.meshsdk.lineage.MeshHeaders;
import io.meshsdk.producer.DualProducer;
import io.meshsdk.producer.DualPublishException;
import io.meshsdk.producer.SendFailedException;
import io.meshsdk.producer.SendOptions;
import io.meshsdk.producer.SendResult;
import io.meshsdk.runtime.internal.Clients;
import io.meshsdk.runtime.internal.MeshContext;
import io.meshsdk.telemetry.MeshMetrics;
import io.meshsdk.telemetry.internal.Telemetry;
import io.micrometer.core.instrument.Counter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dual publishing: the new major through one producer, the translation through another, either
 * chained on a single translator thread (in order per key) or in one transaction per event.
 */
public final class DefaultDualProducer<T> implements DualProducer<T> {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultDualProducer.class);

  private final MeshContext ctx;
  private final KafkaMeshProducer<T> primary;
  private final KafkaMeshProducer<Object> secondary;
  private final Function<Object, Object> downcast;
  private final @Nullable Instant until;
  private final Clock clock;
  private final @Nullable Producer<byte[], byte[]> transactional;
  private final @Nullable ExecutorService translator;
  private final RecordHeader translatedFrom;
  private final Counter translated;
  private final Counter partial;
  private final Counter skipped;
  private volatile boolean stopped;
  private volatile boolean announcedEnd;
  private boolean closed;

  @SuppressWarnings("unchecked")
  private DefaultDualProducer(
      MeshContext ctx,
      ProductContract<T> contract,
      ProductContract<?> older,
      Function<Object, ?> downcast,
      @Nullable Instant until,
      Clock clock,
      boolean transactions) {
    this.ctx = ctx;
    this.downcast = (Function<Object, Object>) downcast;
    this.until = until;
    this.clock = clock;
    if (transactions) {
      String id =
          ctx.application()
              + "-dual-"
              + contract.id()
              + "-"
              + UUID.randomUUID().toString().substring(0, 8);
      Producer<byte[], byte[]> tx = Clients.producer(ctx, id, id);
      try {
        tx.initTransactions();
      } catch (KafkaException e) {
        tx.close();
        throw new MeshException("cannot start the transactional dual producer " + id + ": " + e, e);
      }
      this.transactional = tx;
      this.translator = null;
    } else {
      this.transactional = null;
      this.translator =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t = new Thread(r, ctx.application() + "-dual-" + contract.id());
                t.setDaemon(true);
                return t;
              });
    }
    KafkaMeshProducer<T> first = null;
    try {
      first = new KafkaMeshProducer<>(ctx, contract, transactional);
      this.secondary = new KafkaMeshProducer<>(ctx, (ProductContract<Object>) older, transactional);
    } catch (RuntimeException e) {
      // release what was made before the failure
      if (first != null) {
        first.close();
      }
      if (transactional != null) {
        transactional.close(Duration.ZERO);
      }
      if (translator != null) {
        translator.shutdownNow();
      }
      throw e;
    }
    this.primary = first;
    this.translatedFrom =
        new RecordHeader(
            MeshHeaders.TRANSLATED_FROM, contract.eventType().getBytes(StandardCharsets.UTF_8));
    var tags =
        io.micrometer.core.instrument.Tags.of(
            MeshMetrics.TAG_APPLICATION, ctx.application(), MeshMetrics.TAG_PRODUCT, contract.id());
    var meters = ctx.telemetry().meters();
    var telemetry = ctx.telemetry();
    this.translated =
        telemetry.retain(
            () ->
                Counter.builder(MeshMetrics.DUAL_PUBLISH)
                    .tags(tags.and(MeshMetrics.TAG_OUTCOME, "translated"))
                    .register(meters));
    this.partial =
        telemetry.retain(
            () ->
                Counter.builder(MeshMetrics.DUAL_PUBLISH)
                    .tags(tags.and(MeshMetrics.TAG_OUTCOME, "partial"))
                    .register(meters));
    this.skipped =
        telemetry.retain(
            () ->
                Counter.builder(MeshMetrics.DUAL_PUBLISH)
                    .tags(tags.and(MeshMetrics.TAG_OUTCOME, "not_translated"))
                    .register(meters));
    LOG.info(
        "dual publishing {} to {} and, translated, to {}{}{}",
        contract.id(),
        primary.topic(),
        secondary.topic(),
        until != null ? " until " + until : "",
        transactions ? " in transactions" : "");
  }

  @Override
  public CompletableFuture<SendResult> send(T value) {
    return send(value, SendOptions.none());
  }

  @Override
  public CompletableFuture<SendResult> send(T value, SendOptions options) {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(options, "options");
    if (!translating()) {
      Telemetry.safely(skipped::increment);
      // a transactional producer sends only inside a transaction, translating or not
      return transactional != null
          ? sendInTransaction(value, null, options, List.of())
          : primary.send(value, options);
    }
    // translate and check first: a bad translation sends nothing
    Object older = downcast.apply(value);
    List<ContractViolation> found = secondary.contract().validate(older);
    if (!found.isEmpty()) {
      throw new ContractViolationException(
          secondary.contract().id() + " " + secondary.contract().version() + " (translated)",
          found);
    }
    List<EventRef> parents = new ArrayList<>(LineageScope.currentParents());
    parents.addAll(options.parents());
    return transactional != null
        ? sendInTransaction(value, older, options, parents)
        : sendChained(value, older, options, parents);
  }

  @Override
  public CompletableFuture<SendResult> delete(String key) {
    return delete(key, SendOptions.none());
  }

  /**
   * Deletes the key in the new major's topic and, while translating and when the older major is a
   * {@code STATE} product too, in the older major's topic: chained, or in one transaction.
   */
  @Override
  public CompletableFuture<SendResult> delete(String key, SendOptions options) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(options, "options");
    boolean both =
        translating() && secondary.contract().kind() == io.meshsdk.contract.ProductKind.STATE;
    if (transactional != null) {
      return deleteInTransaction(key, options, both);
    }
    if (!both) {
      return primary.delete(key, options);
    }
    CompletableFuture<SendResult> result = new CompletableFuture<>();
    primary
        .delete(key, options)
        .whenComplete(
            (original, error) -> {
              if (error != null) {
                result.completeExceptionally(unwrap(error));
                return;
              }
              thenCopy(result, original, () -> secondary.delete(key, options), () -> {});
            });
    return result;
  }

  private synchronized CompletableFuture<SendResult> deleteInTransaction(
      String key, SendOptions options, boolean both) {
    Producer<byte[], byte[]> tx = Objects.requireNonNull(transactional);
    if (closed) {
      throw new IllegalStateException("dual producer of " + primary.contract().id() + " is closed");
    }
    try {
      tx.beginTransaction();
      SendResult original = primary.delete(key, options).get();
      if (both) {
        secondary.delete(key, options).get();
      }
      tx.commitTransaction();
      return CompletableFuture.completedFuture(original);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abort(tx);
      return CompletableFuture.failedFuture(
          new SendFailedException("interrupted while deleting; nothing was written", e));
    } catch (ExecutionException | KafkaException e) {
      abort(tx);
      return CompletableFuture.failedFuture(
          new SendFailedException(
              primary.contract().id() + ": deleting " + key + " failed; nothing was written: " + e,
              e));
    }
  }

  private CompletableFuture<SendResult> sendChained(
      T value, Object older, SendOptions options, List<EventRef> parents) {
    CompletableFuture<SendResult> result = new CompletableFuture<>();
    primary
        .send(value, options)
        .whenComplete(
            (original, error) -> {
              if (error != null) {
                result.completeExceptionally(unwrap(error));
                return;
              }
              try {
                Objects.requireNonNull(translator)
                    .execute(
                        () ->
                            thenCopy(
                                result,
                                original,
                                () ->
                                    secondary.send(
                                        older,
                                        translatedOptions(options, parents, original),
                                        translationHeaders(original)),
                                () -> Telemetry.safely(translated::increment)));
              } catch (RuntimeException e) {
                result.completeExceptionally(partial(original, e)); // the translator refused it
              }
            });
    return result;
  }

  /**
   * Writes the copy of an acknowledged original and completes {@code result} with the original once
   * the copy is acknowledged, or with a partial failure. A copy that throws instead of returning a
   * future (the secondary closed meanwhile) completes it too: thrown inside a callback or an
   * executor's task, the exception would be lost and {@code result} would never complete.
   */
  private void thenCopy(
      CompletableFuture<SendResult> result,
      SendResult original,
      Supplier<CompletableFuture<SendResult>> copy,
      Runnable onCopied) {
    CompletableFuture<SendResult> sent;
    try {
      sent = copy.get();
    } catch (RuntimeException e) {
      result.completeExceptionally(partial(original, e));
      return;
    }
    sent.whenComplete(
        (copied, failure) -> {
          if (failure == null) {
            onCopied.run();
            result.complete(original);
          } else {
            result.completeExceptionally(partial(original, failure));
          }
        });
  }

  /** One transaction: the original and, unless {@code older} is null, its translation. */
  private synchronized CompletableFuture<SendResult> sendInTransaction(
      T value, @Nullable Object older, SendOptions options, List<EventRef> parents) {
    Producer<byte[], byte[]> tx = Objects.requireNonNull(transactional);
    if (closed) {
      throw new IllegalStateException("dual producer of " + primary.contract().id() + " is closed");
    }
    try {
      tx.beginTransaction();
      SendResult original = primary.send(value, options).get();
      if (older != null) {
        secondary
            .send(
                older, translatedOptions(options, parents, original), translationHeaders(original))
            .get();
      }
      tx.commitTransaction();
      if (older != null) {
        Telemetry.safely(translated::increment);
      }
      return CompletableFuture.completedFuture(original);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abort(tx);
      return CompletableFuture.failedFuture(
          new SendFailedException("interrupted while dual publishing; nothing was written", e));
    } catch (ExecutionException | KafkaException e) {
      abort(tx);
      Throwable cause = e;
      if (e instanceof ExecutionException && e.getCause() != null) {
        cause = e.getCause();
      }
      return CompletableFuture.failedFuture(
          new SendFailedException(
              primary.contract().id()
                  + ": dual publishing failed and was rolled back (neither record is visible): "
                  + cause,
              cause));
    }
  }

  private void abort(Producer<byte[], byte[]> tx) {
    try {
      tx.abortTransaction();
    } catch (KafkaException | IllegalStateException e) {
      LOG.warn("aborting the dual publishing transaction failed: {}", e.toString());
    }
  }

  /** What a translation says of its original: its type and its id. */
  private List<Header> translationHeaders(SendResult original) {
    return List.of(
        translatedFrom,
        new RecordHeader(
            MeshHeaders.ORIGIN_ID, original.eventId().getBytes(StandardCharsets.UTF_8)));
  }

  private SendOptions translatedOptions(
      SendOptions options, List<EventRef> parents, SendResult original) {
    SendOptions.Builder b = SendOptions.builder().eventTime(original.eventTime());
    for (Map.Entry<String, byte[]> h : options.headers().entrySet()) {
      b.header(h.getKey(), h.getValue());
    }
    for (EventRef p : parents) {
      b.parent(p);
    }
    b.parent(
        new EventRef(
            primary.contract().eventType(),
            original.eventId(),
            original.topic(),
            original.partition(),
            original.offset()));
    return b.build();
  }

  private DualPublishException partial(SendResult original, Throwable failure) {
    Telemetry.safely(partial::increment);
    Throwable cause = unwrap(failure);
    LOG.warn(
        "{}: the original went to {}-{}@{} but its translation to {} failed: {}",
        primary.contract().id(),
        original.topic(),
        original.partition(),
        original.offset(),
        secondary.topic(),
        cause.toString());
    return new DualPublishException(
        primary.contract().id()
            + ": the original was written to "
            + original.topic()
            + " but its translation to "
            + secondary.topic()
            + " failed: "
            + cause,
        original,
        cause);
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  @Override
  public String translatedTopic() {
    return secondary.topic();
  }

  @Override
  public boolean translating() {
    if (stopped) {
      return false;
    }
    if (until != null && !clock.instant().isBefore(until)) {
      if (!announcedEnd) {
        announcedEnd = true;
        LOG.info(
            "{}: the migration period ended at {}; no longer translating to {}",
            primary.contract().id(),
            until,
            secondary.topic());
      }
      return false;
    }
    return true;
  }

  @Override
  public Optional<Instant> translatingUntil() {
    return Optional.ofNullable(until);
  }

  @Override
  public void stopTranslating() {
    stopped = true;
  }

  @Override
  public ProductContract<T> contract() {
    return primary.contract();
  }

  @Override
  public String topic() {
    return primary.topic();
  }

  @Override
  public int schemaId() {
    return primary.schemaId();
  }

  @Override
  public void flush() {
    primary.flush();
    drainTranslator();
    secondary.flush();
  }

  private void drainTranslator() {
    if (translator != null) {
      try {
        translator.submit(() -> {}).get(ctx.closeTimeout().toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException
          | java.util.concurrent.TimeoutException
          | java.util.concurrent.RejectedExecutionException e) {
        LOG.warn("waiting for pending translations failed: {}", e.toString());
      }
    }
  }

  @Override
  public Producer<byte[], byte[]> kafkaProducer() {
    return primary.kafkaProducer();
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      primary.flush();
      drainTranslator();
      if (translator != null) {
        translator.shutdown();
      }
      secondary.flush();
    } catch (RuntimeException e) {
      LOG.warn("flushing the dual producer failed: {}", e.toString());
    } finally {
      primary.close();
      secondary.close();
      if (transactional != null) {
        try {
          transactional.close(ctx.closeTimeout());
        } catch (RuntimeException e) {
          LOG.warn("closing the transactional producer failed: {}", e.toString());
        }
      }
      ctx.telemetry().release(translated, partial, skipped);
      ctx.tracker().closed(this);
    }
  }

  @Override
  public String toString() {
    return "DualProducer[" + primary.topic() + " + " + secondary.topic() + "]";
  }

  /** Validates and builds a dual producer. */
  public static final class Builder<T> implements DualProducer.Builder<T> {
    private final MeshContext ctx;
    private final ProductContract<T> contract;
    private final Consumer<AutoCloseable> registrar;
    private @Nullable Class<?> older;
    private @Nullable Instant until;
    private boolean transactions;
    private Clock clock = Clock.systemUTC();

    public Builder(
        MeshContext ctx, ProductContract<T> contract, Consumer<AutoCloseable> registrar) {
      this.ctx = ctx;
      this.contract = Objects.requireNonNull(contract, "contract");
      this.registrar = registrar;
    }

    @Override
    public Builder<T> alsoAs(Class<?> olderMajor) {
      this.older = Objects.requireNonNull(olderMajor, "olderMajor");
      return this;
    }

    @Override
    public Builder<T> until(Instant end) {
      this.until = Objects.requireNonNull(end, "end");
      return this;
    }

    @Override
    public Builder<T> transactional() {
      this.transactions = true;
      return this;
    }

    @Override
    public Builder<T> clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    @Override
    public DualProducer<T> build() {
      if (older == null) {
        throw new MeshConfigurationException(
            "dual producer of "
                + contract.id()
                + ": name the older major to translate to with .alsoAs(OlderMajor.class)");
      }
      ProductContract<?> olderContract = ProductContract.of(older);
      if (olderContract.version().major() >= contract.version().major()) {
        throw new MeshConfigurationException(
            "dual producer of "
                + contract.id()
                + ": "
                + older.getSimpleName()
                + " (v"
                + olderContract.version().major()
                + ") is not an older major than v"
                + contract.version().major());
      }
      Function<Object, ?> path = ctx.migrations().path(contract.type(), older);
      Instant end =
          until != null
              ? until
              : olderContract
                  .sunset()
                  .map(s -> s.date().atStartOfDay().toInstant(ZoneOffset.UTC))
                  .orElse(null);
      DefaultDualProducer<T> p =
          new DefaultDualProducer<>(ctx, contract, olderContract, path, end, clock, transactions);
      registrar.accept(p);
      return p;
    }
  }
}
