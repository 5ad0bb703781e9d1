package io.meshsdk.serde.internal;

import io.meshsdk.contract.internal.CompiledValidator;
import io.meshsdk.contract.internal.PropertyModel;
import io.meshsdk.contract.internal.RecordModel;
import io.meshsdk.contract.internal.TypeNode;
import io.meshsdk.contract.internal.TypeNode.ArrayNode;
import io.meshsdk.contract.internal.TypeNode.EnumNode;
import io.meshsdk.contract.internal.TypeNode.MapNode;
import io.meshsdk.contract.internal.TypeNode.NullableNode;
import io.meshsdk.contract.internal.TypeNode.RecordNode;
import io.meshsdk.contract.internal.TypeNode.ScalarNode;
import io.meshsdk.crypto.internal.FieldCipher;
import io.meshsdk.crypto.internal.Withheld;
import io.meshsdk.schema.internal.EncryptedFields;
import io.meshsdk.serde.MeshSerializationException;
import io.meshsdk.serde.RecordDecodingException;
import io.meshsdk.serde.RecordDecodingException.Reason;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoublePredicate;
import java.util.function.LongPredicate;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;
import org.apache.avro.Schema;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.ResolvingDecoder;
import org.jspecify.annotations.Nullable;

/** Builds the value codecs of a model, once per product class. */
final class ValueCodecs {
  private final Map<RecordModel, RecordCodec> records = new HashMap<>();
  private final FieldCipher cipher;
  private final String product;
  private final @Nullable CompiledValidator checks;

  /**
   * Codecs of one product.
   *
   * @param cipher encrypts and decrypts its encrypted fields
   * @param product the product and major, the scope of its data keys
   * @param checks the contract's checks, for codecs that check every value as they write it
   *     (throwing {@link CheckFailed} at the first that fails), or null for codecs that do not
   */
  ValueCodecs(FieldCipher cipher, String product, @Nullable CompiledValidator checks) {
    this.cipher = cipher;
    this.product = product;
    this.checks = checks;
  }

  RecordCodec record(RecordModel model) {
    RecordCodec existing = records.get(model);
    if (existing != null) {
      return existing;
    }
    RecordCodec codec = new RecordCodec(model);
    records.put(model, codec);
    List<PropertyModel> properties = model.properties();
    FieldCodec[] fields = new FieldCodec[properties.size()];
    for (int i = 0; i < fields.length; i++) {
      fields[i] = field(model, properties.get(i));
    }
    codec.fields = fields;
    List<Integer> encrypted = new ArrayList<>();
    for (int i = 0; i < fields.length; i++) {
      if (fields[i] instanceof EncryptedField) {
        encrypted.add(i);
      }
      if (properties.get(i).subject()) {
        codec.subjectIndex = i;
      }
    }
    codec.encrypted = encrypted.stream().mapToInt(Integer::intValue).toArray();
    return codec;
  }

  private FieldCodec field(RecordModel owner, PropertyModel p) {
    FieldCodec clear = clearField(owner, p);
    if (!p.encrypted()) {
      return clear;
    }
    PropertyModel subject = null;
    for (PropertyModel q : owner.properties()) {
      if (q.subject()) {
        subject = q;
      }
    }
    return new EncryptedField(
        clear,
        subject == null ? null : subject.accessor()::get,
        cipher,
        product,
        p.name(),
        owner.type().getSimpleName() + "." + p.name());
  }

  private FieldCodec clearField(RecordModel owner, PropertyModel p) {
    String where = owner.type().getSimpleName() + "." + p.name();
    if (p.type() instanceof ScalarNode s && s.primitive()) {
      LongPredicate longTest = checks == null ? null : checks.longTest(p);
      DoublePredicate doubleTest = checks == null ? null : checks.doubleTest(p);
      switch (s.kind()) {
        case LONG:
          return new LongField(p.accessor().longReader(), longTest);
        case INT:
          return new IntField(
              p.accessor().intReader(), Integer.MIN_VALUE, Integer.MAX_VALUE, where, longTest);
        case SHORT:
          return new IntField(
              p.accessor().intReader(), Short.MIN_VALUE, Short.MAX_VALUE, where, longTest);
        case BYTE:
          return new IntField(
              p.accessor().intReader(), Byte.MIN_VALUE, Byte.MAX_VALUE, where, longTest);
        case DOUBLE:
          return new DoubleField(p.accessor().doubleReader(), doubleTest);
        case FLOAT:
          return new FloatField(p.accessor().doubleReader(), doubleTest);
        case BOOLEAN:
          return new BooleanField(p.accessor().booleanReader());
        default:
          break;
      }
    }
    int unionNullIndex = 0;
    if (p.type() instanceof NullableNode) {
      Schema.Field f = owner.schema().getField(p.name());
      Schema fieldSchema =
          p.encrypted()
              ? new Schema.Parser().parse(f.getProp(EncryptedFields.PROP_CLEAR_SCHEMA))
              : f.schema();
      unionNullIndex = fieldSchema.getTypes().get(0).getType() == Schema.Type.NULL ? 0 : 1;
    }
    return new ObjectField(
        p.accessor()::get,
        value(p.type(), unionNullIndex, where),
        where,
        checks == null ? null : checks.valueTest(p));
  }

