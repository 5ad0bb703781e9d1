package com.example.orders;

import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Doc;
import io.meshsdk.contract.Key;
import jakarta.validation.constraints.Positive;

@DataProduct(
    domain = "orders",
    name = "order-placed",
    version = "1.0",
    owner = "team-orders",
    description = "An order a customer placed.")
public record OrderPlaced(
    @Key @Doc("The order id") String orderId,
    @Doc("The amount in cents") @Positive long amountCents) {}
