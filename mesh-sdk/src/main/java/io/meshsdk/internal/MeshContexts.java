package io.meshsdk.internal;

import io.meshsdk.Mesh;
import io.meshsdk.runtime.internal.MeshContext;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The context of each open mesh, for Mesh SDK's other modules (Kafka Streams) that build on a
 * {@link Mesh} without a public accessor: a mesh that wraps another (the testkit's) is known under
 * both. A mesh is forgotten when it closes.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class MeshContexts {
  /** By identity: a mesh's own equals and hashCode play no part (one outside Mesh SDK's may). */
  private static final Map<Mesh, MeshContext> CONTEXTS =
      Collections.synchronizedMap(new IdentityHashMap<>());

  private MeshContexts() {}

  static void opened(Mesh mesh, MeshContext context) {
    CONTEXTS.put(mesh, context);
  }

  /**
   * Makes a mesh that delegates to another known under the other's context.
   *
   * @param wrapper the wrapping mesh
   * @param wrapped the mesh it delegates to
   */
  public static void alias(Mesh wrapper, Mesh wrapped) {
    MeshContext c = CONTEXTS.get(wrapped);
    if (c != null) {
      CONTEXTS.put(wrapper, c);
    }
  }

  /**
   * Forgets a mesh (when it closes).
   *
   * @param mesh the mesh
   */
  public static void closed(Mesh mesh) {
    CONTEXTS.remove(mesh);
  }

  /**
   * The context of an open mesh built by {@code Mesh.builder()} (or wrapping one).
   *
   * @param mesh the mesh
   * @return its context; empty if it is closed or not one of Mesh SDK's
   */
  public static Optional<MeshContext> of(Mesh mesh) {
    return Optional.ofNullable(CONTEXTS.get(mesh));
  }
}
