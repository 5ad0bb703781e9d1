/** Implementation of processors on the consumer loop and a (transactional) producer. */
@NullMarked
package io.meshsdk.processor.internal;

import org.jspecify.annotations.NullMarked;
