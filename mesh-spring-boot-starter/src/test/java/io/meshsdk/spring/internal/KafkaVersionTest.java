package io.meshsdk.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The start-up check of the kafka-clients version. */
class KafkaVersionTest {
  @Test
  void warnsWhenTheClientIsOlderThanTheOneTheSdkWasBuiltWith() {
    assertThat(KafkaVersion.warning("4.1.2", "4.4.0"))
        .hasValueSatisfying(
            w -> assertThat(w).contains("4.1.2", "4.4.0", "<kafka.version>4.4.0</kafka.version>"));
    assertThat(KafkaVersion.warning("3.9.1", "4.4.0")).isPresent();
  }

  @Test
  void staysQuietForTheSameOrANewerClientAndUnknownVersions() {
    assertThat(KafkaVersion.warning("4.4.0", "4.4.0")).isEmpty();
    assertThat(KafkaVersion.warning("4.10.0", "4.4.0")).as("numeric, not textual").isEmpty();
    assertThat(KafkaVersion.warning("5.0.0-rc1", "4.4.0")).isEmpty();
    assertThat(KafkaVersion.warning("unknown", "4.4.0")).isEmpty();
  }

  @Test
  void knowsTheBuiltAndTheRunningVersion() {
    assertThat(KafkaVersion.built()).as("filtered by Maven").matches("\\d+\\.\\d+\\.\\d+.*");
    assertThat(KafkaVersion.running()).isEqualTo(KafkaVersion.built());
  }
}
