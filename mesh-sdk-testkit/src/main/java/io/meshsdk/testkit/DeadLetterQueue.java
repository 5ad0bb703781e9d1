package io.meshsdk.testkit;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The dead letters of a consumer group, read when asked: {@code
 * assertThat(mesh.deadLetters("group"))} waits until the assertion holds or the mesh's timeout
 * passes.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class DeadLetterQueue extends Live<DeadLetter> {
  DeadLetterQueue(String description, Supplier<List<DeadLetter>> source, Duration timeout) {
    super(description, source, timeout);
  }
}
