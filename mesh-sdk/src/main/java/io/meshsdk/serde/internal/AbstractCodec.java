package io.meshsdk.serde.internal;

import io.meshsdk.contract.ProductContract;
import io.meshsdk.crypto.KeyManagementException;
import io.meshsdk.schema.internal.EncryptedFields;
import io.meshsdk.serde.DecodeLimits;
import io.meshsdk.serde.MeshSerializationException;
import io.meshsdk.serde.ProductCodec;
import io.meshsdk.serde.RecordDecodingException;
import io.meshsdk.serde.RecordDecodingException.Reason;
import io.meshsdk.serde.WireFormat;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.Encoder;
import org.jspecify.annotations.Nullable;

/**
 * What every codec shares: per-thread reusable encoder and decoder, framing, and read plans cached
 * per writer schema (compatibility checked once, then reused for every record), each with the
 * {@link DataBounds} that keep hostile data of that writer within the codec's {@link DecodeLimits}.
 * Whatever goes wrong while planning or decoding, {@code Error}s included, ends as a {@link
 * RecordDecodingException}: a reader never sees anything else from a record.
 */
public abstract class AbstractCodec<T> implements ProductCodec<T> {
  private final ProductContract<T> contract;
  private final Schema schema;
  private final long fingerprint;
  private final ThreadLocal<BufferEncoder> encoders =
      ThreadLocal.withInitial(() -> new BufferEncoder(256));
  private final ThreadLocal<SafeDecoder> decoders = ThreadLocal.withInitial(SafeDecoder::new);
  private final ConcurrentHashMap<Schema, ReadPlan<T>> plansBySchema = new ConcurrentHashMap<>();
  private volatile @Nullable ReadPlan<T> ownPlan;
  private volatile DecodeLimits limits = DecodeLimits.defaults();

  protected AbstractCodec(ProductContract<T> contract) {
    this.contract = contract;
    this.schema = contract.schema();
    this.fingerprint = SchemaNormalization.parsingFingerprint64(schema);
  }

  /**
   * Sets the limits of reading one record; call before the first decode (plans built earlier keep
   * the limits they were built with).
   */
  public AbstractCodec<T> limits(DecodeLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
    return this;
  }

  /** The limits of reading one record. */
  public DecodeLimits limits() {
    return limits;
  }

  /** Writes the value's Avro body. */
  protected abstract void write(T value, Encoder out) throws IOException;

  /** Reads one value, resolving through the plan when it is not the codec's own schema. */
  protected abstract T read(SafeDecoder in, ReadPlan<T> plan) throws IOException;

  /**
   * Creates the codec-specific plan for a writer schema already known to be compatible; {@code
   * reader} is the codec's schema with the writer's type names as aliases.
   */
  protected abstract ReadPlan<T> newPlan(Schema writer, Schema reader, boolean identical);

  @Override
  public ProductContract<T> contract() {
    return contract;
  }

  @Override
  public Schema schema() {
    return schema;
  }

  @Override
  public byte[] encode(T value) {
    Objects.requireNonNull(value, "value");
    BufferEncoder out = encoders.get().reset();
    writeChecked(value, out);
    return out.toByteArray();
  }

  /** Encodes with the Confluent header in one array. */
  public byte[] encodeFramed(int schemaId, T value) {
    BufferEncoder out = encoders.get().reset();
    int at = out.skip(WireFormat.HEADER_SIZE);
    WireFormat.writeHeader(schemaId, out.buffer(), at);
    writeChecked(value, out);
    return out.toByteArray();
  }

  /**
   * Checks a value against the contract and encodes it with the Confluent header in one array. A
   * codec that can checks while it encodes, reading each property once; when a value fails a check
   * or cannot be written, the contract's validator finds every violation.
   *
   * @throws io.meshsdk.contract.ContractViolationException if the value breaks the contract
   * @throws MeshSerializationException if it complies but cannot be encoded
   */
  public byte[] encodeFramedChecked(int schemaId, T value) {
    Objects.requireNonNull(value, "value");
    BufferEncoder out = encoders.get().reset();
    int at = out.skip(WireFormat.HEADER_SIZE);
    WireFormat.writeHeader(schemaId, out.buffer(), at);
    RuntimeException failure = null;
    try {
      if (writeWhileChecking(value, out)) {
        return out.toByteArray();
      }
    } catch (CheckFailed e) {
      failure = e;
    } catch (IOException | RuntimeException e) {
      failure = encodingFailure(e);
    }
    contract.check(value); // the violations, with their paths
    if (failure == null || failure instanceof CheckFailed) {
      // a codec that does not check while writing; or a time constraint (Past, Future) that
      // passed by the time the validator looked
      return encodeFramed(schemaId, value);
    }
    throw failure;
  }

  /**
   * Writes the value's Avro body, checking every value against the contract as it is written and
   * throwing {@link CheckFailed} at the first that breaks it; or returns false without writing when
   * the codec cannot check while writing (then the value is checked first, and written).
   */
  protected boolean writeWhileChecking(T value, Encoder out) throws IOException {
    return false;
  }

  @Override
  public void encode(T value, Encoder out) {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(out, "out");
    writeChecked(value, out);
  }

  private void writeChecked(T value, Encoder out) {
    try {
      write(value, out);
    } catch (IOException | RuntimeException e) {
      throw encodingFailure(e);
    }
  }

  /** What a failure of the encoder is reported as. */
  private RuntimeException encodingFailure(Exception e) {
    if (e instanceof IOException) {
      return new MeshSerializationException(contract.id() + ": encoder failed", e);
    } else if (e instanceof ClassCastException
        || e instanceof AvroRuntimeException
        || e instanceof NullPointerException) {
      return new MeshSerializationException(
          contract.id() + ": cannot encode value: " + e.getMessage(), e);
    }
    return (RuntimeException) e;
  }

