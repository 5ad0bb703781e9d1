package io.meshsdk.spring.listener;

import io.meshsdk.consumer.ConsumedEvent;
import io.meshsdk.consumer.ErrorHandler;
import io.meshsdk.consumer.EventHandler;
import io.meshsdk.consumer.MeshConsumer;
import io.meshsdk.consumer.StartPosition;
import io.meshsdk.contract.ProductContract;
import io.meshsdk.errors.MeshConfigurationException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Finds {@link MeshListener} methods on each bean after its initialisation, checks them (one
 * parameter of a product class or {@code ConsumedEvent<Product>}, attributes that parse, a product
 * whose contract derives) and registers them with {@link MeshListeners}; a mistake fails the
 * context naming the method and the attribute. Listener beans are singletons: another scope fails
 * the start, except the targets of scoped proxies, which are skipped with a warning. A
 * {@code @Lazy} bean's listeners register when the bean is first created, and start then if the
 * context runs.
 *
 * <p>Thread-safety: called by the bean factory, one bean at a time.
 */
final class MeshListenerProcessor implements BeanPostProcessor {
  private static final Logger log = LoggerFactory.getLogger(MeshListenerProcessor.class);

  private final ConfigurableListableBeanFactory beanFactory;
  private final Set<String> warnedScoped = ConcurrentHashMap.newKeySet();
  private @Nullable MeshListeners listeners;

  MeshListenerProcessor(ConfigurableListableBeanFactory beanFactory) {
    this.beanFactory = Objects.requireNonNull(beanFactory, "beanFactory");
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    Class<?> type = AopUtils.getTargetClass(bean);
    if (!AnnotationScan.mayHave(type)) {
      return bean;
    }
    Map<Method, MeshListener> methods =
        MethodIntrospector.selectMethods(
            type,
            (MethodIntrospector.MetadataLookup<MeshListener>)
                m -> AnnotatedElementUtils.findMergedAnnotation(m, MeshListener.class));
    if (methods.isEmpty()) {
      return bean;
    }
    if (ScopedProxyUtils.isScopedTarget(beanName)) {
      // a scoped bean's target, created on use (per request, per refresh): a consumer cannot live
      // with it, and refusing it would fail whatever code first used the bean
      if (warnedScoped.add(beanName)) {
        log.warn(
            "@MeshListener methods of scoped bean {} ({}) are not registered: declare them on a"
                + " singleton",
            ScopedProxyUtils.getOriginalBeanName(beanName),
            type.getName());
      }
      return bean;
    }
    MeshListeners registry = registry();
    methods.forEach(
        (method, annotation) -> {
          String where = type.getName() + "." + method.getName();
          if (!isSingleton(beanName)) {
            throw new MeshConfigurationException(
                "@MeshListener "
                    + where
                    + ": bean "
                    + beanName
                    + " is not a singleton; a listener's consumer runs for the context's lifetime,"
                    + " so declare its bean a singleton (or a scoped proxy)");
          }
          registry.register(listener(bean, beanName, type, method, annotation), where);
        });
    return bean;
  }

  private boolean isSingleton(String beanName) {
    if (beanFactory.containsBeanDefinition(beanName)) {
      return beanFactory.getMergedBeanDefinition(beanName).isSingleton();
    }
    return beanFactory.containsSingleton(beanName);
  }

  private MeshListeners registry() {
    MeshListeners r = listeners;
    if (r == null) {
      r = beanFactory.getBean(MeshListeners.class);
      listeners = r;
    }
    return r;
  }

