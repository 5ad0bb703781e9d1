/**
 * Documents generated from a product's contract for catalogs and tools outside the JVM: the Open
 * Data Contract Standard ({@link ContractDocuments#odcs}) and AsyncAPI ({@link
 * ContractDocuments#asyncApi}).
 */
@NullMarked
package io.meshsdk.catalog;

import org.jspecify.annotations.NullMarked;
