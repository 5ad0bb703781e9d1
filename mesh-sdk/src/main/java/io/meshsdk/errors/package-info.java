/**
 * The exception tree of Mesh SDK, shaped by what the caller can do about a failure.
 *
 * <p>Every exception the SDK throws is an unchecked {@link io.meshsdk.errors.MeshException}. {@link
 * io.meshsdk.errors.MeshConfigurationException} means the set-up is wrong and retrying cannot help;
 * {@link io.meshsdk.errors.MeshException#isRetriable()} tells the failures that may pass on a later
 * attempt (an unreachable registry, a broker that is restarting) from those that will not. Messages
 * name products, topics, subjects and schema ids, never payload values.
 */
@NullMarked
package io.meshsdk.errors;

import org.jspecify.annotations.NullMarked;
