package io.meshsdk.it;

import io.meshsdk.Mesh;
import io.meshsdk.consumer.MeshConsumer.Ordering;
import io.meshsdk.it.ParallelConsumerIT.StepTaken;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

/**
 * A parallel consumer in a JVM of its own, for {@link ParallelConsumerIT} to kill with {@code kill
 * -9}: it appends the id of every record it handled to a file (a write per record, so what the
 * kernel has survives the kill) and runs until killed.
 *
 * <p>Arguments: bootstrap servers, registry URL, topic prefix, group, output file.
 */
public final class ParallelConsumerChild {
  private ParallelConsumerChild() {}

  public static void main(String[] args) throws Exception {
    Mesh mesh =
        Mesh.builder()
            .properties(
                Map.of(
                    "mesh.application", "par-killed-child",
                    "bootstrap.servers", args[0],
                    "schema.registry.url", args[1],
                    "mesh.topic.prefix", args[2]))
            .build();
    FileChannel out =
        FileChannel.open(
            Path.of(args[4]),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.APPEND);
    mesh.consumer(StepTaken.class)
        .group(args[3])
        .parallel(Ordering.KEY, 16)
        .handle(
            e -> {
              // an I/O call of 10 ms: 16 workers handle about 1,600 records a second, so that the
              // records done in one commit interval (100 ms) stay few beside the 256 held
              LockSupport.parkNanos(10_000_000);
              byte[] line =
                  (e.value().walker() + "/" + e.value().step() + "\n")
                      .getBytes(StandardCharsets.UTF_8);
              synchronized (out) {
                out.write(ByteBuffer.wrap(line));
              }
            })
        .start();
    new CountDownLatch(1).await(); // until killed
  }
}
