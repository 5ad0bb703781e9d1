package io.meshsdk.serde.internal;

import io.meshsdk.contract.internal.DefaultProductContract;
import io.meshsdk.crypto.internal.FieldCipher;
import java.io.IOException;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.ResolvingDecoder;
import org.jspecify.annotations.Nullable;

/**
 * The codec of records and plain classes: a tree of value codecs bound once to the class's
 * accessors and constructor. Data of another writer schema is read through Avro's {@link
 * ResolvingDecoder}, one per thread and writer schema, reconfigured for each record instead of
 * rebuilt (rebuilding its grammar per record costs about ten times the decode itself).
 */
final class CompiledCodec<T> extends AbstractCodec<T> {
  private final ValueCodecs.RecordCodec root;
  private final Class<T> type;
  private final DefaultProductContract<T> contract;
  private final FieldCipher cipher;

  /** The same tree with the contract's checks on every value it writes; built at first use. */
  private volatile ValueCodecs.@Nullable RecordCodec checkedRoot;

  CompiledCodec(DefaultProductContract<T> contract, FieldCipher cipher) {
    super(contract);
    this.contract = contract;
    this.cipher = cipher;
    this.root = new ValueCodecs(cipher, scope(contract), null).record(contract.model());
    this.type = contract.type();
  }

  private static String scope(DefaultProductContract<?> contract) {
    return contract.id() + ".v" + contract.version().major();
  }

  @Override
  protected void write(T value, Encoder out) throws IOException {
    root.write(value, out);
  }

  @Override
  protected boolean writeWhileChecking(T value, Encoder out) throws IOException {
    ValueCodecs.RecordCodec checked = checkedRoot;
    if (checked == null) {
      checked =
          new ValueCodecs(cipher, scope(contract), contract.validator()).record(contract.model());
      checkedRoot = checked;
    }
    checked.write(value, out);
    return true;
  }

  @Override
  protected T read(SafeDecoder in, ReadPlan<T> plan) throws IOException {
    Object value;
    if (plan.identical()) {
      value = root.read(in);
    } else {
      // a plan that is not identical carries its resolvers (newPlan)
      @SuppressWarnings("unchecked")
      ThreadLocal<ResolvingDecoder> resolvers =
          (ThreadLocal<ResolvingDecoder>) Objects.requireNonNull(plan.state());
      ResolvingDecoder resolver = resolvers.get();
      resolver.configure(in);
      value = root.read(resolver);
      resolver.drain();
    }
    requireConsumed(in);
    return type.cast(value);
  }

  @Override
  protected ReadPlan<T> newPlan(Schema writer, Schema reader, boolean identical) {
    if (identical) {
      return new ReadPlan<>(true, null, null);
    }
    ThreadLocal<ResolvingDecoder> resolvers =
        ThreadLocal.withInitial(
            () -> {
              try {
                return DecoderFactory.get().resolvingDecoder(writer, reader, null);
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    resolvers.get();
    return new ReadPlan<>(false, null, resolvers);
  }
}
