package io.meshsdk.lineage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class HeaderEncodingTest {

  @Property(tries = 2000)
  void formatsLikeInstantAndParsesBack(
      @ForAll @LongRange(min = -62_135_596_800_000L, max = 253_402_300_799_999L) long millis) {
    Instant t = Instant.ofEpochMilli(millis);
    byte[] formatted = Rfc3339.format(t);
    String text = new String(formatted, StandardCharsets.US_ASCII);

    assertThat(Instant.parse(text)).isEqualTo(t);
    assertThat(Rfc3339.parse(formatted)).isEqualTo(t);
    // inside a larger buffer, as consumers read it from Kafka's record bytes
    byte[] framed = ("xx" + text + "yy").getBytes(StandardCharsets.US_ASCII);
    assertThat(Rfc3339.parse(framed, 2, formatted.length)).isEqualTo(t);
  }

  @Test
  void truncatesToMillisecondsAndParsesOtherForms() {
    assertThat(
            new String(
                Rfc3339.format(Instant.parse("2026-11-25T10:15:30.123456Z")),
                StandardCharsets.US_ASCII))
        .isEqualTo("2026-11-25T10:15:30.123Z");
    assertThat(Rfc3339.parse("2026-11-25T10:15:30Z".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo(Instant.parse("2026-11-25T10:15:30Z"));
    assertThat(Rfc3339.parse("2026-11-25T10:15:30.123456789Z".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo(Instant.parse("2026-11-25T10:15:30.123456789Z"));
    assertThatThrownBy(
            () -> Rfc3339.parse("2026-02-30T10:15:30.123Z".getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(DateTimeParseException.class);
    assertThatThrownBy(() -> Rfc3339.parse("yesterday".getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(DateTimeParseException.class);
    byte[] around = "[2026-11-25T10:15:30Z]".getBytes(StandardCharsets.US_ASCII);
    assertThat(Rfc3339.parse(around, 1, around.length - 2))
        .isEqualTo(Instant.parse("2026-11-25T10:15:30Z"));
  }

  @Test
  void idBytesAreTheUuidTextForm() {
    for (int i = 0; i < 1000; i++) {
      String text = new String(EventIds.nextBytes(), StandardCharsets.US_ASCII);
      UUID parsed = UUID.fromString(text);
      assertThat(parsed.toString()).isEqualTo(text);
      assertThat(parsed.version()).isEqualTo(7);
    }
  }
}
