/**
 * Federated governance: the rules every data product must pass, evaluated when producers and
 * consumers are created and in tests. {@link io.meshsdk.governance.GovernancePolicy#standard()}
 * holds the platform's standard rules; organisations add their own {@link
 * io.meshsdk.governance.GovernanceRule}s in code.
 */
@NullMarked
package io.meshsdk.governance;

import org.jspecify.annotations.NullMarked;
