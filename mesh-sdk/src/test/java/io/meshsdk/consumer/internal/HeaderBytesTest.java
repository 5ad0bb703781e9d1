package io.meshsdk.consumer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandles;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

class HeaderBytesTest {
  private final HeaderBytes keys = new HeaderBytes("ce_id", "ce_type", "ce_time", "ce_meshparents");

  /** Headers as the consumer gets them: parsed by Kafka from a record batch. */
  private static List<Header> parsed(Header... written) {
    MemoryRecords records =
        MemoryRecords.withRecords(
            Compression.lz4().build(),
            new SimpleRecord(1L, "k".getBytes(StandardCharsets.UTF_8), new byte[] {1}, written));
    List<Header> headers = new ArrayList<>();
    for (Record r : records.records()) {
      headers.addAll(List.of(r.headers()));
    }
    return headers;
  }

  private static Header h(String key, String value) {
    return new RecordHeader(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }

  private static Object decodedKey(Header header) throws ReflectiveOperationException {
    return MethodHandles.privateLookupIn(RecordHeader.class, MethodHandles.lookup())
        .findVarHandle(RecordHeader.class, "key", String.class)
        .get(header);
  }

  private static Object copiedValue(Header header) throws ReflectiveOperationException {
    return MethodHandles.privateLookupIn(RecordHeader.class, MethodHandles.lookup())
        .findVarHandle(RecordHeader.class, "value", byte[].class)
        .get(header);
  }

  @Test
  void readsParsedValuesInPlaceWithoutCopyingThem() throws Exception {
    List<Header> headers =
        parsed(h("ce_id", "0190f1f2-aaaa"), h("ce_type", null), h("ce_meshversion", "1.2"));
    ByteBuffer id = HeaderBytes.value(headers.get(0));
    assertThat(HeaderBytes.string(id)).isEqualTo("0190f1f2-aaaa");
    assertThat(HeaderBytes.equals(id, "0190f1f2-aaaa".getBytes(StandardCharsets.UTF_8))).isTrue();
    assertThat(HeaderBytes.equals(id, "0190f1f2-aaab".getBytes(StandardCharsets.UTF_8))).isFalse();
    assertThat(HeaderBytes.equals(id, "0190f1f2".getBytes(StandardCharsets.UTF_8))).isFalse();
    assertThat(copiedValue(headers.get(0))).isNull(); // read in place
    assertThat(HeaderBytes.value(headers.get(1))).isNull();
    // reading in place leaves the buffer as it was: the header's own value() still works
    assertThat(headers.get(0).value()).isEqualTo("0190f1f2-aaaa".getBytes(StandardCharsets.UTF_8));
    // once copied, the copy is read
    assertThat(HeaderBytes.string(HeaderBytes.value(headers.get(0)))).isEqualTo("0190f1f2-aaaa");
    assertThat(HeaderBytes.string(HeaderBytes.value(headers.get(2)))).isEqualTo("1.2");
    assertThat(HeaderBytes.string(HeaderBytes.value(h("ce_id", "built")))).isEqualTo("built");
  }

  @Test
  void theFastPathIsAvailableWithTheKafkaClientsWeBuildAgainst() {
    // if this fails, kafka-clients changed RecordHeader: the consumer still works, only slower
    assertThat(HeaderBytes.direct()).isTrue();
  }

  /** Run in a JVM of its own by {@link #theSwitchTurnsTheFastPathOffWithTheSameResults}. */
  public static void main(String[] args) {
    System.out.println(HeaderBytes.direct() + " " + answers());
  }

  private static String answers() {
    List<Header> headers = parsed(h("ce_type", "t"), h("ce_id", "0190"), h("other", "x"));
    HeaderBytes names = new HeaderBytes("ce_id", "ce_type");
    return ""
        + names.indexOf(headers.get(0))
        + names.indexOf(headers.get(1))
        + names.indexOf(headers.get(2))
        + " "
        + HeaderBytes.string(HeaderBytes.value(headers.get(1)));
  }

  @Test
  void theSwitchTurnsTheFastPathOffWithTheSameResults() throws Exception {
    Process jvm =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + HeaderBytes.SWITCH + "=false",
                "-cp",
                System.getProperty("java.class.path"),
                HeaderBytesTest.class.getName())
            .redirectErrorStream(true)
            .start();
    String out = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(jvm.waitFor(60, TimeUnit.SECONDS)).isTrue();
    // the same answers through Header.key() and value() as with the fast path in this JVM
    assertThat(out).isEqualTo("false 10-1 0190");
    assertThat(HeaderBytes.direct() + " " + answers()).isEqualTo("true 10-1 0190");
  }

  @Test
  void recognisesKeysOfParsedHeadersWithoutDecodingThem() throws Exception {
    List<Header> headers =
        parsed(
            h("ce_specversion", "1.0"),
            h("ce_id", "x"),
            h("ce_type", "t"),
            h("ce_time", null),
            h("ce_ti", "shorter"),
            h("ce_timf", "same length, other byte"),
            h("ce_meshparents", "p"));
    int[] found = headers.stream().mapToInt(keys::indexOf).toArray();
    assertThat(found).containsExactly(-1, 0, 1, 2, -1, -1, 3);
    // matched from the bytes: no key was decoded into a string
    for (Header header : headers) {
      assertThat(decodedKey(header)).isNull();
    }
    assertThat(headers.get(1).key()).isEqualTo("ce_id");
    assertThat(decodedKey(headers.get(1))).isEqualTo("ce_id");
    assertThat(headers.get(3).value()).isNull();
  }

  @Test
  void givesTheSameAnswerOnceAKeyWasDecodedAndForHeadersBuiltFromStrings() {
    List<Header> headers = parsed(h("ce_type", "t"), h("other", "o"));
    headers.forEach(Header::key); // decoded: Kafka drops the key bytes
    assertThat(headers.stream().mapToInt(keys::indexOf).toArray()).containsExactly(1, -1);
    assertThat(keys.indexOf(h("ce_meshparents", "p"))).isEqualTo(3);
    assertThat(keys.indexOf(h("ce_idx", "p"))).isEqualTo(-1);
  }

  @Test
  void readsKeysOfOtherHeaderImplementationsAndOfDirectBuffersThroughKey() {
    Header custom =
        new Header() {
          @Override
          public String key() {
            return "ce_time";
          }

          @Override
          public byte[] value() {
            return new byte[0];
          }
        };
    assertThat(keys.indexOf(custom)).isEqualTo(2);
    ByteBuffer direct = ByteBuffer.allocateDirect(5);
    direct.put("ce_id".getBytes(StandardCharsets.UTF_8)).flip();
    assertThat(keys.indexOf(new RecordHeader(direct, null))).isEqualTo(0);
  }

  @Test
  void comparesOnlyTheKeysOwnBytesOfASharedBuffer() {
    // Kafka's parsed keys are slices of the batch: the bytes around them must not matter
    byte[] batch = "xxce_idyy".getBytes(StandardCharsets.UTF_8);
    ByteBuffer slice = ByteBuffer.wrap(batch, 2, 5).slice();
    assertThat(keys.indexOf(new RecordHeader(slice, null))).isEqualTo(0);
    ByteBuffer longer = ByteBuffer.wrap(batch, 2, 6).slice();
    assertThat(keys.indexOf(new RecordHeader(longer, null))).isEqualTo(-1);
  }
}
