package io.meshsdk.consumer.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.jspecify.annotations.Nullable;

/**
 * Finds which of a fixed set of names a header key is, without turning the key into a string.
 *
 * <p>A consumed record's headers arrive as Kafka {@link RecordHeader}s holding their key as bytes;
 * {@link Header#key()} takes a lock, decodes those bytes into a new string and, in a {@code
 * switch}, hashes it. For a record with eight headers that was the largest cost of the consumer
 * loop outside Kafka's own code (measured in {@code EndToEndHarness}). Here the key bytes are read
 * where Kafka keeps them and compared with the expected names' bytes.
 *
 * <p>Reading them means reading a private field of {@code RecordHeader} ({@code keyBuffer}, and
 * {@code key} once decoded). When that field is not there (another kafka-clients version, a
 * different {@code Header} implementation, a security manager) or the key is no longer a heap
 * buffer, the key is read through {@link Header#key()} as before: the result is the same, only
 * slower. {@code HeaderKeysTest} fails if the fast path is unavailable with the kafka-clients this
 * SDK is built against. Immutable and thread-safe.
 */
final class HeaderKeys {
  private static final @Nullable VarHandle KEY_BUFFER = field("keyBuffer", ByteBuffer.class);
  private static final @Nullable VarHandle KEY = field("key", String.class);

  private final String[] names;
  private final byte[][] bytes;

  /**
   * @param names the keys to recognise, ASCII
   */
  HeaderKeys(String... names) {
    this.names = names.clone();
    this.bytes = new byte[names.length][];
    for (int i = 0; i < names.length; i++) {
      bytes[i] = names[i].getBytes(StandardCharsets.UTF_8);
    }
  }

  private static @Nullable VarHandle field(String name, Class<?> type) {
    try {
      return MethodHandles.privateLookupIn(RecordHeader.class, MethodHandles.lookup())
          .findVarHandle(RecordHeader.class, name, type);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Whether keys can be matched without decoding them (the fields were found).
   *
   * @return true on the fast path
   */
  static boolean direct() {
    return KEY_BUFFER != null && KEY != null;
  }

  /**
   * Which name the header's key is.
   *
   * @param header a header
   * @return the index of its key in the names given at construction, or -1 for any other key
   */
  int indexOf(Header header) {
    if (KEY_BUFFER != null && KEY != null && header instanceof RecordHeader) {
      // decoded already (key() was called): compare the string; else compare the bytes
      String decoded = (String) KEY.getVolatile(header);
      if (decoded == null) {
        ByteBuffer buffer = (ByteBuffer) KEY_BUFFER.getVolatile(header);
        if (buffer != null && buffer.hasArray()) {
          return indexOf(
              buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
        }
      } else {
        return indexOf(decoded);
      }
    }
    return indexOf(header.key());
  }

  private int indexOf(byte[] array, int from, int length) {
    for (int i = 0; i < bytes.length; i++) {
      byte[] expected = bytes[i];
      if (expected.length == length
          && Arrays.equals(array, from, from + length, expected, 0, length)) {
        return i;
      }
    }
    return -1;
  }

  private int indexOf(@Nullable String key) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }
}
