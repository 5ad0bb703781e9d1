package io.meshsdk.serde.internal;

import io.meshsdk.contract.internal.DefaultProductContract;
import java.io.IOException;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.io.Encoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * The codec of Avro-generated classes: Avro's own specific writer and reader (the reference for
 * speed), fed by the SDK's byte-array encoder and bounds-checked decoder. The classes involved are
 * added to Avro's trusted set when the codec is created.
 */
final class SpecificRecordCodec<T> extends AbstractCodec<T> {
  private final SpecificDatumWriter<T> writer;
  private final SpecificData data;
  private final Class<T> type;

  SpecificRecordCodec(DefaultProductContract<T> contract) {
    super(contract);
    this.type = contract.type();
    this.data = SpecificData.getForClass(type);
    TrustedClasses.trustGenerated(type, contract.schema());
    this.writer = new SpecificDatumWriter<>(contract.schema(), data);
  }

  @Override
  protected void write(T value, Encoder out) throws IOException {
    writer.write(value, out);
  }

  @Override
  protected T read(SafeDecoder in, ReadPlan<T> plan) throws IOException {
    // every plan of this codec carries its reader (newPlan)
    @SuppressWarnings("unchecked")
    SpecificDatumReader<T> reader = (SpecificDatumReader<T>) Objects.requireNonNull(plan.state());
    T value = reader.read(null, in);
    requireConsumed(in);
    return type.cast(value);
  }

  @Override
  protected ReadPlan<T> newPlan(Schema writerSchema, Schema readerSchema, boolean identical) {
    SpecificDatumReader<T> reader = new SpecificDatumReader<>(writerSchema, readerSchema, data);
    return new ReadPlan<>(identical, null, reader);
  }
}
