package io.meshsdk.testkit;

import io.meshsdk.contract.ContractField;
import io.meshsdk.migration.Migration;
import io.meshsdk.serde.ProductCodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a migration between two majors ({@code assertThatMigration(v1ToV2)}).
 *
 * <pre>{@code
 * assertThatMigration(v1ToV2)
 *     .upcasts(new OrderPlacedV1("o-1", 250), new OrderPlacedV2("o-1", new Money(250, "EUR")))
 *     .roundTripsSamples(200);   // v1 -> v2 -> v1 keeps every field both majors share
 * }</pre>
 *
 * <p>Thread-safety: not thread-safe; one per assertion chain.
 *
 * @param <O> the older major's type
 * @param <N> the newer major's type
 */
public final class MigrationAssert<O, N>
    extends AbstractAssert<MigrationAssert<O, N>, Migration<O, N>> {

  MigrationAssert(Migration<O, N> actual) {
    super(actual, MigrationAssert.class);
    isNotNull();
  }

  /**
   * Checks one upcast.
   *
   * @param older the older value
   * @param expected the expected newer value
   * @return this assertion
   */
  public MigrationAssert<O, N> upcasts(O older, N expected) {
    N found = actual.upcast(older);
    if (!Objects.equals(found, expected)) {
      failWithMessage(
          "Expected %s to upcast%n  <%s>%nto%n  <%s>%nbut it gave%n  <%s>",
          actual, older, expected, found);
    }
    return this;
  }

  /**
   * Checks that older values survive a round trip (up, then down) in every field both majors share
   * (top-level fields of the same name).
   *
   * @param samples older values
   * @return this assertion
   */
  public MigrationAssert<O, N> roundTrips(List<O> samples) {
    if (!actual.hasDowncast()) {
      failWithMessage("Expected %s to round-trip, but it has no downcast", actual);
    }
    ProductCodec<O> codec = ProductCodec.of(actual.older());
    Set<String> shared = sharedFields();
    List<String> failures = new ArrayList<>();
    for (O sample : samples) {
      O back = actual.downcast(actual.upcast(sample));
      GenericRecord a = generic(codec, sample);
      GenericRecord b = generic(codec, back);
      for (String field : shared) {
        if (!Objects.equals(a.get(field), b.get(field))) {
          failures.add(
              field
                  + ": "
                  + a.get(field)
                  + " came back as "
                  + b.get(field)
                  + " (in "
                  + sample
                  + ")");
        }
      }
      if (failures.size() >= 10) {
        break;
      }
    }
    if (!failures.isEmpty()) {
      failWithMessage(
          "Expected %s to keep the fields both majors share %s over a round trip, but:%n  %s",
          actual, shared, String.join("\n  ", failures));
    }
    return this;
  }

  /**
   * Round-trips generated samples of the older major ({@link SampleEvents}, seed 42).
   *
   * @param count how many
   * @return this assertion
   */
  public MigrationAssert<O, N> roundTripsSamples(int count) {
    return roundTrips(SampleEvents.of(actual.older()).seed(42).take(count));
  }

  private Set<String> sharedFields() {
    Set<String> older = topLevel(actual.older().fields());
    older.retainAll(topLevel(actual.newer().fields()));
    return older;
  }

  private static Set<String> topLevel(List<ContractField> fields) {
    Set<String> names = new LinkedHashSet<>();
    for (ContractField f : fields) {
      if (!f.path().contains(".") && !f.path().contains("[")) {
        names.add(f.name());
      }
    }
    return names;
  }

  private static <T> GenericRecord generic(ProductCodec<T> codec, T value) {
    try {
      return new GenericDatumReader<GenericRecord>(codec.schema())
          .read(null, DecoderFactory.get().binaryDecoder(codec.encode(value), null));
    } catch (IOException e) {
      throw new AssertionError("cannot read back " + value, e);
    }
  }
}
