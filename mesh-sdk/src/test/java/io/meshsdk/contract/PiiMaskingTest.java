package io.meshsdk.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshsdk.contract.internal.PiiMasker;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * PII values are kept out of text about a record wherever they sit in it; a text the SDK cannot
 * prove free of them is withheld.
 */
class PiiMaskingTest {
  record Address(@Doc("Street") @Pii String street, @Doc("City") String city) {}

  @DataProduct(
      domain = "t",
      name = "parcel-sent",
      version = "1.0",
      owner = "o",
      description = "A parcel.")
  record ParcelSent(
      @Key @Doc("Id") String id,
      @Pii @Doc("Initials") String initials,
      @Pii @Doc("Phones") List<String> phones,
      @Doc("Where to") Address address,
      @Pii @Doc("Notes by author") Map<String, String> notes,
      @Doc("Billing address") @Pii @Nullable Address billing,
      @Doc("Weight") int grams) {}

  private final PiiMasker masker = PiiMasker.of(ProductContract.of(ParcelSent.class));

  private static ParcelSent parcel(String initials) {
    return new ParcelSent(
        "p-1",
        initials,
        List.of("+44-7700-900123", "+44-7700-900456"),
        new Address("221B Bakerstreet", "London"),
        Map.of("Mrs Hudson", "leave at the door"),
        new Address("10 Downing Street", "Westminster"),
        1200);
  }

  @Test
  void masksValuesInNestedRecordsListElementsMapKeysAndValuesCaseInsensitively() {
    String message =
        "cannot ship p-1 to +44-7700-900123 / 221b BAKERSTREET in London, note from Mrs Hudson:"
            + " leave at the door; bill 10 Downing Street; 1200 g";

    assertThat(masker.mask(message, parcel("Ada Lovelace")))
        .contains("cannot ship p-1 to *** / *** in London, note from ***: ***; bill ***; 1200 g");
  }

  /** Values of one or two characters cannot be masked without masking half the text. */
  @Test
  void withholdsATextThatContainsAShortPiiValue() {
    String message = "cannot ship to AZ / +44-7700-900123 / 221B Bakerstreet";

    assertThat(masker.mask(message, parcel("AZ"))).isEmpty();
    assertThat(masker.mask("cannot ship to az", parcel("AZ"))).isEmpty();
    assertThat(masker.mask("cannot ship p-1", parcel("Q"))).contains("cannot ship p-1");
  }

  @DataProduct(
      domain = "t",
      name = "parcel-weighed",
      version = "1.0",
      owner = "o",
      description = "A weight.")
  record ParcelWeighed(@Key @Doc("Id") String id, @Doc("Weight") int grams) {}

  @Test
  void leavesTextsOfProductsWithoutPiiOrWithoutADecodedValueAlone() {
    PiiMasker none = PiiMasker.of(ProductContract.of(ParcelWeighed.class));
    assertThat(none.mask("p-1 weighs 1200 g", new ParcelWeighed("p-1", 1200)))
        .contains("p-1 weighs 1200 g");
    // a record that was not decoded: the SDK's decoding messages quote no values
    assertThat(masker.mask("schema id 7 is not in the registry", null))
        .contains("schema id 7 is not in the registry");
    assertThat(masker.mask(null, parcel("Ada"))).isEqualTo(Optional.empty());
  }
}