  ValueCodec value(TypeNode node, int nullIndex, String where) {
    if (node instanceof NullableNode n) {
      return new NullableCodec(value(n.inner(), 0, where), n.optional(), nullIndex);
    } else if (node instanceof RecordNode r) {
      return record(r.model());
    } else if (node instanceof ArrayNode a) {
      return new ArrayCodec(value(a.element(), 0, where), a.set(), where);
    } else if (node instanceof MapNode m) {
      return new MapCodec(value(m.value(), 0, where), where);
    } else if (node instanceof EnumNode e) {
      return new EnumCodec(e.constants(), where);
    }
    return ScalarCodecs.of((ScalarNode) node, where);
  }

  static RecordDecodingException invalid(String where, String what, @Nullable Throwable cause) {
    return new RecordDecodingException(Reason.INVALID_VALUE, where + ": " + what, cause);
  }

  // ---- records --------------------------------------------------------------------------

  /** Writes and reads one record type through its bound accessors and constructor. */
  static final class RecordCodec implements ValueCodec {
    private final RecordModel model;
    FieldCodec[] fields = new FieldCodec[0];

    /** The positions of encrypted fields, opened once the whole record (its subject) is read. */
    int[] encrypted = new int[0];

    /** The position of the {@code @DataSubject} field, or -1. */
    int subjectIndex = -1;

    RecordCodec(RecordModel model) {
      this.model = model;
    }

    @Override
    public void write(Object value, Encoder out) throws IOException {
      for (FieldCodec f : fields) {
        f.write(value, out);
      }
    }

    @Override
    public Object read(Decoder in) throws IOException {
      Object[] values = new Object[fields.length];
      Schema.Field[] order = in instanceof ResolvingDecoder rd ? rd.readFieldOrderIfDiff() : null;
      if (order == null) {
        for (int i = 0; i < fields.length; i++) {
          values[i] = fields[i].read(in);
        }
      } else {
        for (Schema.Field f : order) {
          values[f.pos()] = fields[f.pos()].read(in);
        }
      }
      if (encrypted.length > 0) {
        // a value is bound to its record's subject: opened only now that the subject is known
        Object who = subjectIndex < 0 ? null : values[subjectIndex];
        String subject = who == null ? null : who.toString();
        for (int i : encrypted) {
          if (values[i] instanceof Sealed sealed) {
            values[i] = ((EncryptedField) fields[i]).open(sealed.envelope(), subject);
          }
        }
      }
      return model.instantiator().create(values);
    }
  }

  abstract static class FieldCodec {
    abstract void write(Object bean, Encoder out) throws IOException;

    abstract @Nullable Object read(Decoder in) throws IOException;
  }

  /**
   * A field whose value travels encrypted: the clear field's encoding, encrypted into bytes. A mesh
   * that may not read it gets null.
   */
  private static final class EncryptedField extends FieldCodec {
    private final FieldCodec clear;
    private final java.util.function.@Nullable Function<Object, @Nullable Object> subject;
    private final FieldCipher.Field cipher;
    private final String field;
    private final String where;

    EncryptedField(
        FieldCodec clear,
        java.util.function.@Nullable Function<Object, @Nullable Object> subject,
        FieldCipher cipher,
        String product,
        String field,
        String where) {
      this.clear = clear;
      this.subject = subject;
      this.cipher = cipher.field(product, field);
      this.field = field;
      this.where = where;
    }

    /** One decoder per thread for clear values (encrypted fields are never nested). */
    private static final ThreadLocal<org.apache.avro.io.@Nullable BinaryDecoder> CLEAR =
        new ThreadLocal<>();

    /** One buffer per thread for the clear encoding (encrypted fields are never nested). */
    private static final ThreadLocal<BufferEncoder> PLAIN =
        ThreadLocal.withInitial(() -> new BufferEncoder(64));

    @Override
    void write(Object bean, Encoder out) throws IOException {
      BufferEncoder plain = PLAIN.get().reset();
      clear.write(bean, plain);
      Object who = subject == null ? null : subject.apply(bean);
      out.writeBytes(cipher.encrypt(who == null ? null : who.toString(), plain.toByteArray()));
    }

