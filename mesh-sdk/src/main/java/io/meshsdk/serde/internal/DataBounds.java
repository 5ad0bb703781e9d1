package io.meshsdk.serde.internal;

import io.meshsdk.serde.DecodeLimits;
import io.meshsdk.serde.RecordDecodingException;
import io.meshsdk.serde.RecordDecodingException.Reason;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.jspecify.annotations.Nullable;

/**
 * Checks that the data of one writer schema stays within the reader's {@link DecodeLimits} before
 * Avro reads or skips it. Avro's decoders descend into nested values by recursion and step through
 * arrays element by element, so a recursive writer type nested ten thousand levels deep overflows
 * the reader's stack, and an array of zero-byte elements ({@code null}, an empty record, a {@code
 * fixed} of size 0) lets a few bytes announce millions of elements. This walk reads the same bytes
 * with an explicit stack of at most {@code maxDepth} frames, counts array items and map entries
 * against {@code maxElements} and against the record's length (elements of at least one byte cannot
 * outnumber the bytes; zero-byte ones may not either, so that Avro's work stays proportional to the
 * record's size), and steps over blocks of zero-byte elements in one step, so its own work is
 * linear in the size of the record.
 *
 * <p>The walk runs only where it can matter ({@link #needed(int)}): for writer schemas that are
 * recursive, nest deeper than {@code maxDepth} or hold arrays of zero-byte elements, and for
 * records longer than {@code maxElements} bytes (below that, elements of at least one byte cannot
 * exceed the count). The schemas the SDK derives are none of these, so their records never pay for
 * it. Built once per writer schema; immutable and thread-safe.
 */
final class DataBounds {
  private enum Kind {
    NULL,
    BOOLEAN,
    VARINT,
    FLOAT,
    DOUBLE,
    LENGTH_PREFIXED,
    FIXED,
    ENUM,
    UNION,
    RECORD,
    ARRAY,
    MAP
  }

  private static final class Node {
    final Kind kind;
    int size; // fixed size, or enum symbol count
    Node[] children = new Node[0]; // record fields, union branches, array items, map values
    boolean zeroSize;
    boolean zeroSizeKnown;

    Node(Kind kind) {
      this.kind = kind;
    }
  }

  private final Node root;
  private final int maxDepth;
  private final int maxElements;
  private final boolean always;

  private DataBounds(Node root, DecodeLimits limits, boolean always) {
    this.root = root;
    this.maxDepth = limits.maxDepth();
    this.maxElements = limits.maxElements();
    this.always = always;
  }

  /**
   * The bounds of a writer schema.
   *
   * @param writer the schema the data was written with
   * @param limits the reader's limits
   * @return the bounds; check {@link #needed(int)} before each record
   */
  static DataBounds of(Schema writer, DecodeLimits limits) {
    Map<Schema, Node> nodes = new IdentityHashMap<>();
    Node root = compile(writer, nodes);
    for (Node n : nodes.values()) {
      zeroSize(n, new IdentityHashMap<>());
    }
    Shape shape = new Shape();
    int depth = height(root, new IdentityHashMap<>(), shape);
    boolean always = shape.recursive || depth > limits.maxDepth() || shape.zeroSizeItems;
    return new DataBounds(root, limits, always);
  }

  /** Whether a record of this length must be walked before it is read. */
  boolean needed(int length) {
    return always || length > maxElements;
  }

  /** Whether every record of this schema is walked (the schema can exceed the limits). */
  boolean always() {
    return always;
  }

  private static Node compile(Schema s, Map<Schema, Node> nodes) {
    Node known = nodes.get(s);
    if (known != null) {
      return known;
    }
    Node n =
        switch (s.getType()) {
          case NULL -> new Node(Kind.NULL);
          case BOOLEAN -> new Node(Kind.BOOLEAN);
          case INT, LONG -> new Node(Kind.VARINT);
          case FLOAT -> new Node(Kind.FLOAT);
          case DOUBLE -> new Node(Kind.DOUBLE);
          case STRING, BYTES -> new Node(Kind.LENGTH_PREFIXED);
          case FIXED -> new Node(Kind.FIXED);
          case ENUM -> new Node(Kind.ENUM);
          case UNION -> new Node(Kind.UNION);
          case RECORD -> new Node(Kind.RECORD);
          case ARRAY -> new Node(Kind.ARRAY);
          case MAP -> new Node(Kind.MAP);
        };
    nodes.put(s, n); // before the children, so a recursive reference finds it
    switch (s.getType()) {
      case FIXED -> n.size = s.getFixedSize();
      case ENUM -> n.size = s.getEnumSymbols().size();
      case UNION -> n.children = compileAll(s.getTypes(), nodes);
      case RECORD -> {
        List<Schema> fields = new ArrayList<>();
        for (Schema.Field f : s.getFields()) {
          fields.add(f.schema());
        }
        n.children = compileAll(fields, nodes);
      }
      case ARRAY -> n.children = new Node[] {compile(s.getElementType(), nodes)};
      case MAP -> n.children = new Node[] {compile(s.getValueType(), nodes)};
      default -> {}
    }
    return n;
  }

