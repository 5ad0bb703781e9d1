package io.meshsdk.contract.internal;

import io.meshsdk.contract.ProductContract;
import io.meshsdk.contract.internal.TypeNode.ArrayNode;
import io.meshsdk.contract.internal.TypeNode.MapNode;
import io.meshsdk.contract.internal.TypeNode.NullableNode;
import io.meshsdk.contract.internal.TypeNode.RecordNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Keeps a record's PII values out of text the SDK writes about it (dead-letter headers, log lines,
 * span events): every value of a {@code @Pii} field, or under one, wherever it sits (nested
 * records, list elements, map keys and values) is replaced by {@code ***}, case-insensitively.
 * Values of one or two characters cannot be masked without masking half the text, so a text that
 * contains one anywhere is withheld whole; so is any text when the record's values cannot be read.
 * What the SDK cannot prove free of PII values it does not write.
 *
 * <p>A handler may still transform a value before putting it in a message (an e-mail's domain, a
 * name in capitals with accents removed); only the values as the record holds them can be found.
 * Built once per contract; thread-safe.
 */
public final class PiiMasker {
  /** Values collected from one record at most; a record with more withholds the text. */
  private static final int MAX_VALUES = 10_000;

  private static final String MASK = "***";

  private final @Nullable RecordModel model;
  private final boolean hasPii;

  private PiiMasker(@Nullable RecordModel model) {
    this.model = model;
    this.hasPii = model != null && hasPii(model, new ArrayList<>());
  }

  /**
   * The masker of a contract's values.
   *
   * @param contract the contract
   * @return the masker
   */
  public static PiiMasker of(ProductContract<?> contract) {
    return new PiiMasker(contract instanceof DefaultProductContract<?> c ? c.model() : null);
  }

  private static boolean hasPii(RecordModel model, List<RecordModel> seen) {
    if (seen.contains(model)) {
      return false;
    }
    seen.add(model);
    for (PropertyModel p : model.properties()) {
      if (p.pii() != null || hasPii(p.type(), seen)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasPii(TypeNode node, List<RecordModel> seen) {
    if (node instanceof NullableNode n) {
      return hasPii(n.inner(), seen);
    }
    if (node instanceof RecordNode r) {
      return hasPii(r.model(), seen);
    }
    if (node instanceof ArrayNode a) {
      return hasPii(a.element(), seen);
    }
    if (node instanceof MapNode m) {
      return hasPii(m.value(), seen);
    }
    return false;
  }

  /**
   * A text about a record, with the record's PII values masked.
   *
   * @param text the text (an exception message)
   * @param value the record's value, or null when it was not decoded
   * @return the masked text, or empty when it cannot be shown safely
   */
  public Optional<String> mask(@Nullable String text, @Nullable Object value) {
    if (text == null) {
      return Optional.empty();
    }
    if (!hasPii || value == null) {
      // nothing classified, or nothing decoded: the SDK's own decoding messages quote no values
      return Optional.of(text);
    }
    List<String> values = new ArrayList<>();
    try {
      collect(values, Objects.requireNonNull(model), value, false);
    } catch (RuntimeException | TooMany e) {
      return Optional.empty(); // the values could not all be read: nothing proves the text clean
    }
    values.sort(Comparator.comparingInt(String::length).reversed()); // "Ada Lovelace" before "Ada"
    String result = text;
    for (String v : values) {
      if (v.isEmpty()) {
        continue;
      }
      if (v.length() < 3) {
        if (indexOfIgnoreCase(result, v, 0) >= 0) {
          return Optional.empty();
        }
        continue;
      }
      result = replaceIgnoreCase(result, v);
    }
    return Optional.of(result);
  }

  /** More values than {@link #MAX_VALUES}: withhold the text. */
  private static final class TooMany extends Exception {
    private static final long serialVersionUID = 1L;

    TooMany() {
      super(null, null, false, false);
    }
  }

  private static void collect(List<String> out, RecordModel model, Object record, boolean pii)
      throws TooMany {
    for (PropertyModel p : model.properties()) {
      Object v = p.accessor().get(record);
      collect(out, p.type(), v, pii || p.pii() != null);
    }
  }

  private static void collect(List<String> out, TypeNode node, @Nullable Object v, boolean pii)
      throws TooMany {
    if (v == null) {
      return;
    }
    if (node instanceof NullableNode n) {
      if (v instanceof Optional<?> o) {
        collect(out, n.inner(), o.orElse(null), pii);
      } else {
        collect(out, n.inner(), v, pii);
      }
    } else if (node instanceof RecordNode r) {
      collect(out, r.model(), v, pii);
    } else if (node instanceof ArrayNode a) {
      for (Object element : elements(v)) {
        collect(out, a.element(), element, pii);
      }
    } else if (node instanceof MapNode m) {
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        if (pii) {
          add(out, String.valueOf(e.getKey()));
        }
        collect(out, m.value(), e.getValue(), pii);
      }
    } else if (pii) {
      add(out, text(v));
    }
  }

  private static Collection<?> elements(Object v) {
    if (v instanceof Collection<?> c) {
      return c;
    }
    if (v instanceof Object[] array) {
      return List.of(array);
    }
    return List.of();
  }

  private static String text(Object v) {
    if (v instanceof ByteBuffer b) {
      byte[] copy = new byte[b.remaining()];
      b.duplicate().get(copy);
      return new String(copy, StandardCharsets.UTF_8);
    }
    if (v instanceof byte[] b) {
      return new String(b, StandardCharsets.UTF_8);
    }
    return String.valueOf(v);
  }

  private static void add(List<String> out, String value) throws TooMany {
    if (out.size() >= MAX_VALUES) {
      throw new TooMany();
    }
    out.add(value);
  }

  private static int indexOfIgnoreCase(String text, String part, int from) {
    int n = part.length();
    for (int i = from; i + n <= text.length(); i++) {
      if (text.regionMatches(true, i, part, 0, n)) {
        return i;
      }
    }
    return -1;
  }

  private static String replaceIgnoreCase(String text, String part) {
    int at = indexOfIgnoreCase(text, part, 0);
    if (at < 0) {
      return text;
    }
    StringBuilder sb = new StringBuilder(text.length());
    int from = 0;
    while (at >= 0) {
      sb.append(text, from, at).append(MASK);
      from = at + part.length();
      at = indexOfIgnoreCase(text, part, from);
    }
    return sb.append(text, from, text.length()).toString();
  }
}
