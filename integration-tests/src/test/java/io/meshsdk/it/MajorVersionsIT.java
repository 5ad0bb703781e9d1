package io.meshsdk.it;

import io.meshsdk.testkit.BrokerMode;
import io.meshsdk.testkit.MeshExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The major-version scenarios on the embedded KRaft broker. */
class MajorVersionsIT extends MajorVersionScenarios {
  @RegisterExtension
  static final MeshExtension MESH = extension().mode(BrokerMode.EMBEDDED).build();
}