    @Override
    @Nullable Object read(Decoder in) throws IOException {
      byte[] envelope;
      if (in instanceof SafeDecoder d) {
        envelope = d.readByteArray();
      } else {
        java.nio.ByteBuffer b = in.readBytes(null);
        envelope = new byte[b.remaining()];
        b.get(envelope);
      }
      if (envelope.length == 0) {
        return null; // written before the field existed
      }
      return new Sealed(envelope);
    }

    /** Decrypts and decodes a value read from this field, for the record's subject (or null). */
    @Nullable Object open(byte[] envelope, @Nullable String subject) throws IOException {
      byte[] plain;
      try {
        plain = cipher.decrypt(subject, envelope);
      } catch (IllegalArgumentException e) {
        throw invalid(where, "the encrypted value " + e.getMessage(), null);
      }
      if (plain == null) {
        Withheld.add(field);
        return null;
      }
      org.apache.avro.io.BinaryDecoder d = DecoderFactory.get().binaryDecoder(plain, CLEAR.get());
      CLEAR.set(d);
      Object value = clear.read(d);
      if (!d.isEnd()) {
        throw invalid(where, "the encrypted value has bytes after its clear value", null);
      }
      return value;
    }
  }

  /** An encrypted field's bytes, read but not yet opened. */
  private record Sealed(byte[] envelope) {}

  private static final class LongField extends FieldCodec {
    private final ToLongFunction<Object> get;
    private final @Nullable LongPredicate test;

    LongField(ToLongFunction<Object> get, @Nullable LongPredicate test) {
      this.get = get;
      this.test = test;
    }

    @Override
    void write(Object bean, Encoder out) throws IOException {
      long v = get.applyAsLong(bean);
      if (test != null && !test.test(v)) {
        throw CheckFailed.INSTANCE;
      }
      out.writeLong(v);
    }

    @Override
    Object read(Decoder in) throws IOException {
      return in.readLong();
    }
  }

  private static final class IntField extends FieldCodec {
    private final ToIntFunction<Object> get;
    private final int min;
    private final int max;
    private final String where;
    private final @Nullable LongPredicate test;

    IntField(
        ToIntFunction<Object> get, int min, int max, String where, @Nullable LongPredicate test) {
      this.get = get;
      this.min = min;
      this.max = max;
      this.where = where;
      this.test = test;
    }

    @Override
    void write(Object bean, Encoder out) throws IOException {
      int v = get.applyAsInt(bean);
      if (test != null && !test.test(v)) {
        throw CheckFailed.INSTANCE;
      }
      out.writeInt(v);
    }

    @Override
    Object read(Decoder in) throws IOException {
      int v = in.readInt();
      if (v < min || v > max) {
        throw invalid(where, "value out of range", null);
      }
      if (max == Short.MAX_VALUE) {
        return (short) v;
      } else if (max == Byte.MAX_VALUE) {
        return (byte) v;
      }
      return v;
    }
  }

  private static final class DoubleField extends FieldCodec {
    private final ToDoubleFunction<Object> get;
    private final @Nullable DoublePredicate test;

    DoubleField(ToDoubleFunction<Object> get, @Nullable DoublePredicate test) {
      this.get = get;
      this.test = test;
    }

    @Override
    void write(Object bean, Encoder out) throws IOException {
      double v = get.applyAsDouble(bean);
      if (test != null && !test.test(v)) {
        throw CheckFailed.INSTANCE;
      }
      out.writeDouble(v);
    }

    @Override
    Object read(Decoder in) throws IOException {
      return in.readDouble();
    }
  }

  private static final class FloatField extends FieldCodec {
    private final ToDoubleFunction<Object> get;
    private final @Nullable DoublePredicate test;

    FloatField(ToDoubleFunction<Object> get, @Nullable DoublePredicate test) {
      this.get = get;
      this.test = test;
    }

    @Override
    void write(Object bean, Encoder out) throws IOException {
      double v = get.applyAsDouble(bean);
      if (test != null && !test.test(v)) {
        throw CheckFailed.INSTANCE;
      }
      out.writeFloat((float) v);
    }

    @Override
    Object read(Decoder in) throws IOException {
      return in.readFloat();
    }
  }

  private static final class BooleanField extends FieldCodec {
    private final Predicate<Object> get;

    BooleanField(Predicate<Object> get) {
      this.get = get;
    }

    @Override
    void write(Object bean, Encoder out) throws IOException {
      out.writeBoolean(get.test(bean));
    }

    @Override
    Object read(Decoder in) throws IOException {
      return in.readBoolean();
    }
  }

  private static final class ObjectField extends FieldCodec {
    private final java.util.function.Function<Object, @Nullable Object> get;
    private final ValueCodec codec;
    private final boolean nullable;
    private final String where;
    private final @Nullable Predicate<@Nullable Object> test;

