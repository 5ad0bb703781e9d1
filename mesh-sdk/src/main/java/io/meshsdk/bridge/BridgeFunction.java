package io.meshsdk.bridge;

/**
 * Maps one legacy record onto the product.
 *
 * <p>Thread-safety: called on the bridge's own thread, one record at a time; it need not be
 * thread-safe unless it shares state with other threads.
 *
 * @param <S> what the source format reads
 * @param <O> the product type
 */
@FunctionalInterface
public interface BridgeFunction<S, O> {
  /**
   * Maps a record. Throwing dead-letters the record with reason {@code unmappable} and its original
   * bytes: a bridge skips nothing silently (a mapping that returns null all the same is treated so
   * too).
   *
   * @param record the legacy record, decoded by the source format
   * @return the product value
   * @throws Exception when the record cannot be mapped
   */
  O map(SourceRecord<S> record) throws Exception;
}
