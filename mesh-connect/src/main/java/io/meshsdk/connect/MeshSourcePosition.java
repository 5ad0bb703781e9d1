package io.meshsdk.connect;

import io.meshsdk.connect.internal.Positions;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.jspecify.annotations.Nullable;

/**
 * A single message transform for source connectors that hands {@link MeshConverter} what only the
 * record knows: the connector, the task and the source partition and offset, as headers ({@code
 * mesh.connect.*}) the converter turns into the product event's parent and removes. Without it the
 * converter names no parent.
 *
 * <pre>{@code
 * transforms=position
 * transforms.position.type=io.meshsdk.connect.MeshSourcePosition
 * }</pre>
 *
 * <p>The connector's name and the task's number are read from the task's thread ({@code
 * task-thread-{connector}-{task}}, as Connect names them), or from {@code connector} in the
 * transform's configuration. Records of sink connectors pass unchanged.
 *
 * <p>Thread-safety: stateless after configuration; Connect gives each task its own instance.
 *
 * @param <R> the record type
 */
public final class MeshSourcePosition<R extends ConnectRecord<R>> implements Transformation<R> {
  /** The configuration key naming the connector, when the thread's name does not. */
  public static final String CONNECTOR = "connector";

  private static final ConfigDef CONFIG =
      new ConfigDef()
          .define(
              CONNECTOR,
              ConfigDef.Type.STRING,
              null,
              ConfigDef.Importance.LOW,
              "The connector's name (default: read from the task's thread)");

  private @Nullable String connector;

  /** Creates the transform; Connect configures it. */
  public MeshSourcePosition() {}

  @Override
  public void configure(Map<String, ?> configs) {
    Object c = configs.get(CONNECTOR);
    connector = c == null || c.toString().isBlank() ? null : c.toString().trim();
  }

  @Override
  public R apply(R record) {
    if (record instanceof SourceRecord s) {
      Positions.stamp(s, connector, Thread.currentThread().getName());
    }
    return record;
  }

  @Override
  public ConfigDef config() {
    return CONFIG;
  }

  @Override
  public void close() {}
}