    ObjectField(
        java.util.function.Function<Object, @Nullable Object> get,
        ValueCodec codec,
        String where,
        @Nullable Predicate<@Nullable Object> test) {
      this.get = get;
      this.codec = codec;
      this.nullable = codec.nullable();
      this.where = where;
      this.test = test;
    }

    @Override
    void write(Object bean, Encoder out) throws IOException {
      Object v = get.apply(bean);
      if (test != null && !test.test(v)) {
        throw CheckFailed.INSTANCE;
      }
      if (v == null && !nullable) {
        throw new MeshSerializationException(where + " is null but not nullable", null);
      }
      codec.write(v, out);
    }

    @Override
    @Nullable Object read(Decoder in) throws IOException {
      return codec.read(in);
    }
  }

  // ---- containers ----------------------------------------------------------------------

  private static final class NullableCodec implements ValueCodec {
    private final ValueCodec inner;
    private final boolean optional;
    private final int nullIndex;
    private final int valueIndex;

    NullableCodec(ValueCodec inner, boolean optional, int nullIndex) {
      this.inner = inner;
      this.optional = optional;
      this.nullIndex = nullIndex;
      this.valueIndex = 1 - nullIndex;
    }

    @Override
    public boolean nullable() {
      return true;
    }

    @Override
    public void write(@Nullable Object value, Encoder out) throws IOException {
      Object v = optional && value != null ? ((Optional<?>) value).orElse(null) : value;
      if (v == null) {
        out.writeIndex(nullIndex);
        out.writeNull();
      } else {
        out.writeIndex(valueIndex);
        inner.write(v, out);
      }
    }

    @Override
    public @Nullable Object read(Decoder in) throws IOException {
      int index = in.readIndex();
      if (index == nullIndex) {
        in.readNull();
        return optional ? Optional.empty() : null;
      }
      if (index != valueIndex) {
        throw new RecordDecodingException(
            Reason.INVALID_VALUE, "union index " + index + " out of range");
      }
      Object v = inner.read(in);
      return optional ? Optional.ofNullable(v) : v;
    }
  }

  private static final class ArrayCodec implements ValueCodec {
    private final ValueCodec element;
    private final boolean set;
    private final boolean elementNullable;
    private final String where;

    ArrayCodec(ValueCodec element, boolean set, String where) {
      this.element = element;
      this.set = set;
      this.elementNullable = element.nullable();
      this.where = where;
    }

    @Override
    public void write(Object value, Encoder out) throws IOException {
      Collection<?> c = (Collection<?>) value;
      out.writeArrayStart();
      out.setItemCount(c.size());
      for (Object e : c) {
        out.startItem();
        if (e == null && !elementNullable) {
          throw new MeshSerializationException(where + " contains a null element", null);
        }
        element.write(e, out);
      }
      out.writeArrayEnd();
    }

    @Override
    public Object read(Decoder in) throws IOException {
      long n = in.readArrayStart();
      Collection<Object> result =
          set ? new LinkedHashSet<>() : new ArrayList<>((int) Math.min(n, 1024));
      for (; n != 0; n = in.arrayNext()) {
        for (long i = 0; i < n; i++) {
          result.add(element.read(in));
        }
      }
      return result;
    }
  }

  private static final class MapCodec implements ValueCodec {
    private final ValueCodec value;
    private final boolean valueNullable;
    private final String where;

    MapCodec(ValueCodec value, String where) {
      this.value = value;
      this.valueNullable = value.nullable();
      this.where = where;
    }

    @Override
    public void write(Object v, Encoder out) throws IOException {
      Map<?, ?> m = (Map<?, ?>) v;
      out.writeMapStart();
      out.setItemCount(m.size());
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.startItem();
        if (e.getKey() == null || (e.getValue() == null && !valueNullable)) {
          throw new MeshSerializationException(where + " contains a null key or value", null);
        }
        out.writeString((String) e.getKey());
        value.write(e.getValue(), out);
      }
      out.writeMapEnd();
    }

    @Override
    public Object read(Decoder in) throws IOException {
      long n = in.readMapStart();
      Map<String, Object> result = new LinkedHashMap<>();
      for (; n != 0; n = in.mapNext()) {
        for (long i = 0; i < n; i++) {
          String key = in.readString();
          result.put(key, value.read(in));
        }
      }
      return result;
    }
  }

  private static final class EnumCodec implements ValueCodec {
    private final Enum<?>[] constants;
    private final String where;

    EnumCodec(Enum<?>[] constants, String where) {
      this.constants = constants;
      this.where = where;
    }

    @Override
    public void write(Object value, Encoder out) throws IOException {
      out.writeEnum(((Enum<?>) value).ordinal());
    }

    @Override
    public Object read(Decoder in) throws IOException {
      int index = in.readEnum();
      if (index < 0 || index >= constants.length) {
        throw invalid(where, "enum index " + index + " out of range", null);
      }
      return constants[index];
    }
  }
}
