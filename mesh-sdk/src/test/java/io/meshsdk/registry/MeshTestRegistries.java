package io.meshsdk.registry;

import java.time.Duration;

/** Registry clients for tests. */
final class MeshTestRegistries {
  private MeshTestRegistries() {}

  /** A new client with empty caches, as a second application would have. */
  static SchemaRegistry fresh(ConfluentStub stub) {
    return RestSchemaRegistry.builder(stub.url())
        .retries(2, Duration.ofMillis(1), Duration.ofMillis(5))
        .build();
  }
}
