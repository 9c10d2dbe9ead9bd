package dev.llmplan.catalog;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes and reads records as bytes by walking their components, so a field added to a catalog record
 * (ModelSpec, GpuSpec, Architecture, ...) is carried without touching this class. The bytes have no
 * field names or type tags: writer and reader are the same classes of the same jar, which reads what it
 * wrote at build time. Components may be primitives and their boxes, String, enums, records, and
 * List, Set or Map of those; any other type fails the build with its name.
 *
 * <p>A reference-typed value is a presence byte then the value; a string is its UTF-8 length then bytes.
 */
final class RecordCodec {
    private RecordCodec() {
    }

    /** A record class's components and canonical constructor, looked up once per class. */
    private static final class Shape {
        final RecordComponent[] components;
        final Type[] types;
        final Constructor<?> constructor;

        Shape(Class<?> type) {
            components = type.getRecordComponents();
            Class<?>[] raw = new Class<?>[components.length];
            types = new Type[components.length];
            for (int i = 0; i < components.length; i++) {
                raw[i] = components[i].getType();
                // Only a collection needs its element types; a plain class needs no signature parsing.
                boolean generic = raw[i] == List.class || raw[i] == Set.class || raw[i] == Map.class;
                types[i] = generic ? components[i].getGenericType() : raw[i];
            }
            try {
                constructor = type.getDeclaredConstructor(raw);
                constructor.setAccessible(true);
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("no canonical constructor in " + type.getName(), e);
            }
        }
    }

    private static final Map<Class<?>, Shape> SHAPES = new HashMap<>();

    private static synchronized Shape shape(Class<?> type) {
        Shape s = SHAPES.get(type);
        if (s == null) {
            s = new Shape(type);
            SHAPES.put(type, s);
        }
        return s;
    }

    /** Collects the bytes of records (build time). */
    static final class Writer {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final ByteBuffer scratch = ByteBuffer.allocate(8);

        byte[] toByteArray() {
            return bytes.toByteArray();
        }

        int size() {
            return bytes.size();
        }

        void writeInt(int v) {
            bytes.write(scratch.clear().putInt(v).array(), 0, 4);
        }

        void writeString(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            writeInt(utf8.length);
            bytes.write(utf8, 0, utf8.length);
        }

        void writeBytes(byte[] b) {
            bytes.write(b, 0, b.length);
        }

        /** Writes {@code value}, declared as {@code type}, component by component. */
        void write(Object value, Type type, String where) {
            Class<?> raw = rawClass(type, where);
            if (raw.isPrimitive()) {
                writePrimitive(value, raw, where);
                return;
            }
            bytes.write(value == null ? 0 : 1);
            if (value == null) {
                return;
            }
            if (raw == String.class) {
                writeString((String) value);
            } else if (raw == Integer.class || raw == Long.class || raw == Double.class || raw == Boolean.class
                    || raw == Float.class || raw == Short.class || raw == Byte.class || raw == Character.class) {
                writePrimitive(value, primitiveOf(raw), where);
            } else if (raw.isEnum()) {
                writeInt(((Enum<?>) value).ordinal());
            } else if (raw.isRecord()) {
                writeRecord(value, raw);
            } else if (raw == List.class || raw == Set.class) {
                Type element = argument(type, 0, where);
                java.util.Collection<?> items = (java.util.Collection<?>) value;
                writeInt(items.size());
                for (Object item : items) {
                    write(item, element, where + "[]");
                }
            } else if (raw == Map.class) {
                Type key = argument(type, 0, where);
                Type val = argument(type, 1, where);
                Map<?, ?> map = (Map<?, ?>) value;
                writeInt(map.size());
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    write(e.getKey(), key, where + "{key}");
                    write(e.getValue(), val, where + "{value}");
                }
            } else {
                throw unsupported(type, where);
            }
        }

