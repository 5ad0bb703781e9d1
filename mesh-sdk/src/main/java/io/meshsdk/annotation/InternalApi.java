package io.meshsdk.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a package (every {@code ...internal} package of Mesh SDK) or a type as not part of the API:
 * it may change or disappear in any release, including a patch release, and is meant for Mesh SDK's
 * own modules only. Internal packages are left out of the published Javadoc and of the committed
 * API description ({@code api/*.api}), and a build check fails when code outside Mesh SDK's modules
 * (the examples, which stand for user code) uses them.
 *
 * <p>Public types outside internal packages are API: their compatibility is guarded by the
 * committed API description and, from the first release on, by japicmp (see {@code docs/api.md}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PACKAGE, ElementType.TYPE})
public @interface InternalApi {}
