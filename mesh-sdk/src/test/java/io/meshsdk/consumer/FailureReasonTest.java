package io.meshsdk.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshsdk.serde.RecordDecodingException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FailureReasonTest {

  @Test
  void everyDecodingReasonHasAFailureReasonWithTheCodeDeadLettersCarry() {
    for (RecordDecodingException.Reason r : RecordDecodingException.Reason.values()) {
      FailureReason reason = FailureReason.of(r);
      assertThat(reason.isDecoding()).isTrue();
      assertThat(reason.code()).isEqualTo(r.name().toLowerCase(java.util.Locale.ROOT));
    }
    assertThat(FailureReason.HANDLER.code()).isEqualTo("handler");
    assertThat(FailureReason.MIGRATION.code()).isEqualTo("migration");
    assertThat(FailureReason.HANDLER.isDecoding()).isFalse();
    assertThat(FailureReason.MIGRATION.isDecoding()).isFalse();
  }

  @Test
  void codesReadBackAndUnknownCodesAreEmpty() {
    Arrays.stream(FailureReason.values())
        .forEach(r -> assertThat(FailureReason.fromCode(r.code())).contains(r));
    assertThat(FailureReason.fromCode("unknown")).isEmpty();
    assertThat(FailureReason.fromCode("HANDLER")).isEmpty(); // codes are lower case
  }

  @Test
  void failuresAreValuesThatRequireTheirParts() {
    RuntimeException boom = new RuntimeException("boom");
    Failure a = Failure.of("t", 1, 7L, 2, FailureReason.HANDLER, boom, true);
    assertThat(a).isEqualTo(Failure.of("t", 1, 7L, 2, FailureReason.HANDLER, boom, true));
    assertThat(a).isNotEqualTo(Failure.of("t", 1, 7L, 3, FailureReason.HANDLER, boom, true));
    assertThat(a.hashCode())
        .isEqualTo(Failure.of("t", 1, 7L, 2, FailureReason.HANDLER, boom, true).hashCode());
    // the message may quote a value: toString names the exception's class only
    assertThat(a.toString()).contains("reason=handler").doesNotContain("boom");
    assertThatThrownBy(() -> Failure.of("t", 1, 7L, 2, null, boom, true))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("reason");
  }
}
