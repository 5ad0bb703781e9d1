/** Implementation of processors on the consumer loop and a (transactional) producer. */
@InternalApi
@NullMarked
package io.meshsdk.processor.internal;

import io.meshsdk.annotation.InternalApi;
import org.jspecify.annotations.NullMarked;
