package io.meshsdk.processor.internal;

import io.meshsdk.consumer.ConsumedEvent;
import io.meshsdk.consumer.ErrorHandler;
import io.meshsdk.consumer.EventHandler;
import io.meshsdk.consumer.MeshConsumer;
import io.meshsdk.consumer.StartPosition;
import io.meshsdk.consumer.internal.ConsumerSettings;
import io.meshsdk.consumer.internal.DefaultConsumerBuilder;
import io.meshsdk.consumer.internal.KafkaMeshConsumer;
import io.meshsdk.consumer.internal.TransactionHooks;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.errors.MeshConfigurationException;
import io.meshsdk.processor.MeshProcessor;
import io.meshsdk.processor.Output;
import io.meshsdk.processor.ProcessFunction;
import io.meshsdk.processor.ProcessorOutputException;
import io.meshsdk.producer.SendOptions;
import io.meshsdk.producer.SendResult;
import io.meshsdk.producer.internal.KafkaMeshProducer;
import io.meshsdk.runtime.internal.Clients;
import io.meshsdk.runtime.internal.MeshContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * A processor: the consumer loop, a producer for the outputs, and in exactly-once mode the hooks.
 */
public final class DefaultProcessor<I, O> implements MeshProcessor<I, O> {
  private final MeshContext ctx;
  private final KafkaMeshConsumer<I> input;
  private final KafkaMeshProducer<O> output;
  private final @Nullable Producer<byte[], byte[]> transactional;
  private final AutoCloseable producerMetrics;
  private volatile boolean closed;

  private DefaultProcessor(
      MeshContext ctx,
      KafkaMeshConsumer<I> input,
      KafkaMeshProducer<O> output,
      @Nullable Producer<byte[], byte[]> transactional,
      AutoCloseable producerMetrics) {
    this.ctx = ctx;
    this.input = input;
    this.output = output;
    this.transactional = transactional;
    this.producerMetrics = producerMetrics;
  }

  @Override
  public MeshConsumer<I> input() {
    return input;
  }

  @Override
  public String outputTopic() {
    return output.topic();
  }

  /**
   * Stops the input (its last transaction or commit goes out), then the output; an exactly-once
   * processor's transactional producer closes with it. The mesh forgets the processor.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      input.close();
      output.close();
    } finally {
      closeProducer(transactional, producerMetrics, ctx.closeTimeout());
      ctx.tracker().closed(this);
    }
  }

  private static void closeProducer(
      @Nullable Producer<byte[], byte[]> producer, AutoCloseable metrics, Duration timeout) {
    try {
      metrics.close();
    } catch (Exception e) {
      // unbinding metrics is best effort
    }
    if (producer != null) {
      try {
        producer.close(timeout);
      } catch (RuntimeException e) {
        // closing is best effort; the transaction coordinator aborts what was open
      }
    }
  }

  /** Builds processors. */
  public static final class Builder<I, O> implements MeshProcessor.Builder<I, O> {
    private final DefaultConsumerBuilder<I> consumer;
    private final ProductContract<O> outputContract;
    private final Consumer<AutoCloseable> registrar;
    private boolean exactlyOnce;
    private @Nullable ProcessFunction<I, O> function;

    public Builder(
        MeshContext ctx,
        ProductContract<I> in,
        ProductContract<O> out,
        Consumer<AutoCloseable> registrar) {
      this.consumer = new DefaultConsumerBuilder<>(ctx, in, c -> {});
      this.outputContract = Objects.requireNonNull(out, "out");
      this.registrar = registrar;
    }

    @Override
    public Builder<I, O> group(String group) {
      consumer.group(group);
      return this;
    }

    @Override
    public Builder<I, O> startFrom(StartPosition position) {
      consumer.startFrom(position);
      return this;
    }

    @Override
    public Builder<I, O> maxAttempts(int maxAttempts) {
      consumer.maxAttempts(maxAttempts);
      return this;
    }

    @Override
    public Builder<I, O> backoff(Duration initial, Duration max) {
      consumer.backoff(initial, max);
      return this;
    }

    @Override
    public Builder<I, O> errorHandler(ErrorHandler handler) {
      consumer.errorHandler(handler);
      return this;
    }

