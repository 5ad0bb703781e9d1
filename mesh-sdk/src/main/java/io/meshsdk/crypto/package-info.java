/**
 * Field-level encryption and crypto-shredding of personal data: the key-management service that
 * holds key-encryption keys, the store of wrapped data keys, and the configuration a mesh is given
 * ({@code docs/security.md}). Built on Google Tink, an optional dependency that products with
 * encrypted fields add.
 */
@NullMarked
package io.meshsdk.crypto;

import org.jspecify.annotations.NullMarked;
