package io.meshsdk.consumer.internal;

import io.meshsdk.lineage.MeshHeaders;
import io.meshsdk.lineage.internal.EventIds;
import io.meshsdk.lineage.internal.Rfc3339;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the consumer pays per record to read the CloudEvents headers into an event, apart from Kafka
 * and the value's decoding: {@code EventReader.read} on records whose eight headers are laid out as
 * Kafka's fetch parser leaves them (slices of one buffer). In the SDK's package to reach the
 * package-private reader; benchmark code only.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar EventReaderBenchmark -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EventReaderBenchmark {
  private static final int RECORDS = 1024;

  private ConsumerRecord<byte[], byte[]>[] records;
  private EventReader<Object> reader;
  private int next;

  @Setup
  @SuppressWarnings("unchecked")
  public void setUp() {
    reader = new EventReader<>("orders.order-placed.v1");
    records = new ConsumerRecord[RECORDS];
    for (int i = 0; i < RECORDS; i++) {
      String[][] pairs = {
        {MeshHeaders.SPEC_VERSION, "1.0"},
        {MeshHeaders.ID, new String(EventIds.nextBytes(), StandardCharsets.UTF_8)},
        {MeshHeaders.SOURCE, "/mesh/harness"},
        {MeshHeaders.TYPE, "orders.order-placed.v1"},
        {MeshHeaders.TIME, new String(Rfc3339.format(Instant.now()), StandardCharsets.UTF_8)},
        {"ce_dataschema", "urn:mesh:schema:1"},
        {MeshHeaders.CONTENT_TYPE, "application/avro"},
        {MeshHeaders.VERSION, "1.0"}
      };
      // as Kafka's parser leaves them: slices of the batch's buffer
      ByteBuffer batch = ByteBuffer.allocate(512);
      Header[] headers = new Header[pairs.length];
      for (int h = 0; h < pairs.length; h++) {
        byte[] key = pairs[h][0].getBytes(StandardCharsets.UTF_8);
        byte[] value = pairs[h][1].getBytes(StandardCharsets.UTF_8);
        int at = batch.position();
        batch.put(key).put(value);
        ByteBuffer k = batch.duplicate().position(at).limit(at + key.length).slice();
        ByteBuffer v =
            batch
                .duplicate()
                .position(at + key.length)
                .limit(at + key.length + value.length)
                .slice();
        headers[h] = new RecordHeader(k, v);
      }
      records[i] =
          new ConsumerRecord<>(
              "orders",
              0,
              i,
              System.currentTimeMillis(),
              TimestampType.CREATE_TIME,
              4,
              88,
              "o-1".getBytes(StandardCharsets.UTF_8),
              new byte[88],
              new RecordHeaders(headers),
              Optional.empty());
    }
  }

  private ConsumerRecord<byte[], byte[]> nextRecord() {
    ConsumerRecord<byte[], byte[]> r = records[next];
    next = (next + 1) & (RECORDS - 1);
    return r;
  }

  /**
   * Reading a record's headers into the event handed to the handler: finding the CloudEvents
   * headers and the sunset mark (their values are decoded only when the event is asked for them).
   */
  @Benchmark
  public Object read() {
    return reader.read(nextRecord(), "value", 1, EventReader.Key.NONE);
  }

  /** Only finding which header is which: most of {@link #read}, for reading the key bytes. */
  @Benchmark
  public int matchKeys() {
    int sum = 0;
    for (Header h : nextRecord().headers()) {
      sum += EventReader.KEYS.indexOf(h);
    }
    return sum;
  }
}