  private static Node[] compileAll(List<Schema> schemas, Map<Schema, Node> nodes) {
    Node[] result = new Node[schemas.size()];
    for (int i = 0; i < result.length; i++) {
      result[i] = compile(schemas.get(i), nodes);
    }
    return result;
  }

  /**
   * Whether a value can take zero bytes: {@code null}, {@code fixed} of size 0, and records of such
   * fields only. A record reached again while deciding is taken as not zero-size (it has no finite
   * value, and the walk's depth bound catches any data that claims one). Memoized, so a type shared
   * by many fields is decided once.
   */
  private static boolean zeroSize(Node n, Map<Node, Boolean> visiting) {
    switch (n.kind) {
      case NULL:
        n.zeroSize = true;
        return true;
      case FIXED:
        n.zeroSize = n.size == 0;
        return n.zeroSize;
      case RECORD:
        if (n.zeroSizeKnown || visiting.containsKey(n)) {
          return n.zeroSize;
        }
        visiting.put(n, Boolean.TRUE);
        boolean all = true;
        for (Node c : n.children) {
          all &= zeroSize(c, visiting);
        }
        visiting.remove(n);
        n.zeroSize = all;
        n.zeroSizeKnown = true;
        return all;
      default:
        return false;
    }
  }

  private static final class Shape {
    boolean recursive;
    boolean zeroSizeItems;
  }

  /**
   * How deeply records, arrays and maps nest from this node down (memoized per node), noting
   * recursion and arrays of zero-byte items on the way.
   */
  private static int height(Node n, Map<Node, Integer> heights, Shape shape) {
    Integer known = heights.get(n);
    if (known != null) {
      if (known < 0) {
        shape.recursive = true; // on the current path: a cycle
        return 0;
      }
      return known;
    }
    if (n.kind == Kind.ARRAY && n.children[0].zeroSize) {
      shape.zeroSizeItems = true;
    }
    heights.put(n, -1);
    int below = 0;
    for (Node c : n.children) {
      below = Math.max(below, height(c, heights, shape));
    }
    boolean nests = n.kind == Kind.RECORD || n.kind == Kind.ARRAY || n.kind == Kind.MAP;
    int h = below + (nests ? 1 : 0);
    heights.put(n, h);
    return h;
  }

  // ---- the walk -------------------------------------------------------------------------

  /**
   * Walks one record's bytes.
   *
   * @throws RecordDecodingException {@code LIMIT_EXCEEDED} past a bound; {@code TRUNCATED}, {@code
   *     CORRUPT_LENGTH} or {@code INVALID_VALUE} for bytes that do not follow the schema
   */
  void check(byte[] buf, int offset, int length) {
    new Walk(buf, offset, length).run();
  }

  private final class Walk {
    /** Reads the numbers and skips the bytes, with the decoder's own bounds checks. */
    private final SafeDecoder in;

    private final Node[] nodes = new Node[Math.min(maxDepth, 64) + 1];
    private int[] next = new int[nodes.length]; // record: next field; array/map: items left
    private long[] ends = new long[nodes.length]; // where a block of known byte size must end
    private Node[] stack = nodes;
    private long blockEnd; // set by blockCount: the end of a sized block, or -1
    private int top = -1;
    private long elements;
    private final long maxHere;

    Walk(byte[] buf, int offset, int length) {
      this.in = new SafeDecoder().reset(buf, offset, length);
      // elements of at least one byte cannot outnumber the bytes; zero-byte ones may not either,
      // so the work of a record stays proportional to its size
      this.maxHere = Math.min(maxElements, (long) length);
    }

