package org.apache.kafka.common.utils;

import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * A stand-in, in the benchmarks only, for the kafka-clients 3.x class of this name, which Kafka 4
 * moved to {@code org.apache.kafka.common.utils.internals}: Confluent's Parallel Consumer 0.5.3.3
 * reads its offset metadata through it. Written for the benchmark from the constructor Parallel
 * Consumer calls, not copied; see {@code ParallelConsumerHarness}.
 */
public final class ByteBufferInputStream extends InputStream {
  private final ByteBuffer buffer;

  public ByteBufferInputStream(ByteBuffer buffer) {
    this.buffer = buffer;
  }

  @Override
  public int read() {
    return buffer.hasRemaining() ? buffer.get() & 0xff : -1;
  }

  @Override
  public int read(byte[] bytes, int off, int len) {
    if (len == 0) {
      return 0;
    }
    if (!buffer.hasRemaining()) {
      return -1;
    }
    int n = Math.min(len, buffer.remaining());
    buffer.get(bytes, off, n);
    return n;
  }

  @Override
  public int available() {
    return buffer.remaining();
  }
}
