package io.meshsdk.consumer.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.jspecify.annotations.Nullable;

/**
 * Finds which of a fixed set of names a header key is, without turning the key into a string, and
 * reads header values where Kafka keeps them, without copying.
 *
 * <p>A consumed record's headers arrive as Kafka {@link RecordHeader}s holding their key as bytes;
 * {@link Header#key()} takes a lock, decodes those bytes into a new string and, in a {@code
 * switch}, hashes it. For a record with eight headers that was the largest cost of the consumer
 * loop outside Kafka's own code (measured in {@code EndToEndHarness}). Here the key bytes are read
 * where Kafka keeps them and compared with the expected names' bytes.
 *
 * <p>Reading them means reading private fields of {@code RecordHeader} ({@code keyBuffer} and
 * {@code valueBuffer}, and {@code key} and {@code value} once decoded or copied). When that field
 * is not there (another kafka-clients version, a different {@code Header} implementation, a
 * security manager) or the key is no longer a heap buffer, the key is read through {@link
 * Header#key()} as before: the result is the same, only slower. {@code HeaderBytesTest} fails if
 * the fast path is unavailable with the kafka-clients this SDK is built against. Immutable and
 * thread-safe.
 *
 * <p>The JVM system property {@value #SWITCH}{@code =false} turns the fast path off for the whole
 * JVM (read once, when the class loads): every key and value is then read through {@link
 * Header#key()} and {@link Header#value()}, for a platform that forbids reading another library's
 * private fields, or to rule this class out when tracking down a problem.
 */
final class HeaderBytes {
  /** The system property that turns reading {@code RecordHeader}'s private fields off. */
  static final String SWITCH = "mesh.consumer.headers.direct";

  private static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty(SWITCH));
  private static final @Nullable VarHandle KEY_BUFFER = field("keyBuffer", ByteBuffer.class);
  private static final @Nullable VarHandle KEY = field("key", String.class);
  private static final @Nullable VarHandle VALUE_BUFFER = field("valueBuffer", ByteBuffer.class);
  private static final @Nullable VarHandle VALUE = field("value", byte[].class);

  private final String[] names;
  private final byte[][] bytes;

  /** For each key length, the indexes of the names of that length. */
  private final int[][] byLength;

  /**
   * @param names the keys to recognise, ASCII
   */
  HeaderBytes(String... names) {
    this.names = names.clone();
    this.bytes = new byte[names.length][];
    int longest = 0;
    for (int i = 0; i < names.length; i++) {
      bytes[i] = names[i].getBytes(StandardCharsets.UTF_8);
      longest = Math.max(longest, bytes[i].length);
    }
    this.byLength = new int[longest + 1][];
    for (int length = 0; length <= longest; length++) {
      int n = length;
      byLength[length] =
          java.util.stream.IntStream.range(0, bytes.length)
              .filter(i -> bytes[i].length == n)
              .toArray();
    }
  }

  private static @Nullable VarHandle field(String name, Class<?> type) {
    if (!ENABLED) {
      return null;
    }
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
    return KEY_BUFFER != null && KEY != null && VALUE_BUFFER != null && VALUE != null;
  }

  /**
   * The header's value as a heap buffer to read with absolute indexes ({@code array()}, {@code
   * arrayOffset() + position()}, {@code remaining()}), never to modify: Kafka's own buffer when it
   * still holds one, else a buffer over {@link Header#value()}.
   *
   * @param header a header
   * @return the value, or null when the header has none
   */
  static @Nullable ByteBuffer value(Header header) {
    if (VALUE_BUFFER != null && VALUE != null && header instanceof RecordHeader own) {
      // Kafka sets value before it drops valueBuffer: read them in the other order
      byte[] copied = (byte[]) VALUE.getVolatile(own);
      if (copied == null) {
        ByteBuffer buffer = (ByteBuffer) VALUE_BUFFER.getVolatile(own);
        if (buffer != null && buffer.hasArray()) {
          return buffer;
        }
      } else {
        return ByteBuffer.wrap(copied);
      }
    }
    byte[] value = header.value();
    return value == null ? null : ByteBuffer.wrap(value);
  }

  /**
   * Decodes a value from {@link #value} as UTF-8.
   *
   * @param value the value
   * @return the string
   */
  static String string(ByteBuffer value) {
    return new String(
        value.array(), value.arrayOffset() + value.position(), value.remaining(), UTF_8);
  }

  /**
   * Whether a value from {@link #value} holds exactly the given bytes.
   *
   * @param value the value
   * @param expected the bytes
   * @return true when equal
   */
  static boolean equals(ByteBuffer value, byte[] expected) {
    int from = value.arrayOffset() + value.position();
    return value.remaining() == expected.length
        && java.util.Arrays.equals(
            value.array(), from, from + expected.length, expected, 0, expected.length);
  }

  /**
   * Which name the header's key is.
   *
   * @param header a header
   * @return the index of its key in the names given at construction, or -1 for any other key
   */
  int indexOf(Header header) {
    if (KEY_BUFFER != null && KEY != null && header instanceof RecordHeader own) {
      // decoded already (key() was called): compare the string; else compare the bytes. The
      // handles are called with their exact types (RecordHeader in, the field's type out): a
      // Header argument would send every call through a slow adapting path.
      String decoded = (String) KEY.getVolatile(own);
      if (decoded == null) {
        ByteBuffer buffer = (ByteBuffer) KEY_BUFFER.get(own);
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
    if (length >= byLength.length) {
      return -1;
    }
    // keys are short and share their prefix ("ce_"): compare from the end, byte by byte
    for (int candidate : byLength[length]) {
      byte[] expected = bytes[candidate];
      int i = length - 1;
      while (i >= 0 && array[from + i] == expected[i]) {
        i--;
      }
      if (i < 0) {
        return candidate;
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
