package io.meshsdk.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The contract cache does not keep a product's class loader alive: an application server or a test
 * framework that drops a loader gets it collected although its classes had contracts.
 */
class ContractCacheClassLoaderTest {

  /** Loads {@link LoadedProduct} itself (child first), everything else from its parent. */
  static final class OwnLoader extends ClassLoader {
    OwnLoader() {
      super(ContractCacheClassLoaderTest.class.getClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.equals(LoadedProduct.class.getName())) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null) {
          String file = name.replace('.', '/') + ".class";
          try (InputStream in = getParent().getResourceAsStream(file)) {
            byte[] bytes = in.readAllBytes();
            c = defineClass(name, bytes, 0, bytes.length);
          } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
          }
        }
        return c;
      }
    }
  }

  private static WeakReference<ClassLoader> contractOfAClassInAThrowawayLoader() throws Exception {
    OwnLoader loader = new OwnLoader();
    Class<?> type = loader.loadClass(LoadedProduct.class.getName());
    assertThat(type).isNotSameAs(LoadedProduct.class);
    ProductContract<?> contract = ProductContract.of(type);
    assertThat(contract.fields()).extracting(ContractField::name).containsExactly("id");
    assertThat(ProductContract.of(type)).isSameAs(contract); // cached
    return new WeakReference<>(loader);
  }

  @Test
  void aDroppedClassLoaderIsCollectedAlthoughItsClassHadAContract() throws Exception {
    WeakReference<ClassLoader> loader = contractOfAClassInAThrowawayLoader();
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              System.gc();
              return loader.get() == null;
            });
  }
}
