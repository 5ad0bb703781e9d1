package io.meshsdk.streams;

import io.meshsdk.lineage.EventRef;
import io.meshsdk.lineage.MeshHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.jspecify.annotations.Nullable;

/**
 * Lineage through a Kafka Streams topology: {@link #lineage()} notes which event a record came
 * from, and {@link MeshStreamsSerde} names it as the parent of the product record the topology
 * writes.
 *
 * <pre>{@code
 * builder.stream(parcelsTopic, Consumed.with(Serdes.String(), parcels))
 *     .processValues(MeshStreams.lineage())            // right after the source
 *     .mapValues(p -> new LabelPrinted(p.parcelId(), p.grams()))
 *     .to(labelsTopic, Produced.with(Serdes.String(), labels)); // a MeshStreamsSerde
 * }</pre>
 *
 * <p>Kafka Streams carries a record's headers along through stateless operations, and a join or an
 * aggregation writes the headers of the record that triggered it; so the parent a written record
 * names is the input record it came from, for a join the record on the side that triggered it, and
 * for an aggregate the last event that changed it (not every event that contributed). See {@code
 * docs/streams.md}.
 *
 * <p>Thread-safety: stateless; the processors it supplies belong to one stream task each.
 */
public final class MeshStreams {
  /**
   * The header {@link #lineage()} writes and {@link MeshStreamsSerde} turns into {@link
   * MeshHeaders#PARENTS} when it writes a product record: {@link EventRef#toString()} of the input
   * event. Internal to a topology: a product record never carries it.
   */
  static final String PARENT = "mesh.streams.parent";

  private MeshStreams() {}

  /**
   * A processor (for {@code KStream.processValues}) that notes on each record the event it was read
   * as: its {@code ce_type} and {@code ce_id} headers and its topic, partition and offset. Put it
   * right after the source, before any operation that makes new records. A record without Mesh's
   * headers (written by another client), or one processed outside a record's context (a
   * punctuation), gets no parent, and an earlier note is dropped, so a parent is never wrong.
   *
   * @param <K> the key type
   * @param <V> the value type
   * @return the supplier
   */
  public static <K, V> FixedKeyProcessorSupplier<K, V, V> lineage() {
    return Lineage::new;
  }

  /** Notes the parent of every record it passes on. */
  private static final class Lineage<K, V> implements FixedKeyProcessor<K, V, V> {
    private @Nullable FixedKeyProcessorContext<K, V> context;

    @Override
    public void init(FixedKeyProcessorContext<K, V> context) {
      this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<K, V> record) {
      FixedKeyProcessorContext<K, V> ctx = context;
      if (ctx == null) {
        throw new IllegalStateException("MeshStreams.lineage() used before init");
      }
      Headers headers = new RecordHeaders(record.headers().toArray());
      headers.remove(PARENT);
      parentOf(headers, ctx.recordMetadata())
          .ifPresent(p -> headers.add(PARENT, p.toString().getBytes(StandardCharsets.UTF_8)));
      ctx.forward(record.withHeaders(headers));
    }
  }

  /** The event a record with these headers was read as, where it has Mesh's headers. */
  static Optional<EventRef> parentOf(Headers headers, Optional<RecordMetadata> where) {
    Header id = headers.lastHeader(MeshHeaders.ID);
    Header type = headers.lastHeader(MeshHeaders.TYPE);
    if (id == null || type == null || id.value() == null || type.value() == null) {
      return Optional.empty();
    }
    if (where.isEmpty()) {
      return Optional.empty();
    }
    RecordMetadata m = where.get();
    try {
      return Optional.of(
          new EventRef(
              new String(type.value(), StandardCharsets.UTF_8),
              new String(id.value(), StandardCharsets.UTF_8),
              m.topic(),
              m.partition(),
              m.offset()));
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // a type with the reference's separators: not a Mesh event
    }
  }
}
