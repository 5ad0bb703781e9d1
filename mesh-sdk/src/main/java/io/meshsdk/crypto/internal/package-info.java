/** Implementation of field-level encryption; not API. */
@NullMarked
@InternalApi
package io.meshsdk.crypto.internal;

import io.meshsdk.annotation.InternalApi;
import org.jspecify.annotations.NullMarked;