  @Override
  public T decode(byte[] body) {
    Objects.requireNonNull(body, "body");
    return decode(body, 0, body.length, ownPlan());
  }

  @Override
  public T decode(byte[] body, Schema writerSchema) {
    Objects.requireNonNull(body, "body");
    return decode(body, 0, body.length, plan(writerSchema));
  }

  /** The plan for data written with the codec's own schema. */
  public ReadPlan<T> ownPlan() {
    ReadPlan<T> plan = ownPlan;
    if (plan == null) {
      plan = newPlan(schema, schema, true).bounded(DataBounds.of(schema, limits));
      ownPlan = plan;
    }
    return plan;
  }

  /** The plan for a writer schema: built and checked once, then cached. */
  public ReadPlan<T> plan(Schema writer) {
    Objects.requireNonNull(writer, "writer");
    ReadPlan<T> plan = plansBySchema.get(writer);
    if (plan == null) {
      plan = plansBySchema.computeIfAbsent(writer, this::buildPlan);
    }
    return plan;
  }

  /**
   * Builds a writer's plan. A writer schema is not the SDK's and may be hostile: anything thrown
   * while checking or preparing it (a stack overflow on a schema nested thousands of levels deep
   * included) becomes a plan that fails every record of that writer with the reason.
   */
  private ReadPlan<T> buildPlan(Schema writer) {
    try {
      return checkedPlan(writer);
    } catch (RecordDecodingException e) {
      return ReadPlan.incompatible(e);
    } catch (RuntimeException | StackOverflowError e) {
      return ReadPlan.incompatible(
          new RecordDecodingException(
              Reason.INCOMPATIBLE_WRITER_SCHEMA,
              contract.id()
                  + ": writer schema "
                  + safeName(writer)
                  + " cannot be prepared for reading: "
                  + e.getClass().getName(),
              e));
    }
  }

  private static String safeName(Schema writer) {
    try {
      return writer.getFullName();
    } catch (RuntimeException e) {
      return writer.getType().getName();
    }
  }

  private ReadPlan<T> checkedPlan(Schema writer) {
    // Avro's fingerprint leaves out field properties: an encrypted field may have changed behind
    // an unchanged fingerprint (its clear type, or encryption on bytes), so that is checked too
    if (SchemaNormalization.parsingFingerprint64(writer) == fingerprint
        && EncryptedFields.evolution(schema, writer).isEmpty()) {
      return ownPlan();
    }
    Schema reader = ReaderAliases.aliased(schema, writer);
    var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult();
    StringBuilder issues = new StringBuilder();
    for (SchemaCompatibility.Incompatibility i : result.getIncompatibilities()) {
      issues
          .append("\n  - ")
          .append(i.getType())
          .append(" at ")
          .append(i.getLocation())
          .append(": ")
          .append(i.getMessage());
    }
    for (EncryptedFields.Change c : EncryptedFields.evolution(reader, writer)) {
      issues
          .append("\n  - ")
          .append(EncryptedFields.KIND)
          .append(" at ")
          .append(c.location())
          .append(": ")
          .append(c.detail());
    }
    if (issues.length() > 0) {
      return ReadPlan.incompatible(
          new RecordDecodingException(
              Reason.INCOMPATIBLE_WRITER_SCHEMA,
              contract.id()
                  + ": writer schema "
                  + writer.getFullName()
                  + " cannot be read as "
                  + contract.type().getName()
                  + ":"
                  + issues));
    }
    return newPlan(writer, reader, false).bounded(DataBounds.of(writer, limits));
  }

  /** Decodes a body (or the body part of a framed record) with a plan. */
  public T decode(byte[] data, int offset, int length, ReadPlan<T> plan) {
    if (plan.failure() != null) {
      throw plan.failure();
    }
    SafeDecoder in = decoders.get().reset(data, offset, length);
    T value;
    try {
      DataBounds bounds = plan.bounds();
      if (bounds != null && bounds.needed(length)) {
        bounds.check(data, offset, length);
        in.trustCounts();
      }
      value = read(in, plan);
    } catch (RecordDecodingException e) {
      throw e;
    } catch (KeyManagementException e) {
      if (e.isRetriable()) {
        throw e; // the KMS or the key store is down: the record is fine, its reader waits
      }
      throw new RecordDecodingException(
          Reason.KEY_UNAVAILABLE, contract.id() + ": " + e.getMessage(), e);
    } catch (AvroTypeException e) {
      throw new RecordDecodingException(
          Reason.INCOMPATIBLE_WRITER_SCHEMA, contract.id() + ": " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      // the class only: a message from inside decoding may quote a decoded value
      throw new RecordDecodingException(
          Reason.INVALID_VALUE, contract.id() + ": cannot decode: " + e.getClass().getName(), e);
    } catch (Error e) {
      // bounded data should never get here; if it does, the record must not stop its reader
      throw new RecordDecodingException(
          Reason.DECODER_FAILURE, contract.id() + ": the decoder failed: " + e.getClass(), e);
    } finally {
      in.reset(EMPTY, 0, 0);
    }
    return value;
  }

  private static final byte[] EMPTY = new byte[0];

  /** Checks that nothing is left after a value. */
  protected static void requireConsumed(Decoder in) {
    int left = ((SafeDecoder) in).remaining();
    if (left != 0) {
      throw new RecordDecodingException(
          Reason.TRAILING_BYTES, left + " bytes left after the record");
    }
  }
}
