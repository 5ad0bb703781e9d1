/**
 * The Mesh SDK testkit: test data products in ordinary JUnit 5 unit tests. {@link
 * io.meshsdk.testkit.MeshAssertions} is the one entry point for assertions on product classes and
 * their contracts.
 */
@NullMarked
package io.meshsdk.testkit;

import org.jspecify.annotations.NullMarked;