  private MeshListeners.Listener listener(
      Object bean, String beanName, Class<?> type, Method method, MeshListener annotation) {
    String where = beanName + "." + method.getName();
    String id = orDefault(resolve(annotation.id()), where);
    String name =
        "@MeshListener "
            + id
            + " ("
            + method.getDeclaringClass().getName()
            + "."
            + method.getName()
            + ")";
    if (Modifier.isStatic(method.getModifiers()) || Modifier.isPrivate(method.getModifiers())) {
      throw new MeshConfigurationException(
          name + ": must be an instance method that is not private (the bean's proxy calls it)");
    }
    if (method.getParameterCount() != 1) {
      throw new MeshConfigurationException(
          name
              + ": takes one parameter, the product or ConsumedEvent<Product>; it has "
              + method.getParameterCount());
    }
    ResolvableType parameter =
        ResolvableType.forMethodParameter(new MethodParameter(method, 0).withContainingClass(type));
    boolean wantsEvent = ConsumedEvent.class.isAssignableFrom(parameter.toClass());
    Class<?> product =
        wantsEvent
            ? parameter.as(ConsumedEvent.class).getGeneric(0).resolve()
            : parameter.resolve();
    if (product == null || product == Object.class) {
      throw new MeshConfigurationException(
          name
              + ": declare the product of its ConsumedEvent parameter (ConsumedEvent<OrderPlaced>)");
    }
    ProductContract<?> contract;
    try {
      contract = ProductContract.of(product);
    } catch (RuntimeException e) {
      throw new MeshConfigurationException(
          name + ": " + product.getName() + " is not a data product: " + e.getMessage(), e);
    }
    String group = resolve(annotation.group());
    if (group.isBlank()) {
      throw new MeshConfigurationException(name + ": group is required");
    }
    String topic = resolve(annotation.topic());
    io.meshsdk.spring.boot.MeshProperties properties =
        beanFactory.getBean(io.meshsdk.spring.boot.MeshProperties.class);
    String prefix = properties.getTopicPrefix();
    String plannedTopic =
        !topic.isEmpty() ? topic : (prefix == null ? "" : prefix) + contract.topic();
    Integer concurrency = integer(name, "concurrency", annotation.concurrency());
    Integer maxAttempts = integer(name, "maxAttempts", annotation.maxAttempts());
    MeshConsumer.Ordering ordering = ordering(name, resolve(annotation.ordering()));
    Integer parallelism = integer(name, "parallelism", annotation.parallelism());
    Integer maxInFlight = integer(name, "maxInFlight", annotation.maxInFlight());
    if ((parallelism != null || maxInFlight != null)
        && (ordering == null || ordering == MeshConsumer.Ordering.PARTITION)) {
      throw new MeshConfigurationException(
          name + ": parallelism and maxInFlight need ordering KEY or UNORDERED");
    }
    Duration backoff = duration(name, "backoff", annotation.backoff());
    Duration maxBackoff = duration(name, "maxBackoff", annotation.maxBackoff());
    if ((backoff == null) != (maxBackoff == null)) {
      throw new MeshConfigurationException(name + ": backoff and maxBackoff go together");
    }
    String deadLetterTopic = resolve(annotation.deadLetterTopic());
    StartPosition startFrom = startFrom(name, resolve(annotation.startFrom()));
    String errorHandlerBean = resolve(annotation.errorHandler());
    ErrorHandler errorHandler =
        errorHandlerBean.isEmpty()
            ? null
            : beanFactory.getBean(errorHandlerBean, ErrorHandler.class);
    String autoStartupValue = resolve(annotation.autoStartup());
    boolean autoStartup;
    if (autoStartupValue.isEmpty()) {
      autoStartup = properties.getListener().isAutoStartup();
    } else if (autoStartupValue.equals("true") || autoStartupValue.equals("false")) {
      autoStartup = Boolean.parseBoolean(autoStartupValue);
    } else {
      throw new MeshConfigurationException(
          name + ": autoStartup is true or false, not " + autoStartupValue);
    }
    EventHandler<Object> handler = handler(bean, method, wantsEvent, name);

    @SuppressWarnings("unchecked")
    ProductContract<Object> typed = (ProductContract<Object>) contract;
    return new MeshListeners.Listener(
        id,
        group,
        contract,
        plannedTopic,
        autoStartup,
        mesh -> {
          MeshConsumer.Builder<Object> b = mesh.consumer(typed).group(group).handle(handler);
          if (!topic.isEmpty()) {
            b.topic(topic);
          }
          if (concurrency != null) {
            b.concurrency(concurrency);
          }
          if (maxAttempts != null) {
            b.maxAttempts(maxAttempts);
          }
          if (ordering != null && ordering != MeshConsumer.Ordering.PARTITION) {
            b.parallel(ordering, parallelism != null ? parallelism : DEFAULT_PARALLELISM);
          }
          if (maxInFlight != null) {
            b.maxInFlight(maxInFlight);
          }
          if (backoff != null && maxBackoff != null) {
            b.backoff(backoff, maxBackoff);
          }
          if (!deadLetterTopic.isEmpty()) {
            b.deadLetterTopic(deadLetterTopic);
          }
          if (startFrom != null) {
            b.startFrom(startFrom);
          }
          if (errorHandler != null) {
            b.errorHandler(errorHandler);
          }
          return b.start();
        });
  }

