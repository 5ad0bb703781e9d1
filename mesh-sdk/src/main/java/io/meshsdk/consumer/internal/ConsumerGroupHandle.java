package io.meshsdk.consumer.internal;

import io.meshsdk.consumer.MeshConsumer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Several consumers of one group in this JVM, behind one handle. */
final class ConsumerGroupHandle<T> implements MeshConsumer<T> {
  private final List<MeshConsumer<?>> members;

  ConsumerGroupHandle(List<? extends MeshConsumer<?>> members) {
    this.members = List.copyOf(members);
  }

  @Override
  public String group() {
    return members.get(0).group();
  }

  @Override
  public String topic() {
    return members.get(0).topic();
  }

  @Override
  public String deadLetterTopic() {
    return members.get(0).deadLetterTopic();
  }

  /** Running while any member runs. */
  @Override
  public boolean isRunning() {
    return members.stream().anyMatch(MeshConsumer::isRunning);
  }

  /** The most telling of the members' states: failed, then waiting, then running, then stopped. */
  @Override
  public State state() {
    State result = State.STOPPED;
    for (MeshConsumer<?> m : members) {
      State s = m.state();
      if (s == State.FAILED) {
        return s;
      }
      if (s == State.WAITING_FOR_REGISTRY
          || s == State.WAITING_FOR_KEYS
          || (s == State.RUNNING && result == State.STOPPED)) {
        result = s;
      }
    }
    return result;
  }

  /** The first member's failure. */
  @Override
  public Optional<Throwable> failure() {
    return members.stream().map(MeshConsumer::failure).flatMap(Optional::stream).findFirst();
  }

  @Override
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (MeshConsumer<?> m : members) {
      if (!m.awaitTermination(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    // stop all loops first, then wait: closing one by one would move partitions onto the others
    for (MeshConsumer<?> m : members) {
      if (m instanceof KafkaMeshConsumer<?> k) {
        k.stopAsync();
      } else if (m instanceof ConsumerGroupHandle<?> h) {
        h.stopAsync();
      }
    }
    for (MeshConsumer<?> m : members) {
      m.close();
    }
  }

  void stopAsync() {
    for (MeshConsumer<?> m : members) {
      if (m instanceof KafkaMeshConsumer<?> k) {
        k.stopAsync();
      } else if (m instanceof ConsumerGroupHandle<?> h) {
        h.stopAsync();
      }
    }
  }

  @Override
  public String toString() {
    return "MeshConsumer[" + group() + " x" + members.size() + ", running=" + isRunning() + "]";
  }
}
