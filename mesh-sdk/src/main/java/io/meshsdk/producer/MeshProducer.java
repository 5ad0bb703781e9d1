package io.meshsdk.producer;

import io.meshsdk.contract.ProductContract;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;

/**
 * Produces the records of one data product. Each {@link #send(Object)} checks the contract first
 * (throwing {@link io.meshsdk.contract.ContractViolationException} and sending nothing when it is
 * broken), encodes the value in the Confluent wire format with the schema id resolved at creation,
 * takes the key from the {@code @Key} field, and stamps CloudEvents headers, the product version,
 * the parents of the current {@link io.meshsdk.lineage.LineageScope} and the W3C trace context.
 *
 * <p>Defaults: {@code acks=all}, idempotence on, {@code lz4} compression; every Kafka producer
 * setting can be overridden through the {@code Mesh}.
 *
 * <p>Like {@code KafkaProducer.send}, {@code send} can block the caller while the cluster is
 * unreachable and the producer has no metadata for the topic, for up to {@code max.block.ms}
 * (default 60 s), and then fails the future; records already handed over are retried by the
 * idempotent producer until {@code delivery.timeout.ms}.
 *
 * <p>Thread-safety: thread-safe; share one instance per product. The returned futures complete on
 * the Kafka producer's I/O thread: do not block in their dependent stages (use the {@code *Async}
 * variants).
 *
 * <p>Ownership: every producer of a mesh (and its dead letters and replays) sends through the
 * mesh's one non-transactional {@code KafkaProducer}, which closes with the mesh; creating and
 * closing producers on demand costs no threads or connections. {@link #close()} waits for this
 * producer's own records and releases its meters; a processor's transactional producer belongs to
 * the processor.
 *
 * @param <T> the product type
 */
public interface MeshProducer<T> extends AutoCloseable {

  /**
   * Sends a record.
   *
   * @param value the record
   * @return completes with where it was stored, or with a {@link SendFailedException}
   * @throws io.meshsdk.contract.ContractViolationException if the value breaks the contract
   * @throws io.meshsdk.serde.MeshSerializationException if the value cannot be encoded
   * @throws io.meshsdk.crypto.KeyManagementException if the product has encrypted fields and their
   *     data key cannot be created or loaded: {@code isRetriable()} for an outage of the KMS or the
   *     key store, not for a refusal or a shredded data subject (whose key is never created again)
   * @throws NullPointerException if {@code value} is null
   * @throws IllegalStateException if the producer is closed
   */
  CompletableFuture<SendResult> send(T value);

  /**
   * Sends a record with options (event time, headers, parents).
   *
   * @param value the record
   * @param options the options
   * @return completes with where it was stored, or with a {@link SendFailedException}
   * @throws io.meshsdk.contract.ContractViolationException if the value breaks the contract
   * @throws io.meshsdk.serde.MeshSerializationException if the value cannot be encoded
   * @throws io.meshsdk.crypto.KeyManagementException if the product has encrypted fields and their
   *     data key cannot be created or loaded: {@code isRetriable()} for an outage of the KMS or the
   *     key store, not for a refusal or a shredded data subject (whose key is never created again)
   * @throws NullPointerException if an argument is null
   * @throws IllegalStateException if the producer is closed
   */
  CompletableFuture<SendResult> send(T value, SendOptions options);

  /**
   * The product's contract.
   *
   * @return the contract
   */
  ProductContract<T> contract();

  /**
   * The topic records go to: the contract's topic after the mesh's topic prefix.
   *
   * @return the topic
   */
  String topic();

  /**
   * The registry id of the schema every record is written with.
   *
   * @return the schema id
   */
  int schemaId();

  /**
   * Deletes a key of a {@code STATE} product: sends a tombstone (the key and no value) with the
   * product's CloudEvents headers, lineage and trace context (no {@code ce_dataschema} or {@code
   * content-type}: there is no data). Compaction then drops the key's earlier values, and consumers
   * receive the tombstone as a deletion ({@code ConsumedEvent.isDeletion()}).
   *
   * @param key the key, in the text form the {@code @Key} field gives it
   * @return completes with where the tombstone was stored, or with a {@link SendFailedException}
   * @throws IllegalStateException if the product is not a {@code STATE} product, or the producer is
   *     closed
   * @throws NullPointerException if {@code key} is null
   */
  CompletableFuture<SendResult> delete(String key);

  /**
   * Deletes a key of a {@code STATE} product with options (event time, parents, headers); see
   * {@link #delete(String)}.
   *
   * @param key the key
   * @param options the options
   * @return completes with where the tombstone was stored, or with a {@link SendFailedException}
   * @throws IllegalStateException if the product is not a {@code STATE} product, or the producer is
   *     closed
   */
  CompletableFuture<SendResult> delete(String key, SendOptions options);

  /**
   * Sends everything buffered and waits for the acknowledgements. The Kafka producer is shared by
   * the mesh, so this also waits for the records other producers of the mesh handed over.
   */
  void flush();

  /**
   * The underlying Kafka producer, for rare operations the SDK does not cover. It is shared by the
   * mesh's producers: do not close it or send through it (records sent there bypass the contract).
   *
   * @return the Kafka producer
   */
  Producer<byte[], byte[]> kafkaProducer();

  /**
   * Waits, up to the mesh's close time-out, until the records this producer sent are acknowledged
   * or failed, then releases it; the mesh forgets it. Idempotent.
   */
  @Override
  void close();
}
