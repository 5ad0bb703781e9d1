package io.meshsdk.streams;

import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import io.meshsdk.contract.Pii;
import jakarta.validation.constraints.Positive;

/** The products of the dead-letter tests: bookings in, labels out. */
final class Parcels {
  private Parcels() {}

  @DataProduct(
      domain = "kit",
      name = "parcel-booked",
      version = "1.0",
      owner = "team-kit",
      description = "A parcel was booked.")
  record ParcelBooked(
      @Key @Doc("Parcel id") String parcelId,
      @Pii @Doc("Who booked it") String customerEmail,
      @Doc("Weight in grams; below zero the label printer throws") int grams) {}

  /** A label's weight must be positive: a zero-weight booking makes a label that breaks it. */
  @DataProduct(
      domain = "kit",
      name = "label-printed",
      version = "1.0",
      owner = "team-kit",
      description = "A label was printed for a parcel.")
  record LabelPrinted(
      @Key @Doc("Parcel id") String parcelId, @Positive @Doc("Weight in grams") int grams) {}
}