    void run() {
      enter(root);
      while (top >= 0) {
        Node frame = stack[top];
        if (frame.kind == Kind.RECORD) {
          int i = next[top];
          if (i == frame.children.length) {
            top--;
          } else {
            next[top] = i + 1;
            enter(frame.children[i]);
          }
          continue;
        }
        if (next[top] == 0) {
          // a block that gave its byte size must end exactly there: Avro may skip it by the size
          // instead of by its items, and both must land on the same next count
          checkBlockEnd();
          boolean zeroSizeItems = frame.kind == Kind.ARRAY && frame.children[0].zeroSize;
          long count = blockCount(zeroSizeItems);
          if (count == 0) {
            top--;
            continue;
          }
          ends[top] = blockEnd;
          elements += count;
          if (elements > maxHere) {
            throw new RecordDecodingException(
                Reason.LIMIT_EXCEEDED,
                elements > maxElements
                    ? "more than " + maxElements + " array items and map entries in one record"
                    : "more array items and map entries than the record has bytes ("
                        + maxHere
                        + ")");
          }
          if (zeroSizeItems) {
            checkBlockEnd(); // zero bytes each: nothing to walk, the whole block at once
            continue;
          }
          next[top] = (int) count;
        }
        next[top]--;
        if (frame.kind == Kind.MAP) {
          in.skipString(); // the key
        }
        enter(frame.children[0]);
      }
    }

    private void enter(Node n) {
      Node node = n;
      while (node.kind == Kind.UNION) {
        long index = in.readLong();
        if (index < 0 || index >= node.children.length) {
          throw new RecordDecodingException(
              Reason.INVALID_VALUE, "union index " + index + " out of range");
        }
        node = node.children[(int) index];
      }
      switch (node.kind) {
        case NULL -> {}
        case BOOLEAN -> in.skipFixed(1);
        case VARINT -> in.readLong();
        case FLOAT -> in.skipFixed(4);
        case DOUBLE -> in.skipFixed(8);
        case FIXED -> in.skipFixed(node.size);
        case LENGTH_PREFIXED -> in.skipBytes();
        case ENUM -> {
          long index = in.readLong();
          if (index < 0 || index >= node.size) {
            throw new RecordDecodingException(
                Reason.INVALID_VALUE, "enum index " + index + " out of range");
          }
        }
        case RECORD, ARRAY, MAP -> push(node);
        default -> throw new IllegalStateException(node.kind.name());
      }
    }

    private void checkBlockEnd() {
      long end = ends[top];
      if (end >= 0) {
        if (in.position() != end) {
          throw new RecordDecodingException(
              Reason.CORRUPT_LENGTH,
              "a block announced " + (end - in.position()) + " more bytes than its items took");
        }
        ends[top] = -1;
      }
    }

    private void push(Node n) {
      if (top + 2 > maxDepth) {
        throw new RecordDecodingException(
            Reason.LIMIT_EXCEEDED, "records, arrays and maps nest deeper than " + maxDepth);
      }
      top++;
      if (top == stack.length) {
        int size = (int) Math.min(maxDepth + 1L, stack.length * 2L);
        stack = java.util.Arrays.copyOf(stack, size);
        next = java.util.Arrays.copyOf(next, size);
        ends = java.util.Arrays.copyOf(ends, size);
      }
      stack[top] = n;
      next[top] = 0;
      ends[top] = -1;
    }

    /**
     * A block's item count; a negative count is followed by the block's byte size. Items of at
     * least one byte cannot outnumber the bytes left; zero-byte items are bounded by the element
     * limit alone.
     */
    private long blockCount(boolean zeroSizeItems) {
      blockEnd = -1;
      long count = in.readLong();
      if (count < 0) {
        if (count == Long.MIN_VALUE) {
          throw new RecordDecodingException(Reason.CORRUPT_LENGTH, "block count overflows");
        }
        count = -count;
        long bytes = in.readLong();
        if (bytes < 0 || bytes > in.remaining()) {
          throw new RecordDecodingException(
              Reason.CORRUPT_LENGTH, "block size " + bytes + " is negative or past the end");
        }
        blockEnd = in.position() + bytes;
      }
      if (!zeroSizeItems && count > in.remaining()) {
        throw new RecordDecodingException(
            Reason.CORRUPT_LENGTH,
            "block count " + count + " is larger than the " + in.remaining() + " bytes left");
      }
      return count;
    }
  }

  @Override
  public String toString() {
    return "DataBounds[always="
        + always
        + ", maxDepth="
        + maxDepth
        + ", maxElements="
        + maxElements
        + "]";
  }

  /** For tests: whether the schema's data is always walked. */
  static boolean isWalked(Schema writer, @Nullable DecodeLimits limits) {
    return of(writer, limits == null ? DecodeLimits.defaults() : limits).always();
  }
}
