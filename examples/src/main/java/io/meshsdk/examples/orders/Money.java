package io.meshsdk.examples.orders;

import io.meshsdk.contract.Doc;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/**
 * An amount in minor units of a currency.
 *
 * @param minor the amount in minor units (cents)
 * @param currency the ISO-4217 code
 */
public record Money(
    @PositiveOrZero @Doc("Amount in minor units") long minor,
    @Size(min = 3, max = 3) @Doc("ISO-4217 currency code") String currency) {}