        /** Writes a record's components in order (what {@link Reader#readRecord} reads). */
        void writeRecord(Object value, Class<?> type) {
            Shape shape = shape(type);
            for (int i = 0; i < shape.components.length; i++) {
                RecordComponent c = shape.components[i];
                Object component;
                try {
                    component = c.getAccessor().invoke(value);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + type.getSimpleName() + "." + c.getName(), e);
                }
                write(component, shape.types[i], type.getSimpleName() + "." + c.getName());
            }
        }

        private void writePrimitive(Object value, Class<?> p, String where) {
            ByteBuffer b = scratch.clear();
            if (p == int.class) {
                b.putInt((Integer) value);
            } else if (p == long.class) {
                b.putLong((Long) value);
            } else if (p == double.class) {
                b.putDouble((Double) value);
            } else if (p == float.class) {
                b.putFloat((Float) value);
            } else if (p == short.class) {
                b.putShort((Short) value);
            } else if (p == char.class) {
                b.putChar((Character) value);
            } else if (p == byte.class) {
                b.put((Byte) value);
            } else if (p == boolean.class) {
                b.put((byte) ((Boolean) value ? 1 : 0));
            } else {
                throw unsupported(p, where);
            }
            bytes.write(b.array(), 0, b.position());
        }
    }

    /**
     * Reads values from bytes written by {@link Writer} (start-up). Big-endian numbers are put together here
     * rather than through a ByteBuffer: this runs interpreted, where every call counts.
     */
    static final class Reader {
        private final byte[] in;
        private int pos;

        Reader(byte[] bytes, int offset) {
            in = bytes;
            pos = offset;
        }

        int position() {
            return pos;
        }

        void skip(int n) {
            pos += n;
        }

        private byte get() {
            return in[pos++];
        }

        int readInt() {
            int p = pos;
            pos = p + 4;
            return (in[p] << 24) | ((in[p + 1] & 0xff) << 16) | ((in[p + 2] & 0xff) << 8) | (in[p + 3] & 0xff);
        }

        private long readLong() {
            return ((long) readInt() << 32) | (readInt() & 0xffffffffL);
        }

        private short readShort() {
            int p = pos;
            pos = p + 2;
            return (short) ((in[p] << 8) | (in[p + 1] & 0xff));
        }

        String readString() {
            int n = readInt();
            String s = new String(in, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }

        /** Whether the next {@code n} bytes are {@code key}'s. */
        boolean matches(byte[] key, int n) {
            if (key.length != n) {
                return false;
            }
            for (int k = 0; k < n; k++) {
                if (in[pos + k] != key[k]) {
                    return false;
                }
            }
            return true;
        }

        /** Reads a value declared as {@code type}. */
        Object read(Type type) {
            Class<?> raw = type instanceof Class<?> c ? c : rawClass(type, "?");
            if (raw.isPrimitive()) {
                return readPrimitive(raw);
            }
            if (get() == 0) {
                return null;
            }
            if (raw == String.class) {
                return readString();
            }
            if (raw == Integer.class) {
                return readInt();
            }
            if (raw == Long.class) {
                return readLong();
            }
            if (raw == Double.class) {
                return Double.longBitsToDouble(readLong());
            }
            if (raw == Boolean.class) {
                return get() != 0;
            }
            if (raw.isEnum()) {
                return raw.getEnumConstants()[readInt()];
            }
            if (raw.isRecord()) {
                return readRecord(raw);
            }
            if (raw == List.class || raw == Set.class) {
                Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
                int n = readInt();
                java.util.Collection<Object> items = raw == List.class ? new ArrayList<>(n) : new LinkedHashSet<>();
                for (int i = 0; i < n; i++) {
                    items.add(read(element));
                }
                return items;
            }
            if (raw == Map.class) {
                Type[] args = ((ParameterizedType) type).getActualTypeArguments();
                int n = readInt();
                Map<Object, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    Object k = read(args[0]);
                    map.put(k, read(args[1]));
                }
                return map;
            }
            return readPrimitive(primitiveOf(raw));
        }

        /** Reads a record of class {@code type} through its canonical constructor. */
        <T> T readRecord(Class<T> type) {
            Shape shape = shape(type);
            Object[] args = new Object[shape.types.length];
            for (int i = 0; i < args.length; i++) {
                args[i] = read(shape.types[i]);
            }
            try {
                return type.cast(shape.constructor.newInstance(args));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot create " + type.getSimpleName() + " from the compiled catalog", e);
            }
        }

        private Object readPrimitive(Class<?> p) {
            if (p == int.class) {
                return readInt();
            }
            if (p == long.class) {
                return readLong();
            }
            if (p == double.class) {
                return Double.longBitsToDouble(readLong());
            }
            if (p == boolean.class) {
                return get() != 0;
            }
            if (p == float.class) {
                return Float.intBitsToFloat(readInt());
            }
            if (p == short.class) {
                return readShort();
            }
            if (p == char.class) {
                return (char) readShort();
            }
            return get();
        }
    }

    private static Class<?> rawClass(Type type, String where) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        }
        throw unsupported(type, where);
    }

    private static Type argument(Type type, int index, String where) {
        if (type instanceof ParameterizedType p) {
            return p.getActualTypeArguments()[index];
        }
        throw unsupported(type, where);
    }

    private static Class<?> primitiveOf(Class<?> box) {
        if (box == Integer.class) {
            return int.class;
        }
        if (box == Long.class) {
            return long.class;
        }
        if (box == Double.class) {
            return double.class;
        }
        if (box == Boolean.class) {
            return boolean.class;
        }
        if (box == Float.class) {
            return float.class;
        }
        if (box == Short.class) {
            return short.class;
        }
        if (box == Character.class) {
            return char.class;
        }
        if (box == Byte.class) {
            return byte.class;
        }
        throw unsupported(box, "?");
    }

    private static IllegalArgumentException unsupported(Type type, String where) {
        return new IllegalArgumentException("the compiled catalog cannot hold " + where + " of type " + type.getTypeName()
                + " (RecordCodec takes primitives, String, enums, records, List, Set and Map)");
    }
}
