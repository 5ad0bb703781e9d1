package io.meshsdk.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The starter's copy of the Kafka keys Mesh SDK owns stays the SDK's list. The SDK keeps it in an
 * internal class, which the starter's main code must not use; this test reads it to keep the two in
 * step.
 */
class SdkOwnedKeysTest {
  @Test
  void theStartersListOfSdkOwnedKeysIsTheSdksOwn() throws ReflectiveOperationException {
    Field owned = Class.forName("io.meshsdk.runtime.internal.KafkaKeys").getDeclaredField("OWNED");
    owned.setAccessible(true);
    @SuppressWarnings("unchecked")
    Set<String> sdk = (Set<String>) owned.get(null);

    assertThat(MeshSettings.SDK_OWNED).containsExactlyInAnyOrderElementsOf(sdk);
  }
}