  /** The method as a handle bound to its bean: no reflective lookup per record. */
  private static EventHandler<Object> handler(
      Object bean, Method method, boolean wantsEvent, String name) {
    Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
    ReflectionUtils.makeAccessible(invocable);
    MethodHandle handle;
    try {
      handle =
          MethodHandles.lookup()
              .unreflect(invocable)
              .bindTo(bean)
              .asType(MethodType.methodType(void.class, Object.class));
    } catch (IllegalAccessException e) {
      throw new MeshConfigurationException(name + ": cannot be called: " + e.getMessage(), e);
    }
    return event -> {
      Object argument = wantsEvent ? event : event.value();
      try {
        handle.invokeExact(argument);
      } catch (Exception | Error e) {
        throw e;
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    };
  }

  private String resolve(String value) {
    if (value.isEmpty()) {
      return value;
    }
    String resolved = beanFactory.resolveEmbeddedValue(value);
    return resolved == null ? "" : resolved.strip();
  }

  private @Nullable Integer integer(String name, String attribute, String value) {
    String v = resolve(value);
    if (v.isEmpty()) {
      return null;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < 1) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new MeshConfigurationException(
          name + ": " + attribute + " is a positive integer, not " + v);
    }
  }

  private @Nullable Duration duration(String name, String attribute, String value) {
    String v = resolve(value);
    if (v.isEmpty()) {
      return null;
    }
    try {
      Duration d = DurationStyle.detectAndParse(v);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("not positive");
      }
      return d;
    } catch (IllegalArgumentException e) {
      throw new MeshConfigurationException(
          name + ": " + attribute + " is a positive duration (200ms, PT1S), not " + v);
    }
  }

  /** Worker threads of a parallel listener that does not say. */
  static final int DEFAULT_PARALLELISM = 16;

  private static MeshConsumer.@Nullable Ordering ordering(String name, String value) {
    if (value.isEmpty()) {
      return null;
    }
    try {
      return MeshConsumer.Ordering.valueOf(value);
    } catch (IllegalArgumentException e) {
      throw new MeshConfigurationException(
          name + ": ordering is PARTITION, KEY or UNORDERED, not " + value);
    }
  }

  private static @Nullable StartPosition startFrom(String name, String value) {
    return switch (value) {
      case "" -> null;
      case "EARLIEST" -> StartPosition.earliest();
      case "LATEST" -> StartPosition.latest();
      case "COMMITTED_OR_EARLIEST" -> StartPosition.committedOrEarliest();
      case "COMMITTED_OR_LATEST" -> StartPosition.committedOrLatest();
      default ->
          throw new MeshConfigurationException(
              name
                  + ": startFrom is EARLIEST, LATEST, COMMITTED_OR_EARLIEST or"
                  + " COMMITTED_OR_LATEST, not "
                  + value);
    };
  }

  private static String orDefault(String value, String fallback) {
    return value.isEmpty() ? fallback : value;
  }

  /** Skips the JDK's and Spring's own classes, which never carry the annotation. */
  private static final class AnnotationScan {
    static boolean mayHave(Class<?> type) {
      String n = type.getName();
      return !(n.startsWith("java.") || n.startsWith("org.springframework."));
    }
  }
}
