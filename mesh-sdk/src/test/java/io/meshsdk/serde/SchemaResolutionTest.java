package io.meshsdk.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.serde.RecordDecodingException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Reading data written by another version of a product, through Avro's resolution rules. */
class SchemaResolutionTest {

  @DataProduct(domain = "t", name = "numbers", version = "1.0", owner = "o", description = "d")
  record Narrow(int a, int b, long c, float d, byte[] e, String f, String g, List<Integer> h) {}

  @DataProduct(domain = "t", name = "numbers", version = "1.1", owner = "o", description = "d")
  record Wide(
      long a,
      float b,
      double c,
      double d,
      String e,
      @Nullable String f,
      Optional<String> g,
      List<Double> h) {}

  @Test
  void promotesNumbersStringsAndBytesAndMatchesUnionBranches() {
    ProductCodec<Narrow> narrow = ProductCodec.of(ProductContract.of(Narrow.class));
    ProductCodec<Wide> wide = ProductCodec.of(ProductContract.of(Wide.class));
    byte[] data =
        narrow.encode(
            new Narrow(
                Integer.MAX_VALUE,
                3,
                Long.MIN_VALUE,
                1.5f,
                "é".getBytes(StandardCharsets.UTF_8),
                "x",
                "y",
                List.of(1, 2)));

    Wide read = wide.decode(data, narrow.schema());

    assertThat(read.a()).isEqualTo(Integer.MAX_VALUE); // int -> long
    assertThat(read.b()).isEqualTo(3f); // int -> float
    assertThat(read.c()).isEqualTo((double) Long.MIN_VALUE); // long -> double
    assertThat(read.d()).isEqualTo(1.5); // float -> double
    assertThat(read.e()).isEqualTo("é"); // bytes -> string
    assertThat(read.f()).isEqualTo("x"); // string -> ["null", string]
    assertThat(read.g()).contains("y"); // string -> Optional
    assertThat(read.h()).containsExactly(1.0, 2.0); // array<int> -> array<double>
  }

  @DataProduct(domain = "t", name = "maybe", version = "1.0", owner = "o", description = "d")
  record MaybeNote(String id, @Nullable String note) {}

  @DataProduct(domain = "t", name = "maybe", version = "1.0", owner = "o", description = "d")
  record RequiredNote(String id, String note) {}

  /**
   * Avro's runtime would read such records until the first null; the SDK refuses the writer schema
   * as a whole, so that every record of it fails the same way instead of a few at random.
   */
  @Test
  void refusesReadingANullableFieldIntoARequiredOneForEveryRecord() {
    ProductCodec<MaybeNote> writer = ProductCodec.of(ProductContract.of(MaybeNote.class));
    ProductCodec<RequiredNote> reader = ProductCodec.of(ProductContract.of(RequiredNote.class));

    assertThatThrownBy(() -> reader.decode(writer.encode(new MaybeNote("1", "n")), writer.schema()))
        .isInstanceOfSatisfying(
            RecordDecodingException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.INCOMPATIBLE_WRITER_SCHEMA))
        .hasMessageContaining("/fields/1/type");
  }

  @DataProduct(domain = "t", name = "renamed", version = "1.0", owner = "o", description = "d")
  record OrderView(String id, @Nullable String note) {}

  @Test
  void readerClassesMayBeNamedFreely() {
    ProductCodec<MaybeNote> writer = ProductCodec.of(ProductContract.of(MaybeNote.class));
    ProductCodec<OrderView> reader = ProductCodec.of(ProductContract.of(OrderView.class));

    assertThat(reader.decode(writer.encode(new MaybeNote("1", "n")), writer.schema()))
        .isEqualTo(new OrderView("1", "n"));
  }

  @DataProduct(domain = "t", name = "numbers", version = "2.0", owner = "o", description = "d")
  record Demoted(int a) {}

  @Test
  void refusesNarrowingAsIncompatible() {
    ProductCodec<Wide> wide = ProductCodec.of(ProductContract.of(Wide.class));
    ProductCodec<Demoted> demoted = ProductCodec.of(ProductContract.of(Demoted.class));
    byte[] data = wide.encode(new Wide(1, 1, 1, 1, "", null, Optional.empty(), List.of()));

    assertThatThrownBy(() -> demoted.decode(data, wide.schema()))
        .isInstanceOfSatisfying(
            RecordDecodingException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.INCOMPATIBLE_WRITER_SCHEMA))
        .hasMessageContaining("TYPE_MISMATCH");
  }
}