    @Override
    public Builder<I, O> exactlyOnce() {
      this.exactlyOnce = true;
      return this;
    }

    @Override
    public Builder<I, O> process(ProcessFunction<I, O> function) {
      this.function = Objects.requireNonNull(function, "function");
      return this;
    }

    @Override
    public DefaultProcessor<I, O> start() {
      if (function == null) {
        throw new MeshConfigurationException(
            "processor of " + outputContract.id() + " needs .process((event, out) -> ...)");
      }
      ProcessFunction<I, O> fn = function;
      MeshContext ctx = consumer.context();
      OutputBuffer<O> out = new OutputBuffer<>(exactlyOnce);
      EventHandler<I> handler = event -> out.run(fn, event);
      ConsumerSettings<I> settings = consumer.settings(handler);
      // at least once: the mesh's shared producer; exactly once: a transactional one of its own
      Producer<byte[], byte[]> transactional = null;
      AutoCloseable metrics = () -> {};
      KafkaMeshProducer<O> output = null;
      KafkaMeshConsumer<I> input;
      try {
        if (exactlyOnce) {
          String transactionalId =
              ctx.application()
                  + "-"
                  + settings.group()
                  + "-"
                  + UUID.randomUUID().toString().substring(0, 8);
          transactional =
              Clients.producer(
                  ctx,
                  Clients.clientId(ctx.application() + "-" + settings.group() + "-processor"),
                  transactionalId);
          metrics = Clients.bindMetrics(ctx.telemetry(), transactional, ctx.application());
          transactional.initTransactions();
        }
        output = new KafkaMeshProducer<>(ctx, outputContract, transactional);
        out.producer = output;
        // made above when exactly once
        TransactionHooks hooks = transactional != null ? new Hooks(transactional) : null;
        input = new KafkaMeshConsumer<>(ctx, settings, hooks);
      } catch (RuntimeException e) {
        // release whatever was made before the failure
        if (output != null) {
          output.close();
        }
        closeProducer(transactional, metrics, Duration.ZERO);
        throw e;
      }
      DefaultProcessor<I, O> processor =
          new DefaultProcessor<>(ctx, input, output, transactional, metrics);
      registrar.accept(processor);
      try {
        input.start();
      } catch (RuntimeException e) {
        processor.close();
        throw e;
      }
      return processor;
    }
  }

  /**
   * Sends outputs; in at-least-once mode waits for their acknowledgements before the input commits.
   */
  private static final class OutputBuffer<O> implements Output<O> {
    private final boolean exactlyOnce;
    private final List<CompletableFuture<SendResult>> pending = new ArrayList<>();
    private @Nullable KafkaMeshProducer<O> producer;

    OutputBuffer(boolean exactlyOnce) {
      this.exactlyOnce = exactlyOnce;
    }

    <I> void run(ProcessFunction<I, O> fn, ConsumedEvent<I> event) throws Exception {
      pending.clear();
      fn.process(event, this);
      if (exactlyOnce) {
        return;
      }
      try {
        for (CompletableFuture<SendResult> f : pending) {
          f.get(60, TimeUnit.SECONDS);
        }
      } catch (ExecutionException | TimeoutException e) {
        throw new ProcessorOutputException(
            "an output of the processor was not acknowledged: " + e, e);
      } finally {
        pending.clear();
      }
    }

    @Override
    public CompletableFuture<SendResult> send(O value) {
      return send(value, SendOptions.none());
    }

    @Override
    public CompletableFuture<SendResult> send(O value, SendOptions options) {
      CompletableFuture<SendResult> f =
          Objects.requireNonNull(producer, "producer").send(value, options);
      pending.add(f);
      return f;
    }
  }

  private static final class Hooks implements TransactionHooks {
    private final Producer<byte[], byte[]> producer;

    Hooks(Producer<byte[], byte[]> producer) {
      this.producer = producer;
    }

    @Override
    public Producer<byte[], byte[]> producer() {
      return producer;
    }

    @Override
    public void begin() {
      producer.beginTransaction();
    }

    @Override
    public void commit(
        Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group) {
      if (!offsets.isEmpty()) {
        producer.sendOffsetsToTransaction(offsets, group);
      }
      producer.commitTransaction();
    }

    @Override
    public void abort() {
      producer.abortTransaction();
    }
  }
}
