package io.meshsdk.examples.stores;

import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/**
 * A sale at a till, as the stores domain publishes it: the product the legacy point-of-sale topic
 * becomes.
 *
 * @param saleId the receipt number
 * @param store the store
 * @param amountCents the total in cents
 * @param currency the ISO-4217 currency code
 * @param soldAt when the till recorded the sale
 */
@DataProduct(
    domain = "stores",
    name = "store-sale",
    version = "1.0",
    owner = "team-stores",
    description = "A sale at a store's till, bridged from the point-of-sale system's topic.")
public record StoreSale(
    @Key @Doc("Receipt number") String saleId,
    @NotBlank @Doc("Store") String store,
    @Positive @Doc("Total in cents") long amountCents,
    @NotBlank @Size(min = 3, max = 3) @Doc("ISO-4217 currency code") String currency,
    @Doc("When the till recorded the sale") Instant soldAt) {}
