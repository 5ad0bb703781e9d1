package io.meshsdk.examples.demo;

import io.meshsdk.contract.DataProduct;
import io.meshsdk.contract.Key;
import io.meshsdk.schema.Compatibility;

/**
 * A product the standard governance policy refuses on purpose: an e-mail field that is not
 * classified as PII, no compatibility guarantee and no field documentation.
 */
@DataProduct(
    domain = "marketing",
    name = "newsletter-signup",
    version = "1.0",
    owner = "team-marketing",
    description = "Someone signed up for the newsletter.",
    compatibility = Compatibility.NONE)
public record NonCompliantProduct(@Key String signupId, String email) {}
