package dev.llmplan.catalog;

import dev.llmplan.engine.GpuSpec;
import dev.llmplan.engine.ModelSpec;
import dev.llmplan.engine.SystemSpec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The built-in catalog as parsed and validated at build time ({@link CatalogCompiler}), in a binary form
 * that loads without parsing or checking: the name indexes (hash tables), then every entry's id, line and
 * record bytes ({@link RecordCodec}). Start-up reads the ids; a name is looked up in the bytes and an
 * entry's record decoded when a command first asks for it. Models and GPUs are stored as the parser made them, systems before their
 * GPU is resolved, so that user catalogs merge with them exactly as with the parsed YAML.
 */
final class CompiledCatalog {
    static final String RESOURCE = "/dev/llmplan/catalog/catalog.bin";
    /** "LLMC", then the layout version. */
    private static final int MAGIC = 0x4c4c4d43;
    private static final int VERSION = 1;

    private final byte[] bytes;
    private final Index[] indexes = new Index[3];
    private final Section models;
    private final Section gpus;
    private final Section systems;

    /** One kind of entry: ids, lines and where each record starts. */
    private static final class Section {
        final List<String> ids;
        final int[] lines;
        final int[] offsets;

        Section(RecordCodec.Reader in) {
            int n = in.readInt();
            ids = new ArrayList<>(n);
            lines = new int[n];
            offsets = new int[n];
            for (int i = 0; i < n; i++) {
                ids.add(in.readString());
                lines[i] = in.readInt();
                int length = in.readInt();
                offsets[i] = in.position();
                in.skip(length);
            }
        }
    }

    private CompiledCatalog(byte[] bytes) {
        this.bytes = bytes;
        RecordCodec.Reader in = new RecordCodec.Reader(bytes, 0);
        if (in.readInt() != MAGIC || in.readInt() != VERSION) {
            throw new IllegalStateException("the compiled built-in catalog has an unknown layout");
        }
        for (int k = 0; k < 3; k++) {
            indexes[k] = new Index(bytes, in);
        }
        models = new Section(in);
        gpus = new Section(in);
        systems = new Section(in);
        indexes[0].ids = models.ids;
        indexes[1].ids = gpus.ids;
        indexes[2].ids = systems.ids;
    }

    /**
     * A name index as an open-addressing hash table in the bytes: a lookup hashes the name (String.hashCode,
     * the same in every JVM) and compares a slot or two, so start-up reads no name it is not asked for.
     * Layout: entry count, slot count (a power of two), the slots (an entry's offset, or -1), then the
     * entries (hash, position of the entry in its section, the name in UTF-8).
     */
    private static final class Index implements Catalog.NameIndex {
        private final byte[] bytes;
        private final int size;
        private final int slots;
        private final int table;
        private final int entries;
        List<String> ids;

        Index(byte[] bytes, RecordCodec.Reader in) {
            this.bytes = bytes;
            size = in.readInt();
            slots = in.readInt();
            table = in.position();
            in.skip(4 * slots);
            int length = in.readInt();
            entries = in.position();
            in.skip(length);
        }

        @Override
        public String id(String name) {
            int hash = name.hashCode();
            byte[] key = name.getBytes(StandardCharsets.UTF_8);
            for (int slot = hash & (slots - 1); ; slot = (slot + 1) & (slots - 1)) {
                int offset = new RecordCodec.Reader(bytes, table + 4 * slot).readInt();
                if (offset < 0) {
                    return null;
                }
                RecordCodec.Reader entry = new RecordCodec.Reader(bytes, entries + offset);
                if (entry.readInt() == hash) {
                    int position = entry.readInt();
                    int length = entry.readInt();
                    if (entry.matches(key, length)) {
                        return ids.get(position);
                    }
                }
            }
        }

        @Override
        public Map<String, String> all() {
            Map<String, String> out = new HashMap<>();
            RecordCodec.Reader entry = new RecordCodec.Reader(bytes, entries);
            for (int i = 0; i < size; i++) {
                entry.readInt();
                int position = entry.readInt();
                out.put(entry.readString(), ids.get(position));
            }
            return out;
        }

        /** Writes {@code names} (normalised name to id) with each id's position in {@code ids}. */
        static void write(RecordCodec.Writer out, Map<String, String> names, List<String> ids) {
            Map<String, Integer> positions = new HashMap<>();
            for (int i = 0; i < ids.size(); i++) {
                positions.put(ids.get(i), i);
            }
            int slots = Integer.highestOneBit(Math.max(1, names.size()) * 2) * 2; // at most half full
            int[] table = new int[slots];
            java.util.Arrays.fill(table, -1);
            RecordCodec.Writer area = new RecordCodec.Writer();
            for (Map.Entry<String, String> e : new java.util.TreeMap<>(names).entrySet()) {
                int hash = e.getKey().hashCode();
                int slot = hash & (slots - 1);
                while (table[slot] >= 0) {
                    slot = (slot + 1) & (slots - 1);
                }
                table[slot] = area.size();
                area.writeInt(hash);
                area.writeInt(positions.get(e.getValue()));
                area.writeString(e.getKey());
            }
            out.writeInt(names.size());
            out.writeInt(slots);
            for (int offset : table) {
                out.writeInt(offset);
            }
            byte[] b = area.toByteArray();
            out.writeInt(b.length);
            out.writeBytes(b);
        }
    }

    /** The compiled built-in catalog from the jar, or null where the build step did not run (an IDE). */
    static CompiledCatalog builtin() {
        try (InputStream in = CompiledCatalog.class.getResourceAsStream(RESOURCE)) {
            return in == null ? null : new CompiledCatalog(in.readAllBytes());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the built-in catalog", e);
        }
    }

    static CompiledCatalog of(byte[] bytes) {
        return new CompiledCatalog(bytes);
    }

    /** The built-in catalog alone, entries decoded on first use; {@code file} is its name. */
    Catalog catalog(String file) {
        Entries<GpuSpec> gpuEntries = Entries.lazy(gpus.ids, new Decode<>(this, gpus, GpuSpec.class));
        Entries<SystemSpec> systemEntries = Entries.lazy(systems.ids, new SystemDecode(this, gpuEntries));
        return new Catalog(Entries.lazy(models.ids, new Decode<>(this, models, ModelSpec.class)), gpuEntries,
                systemEntries, List.of(file), null, indexes[0], indexes[1], indexes[2]);
    }

    /** Every entry decoded, as the parser gives them, to merge with user catalogs. */
    CatalogParser.Parsed parsed(String file) {
        List<CatalogParser.Located<ModelSpec>> m = new ArrayList<>(models.ids.size());
        for (int i = 0; i < models.ids.size(); i++) {
            m.add(new CatalogParser.Located<>(decode(models, i, ModelSpec.class), file, models.lines[i]));
        }
        List<CatalogParser.Located<GpuSpec>> g = new ArrayList<>(gpus.ids.size());
        for (int i = 0; i < gpus.ids.size(); i++) {
            g.add(new CatalogParser.Located<>(decode(gpus, i, GpuSpec.class), file, gpus.lines[i]));
        }
        List<CatalogParser.RawSystem> s = new ArrayList<>(systems.ids.size());
        for (int i = 0; i < systems.ids.size(); i++) {
            s.add(decode(systems, i, CatalogParser.RawSystem.class));
        }
        return new CatalogParser.Parsed(m, g, s);
    }

    private <T> T decode(Section section, int position, Class<T> type) {
        return new RecordCodec.Reader(bytes, section.offsets[position]).readRecord(type);
    }

    /** Decodes models or GPUs (a named class, not a lambda: no method-handle spinning at start-up). */
    private static final class Decode<T> implements Entries.Decoder<T> {
        private final CompiledCatalog catalog;
        private final Section section;
        private final Class<T> type;

        Decode(CompiledCatalog catalog, Section section, Class<T> type) {
            this.catalog = catalog;
            this.section = section;
            this.type = type;
        }

        @Override
        public T decode(int position) {
            return catalog.decode(section, position, type);
        }
    }

    /** Decodes a system and resolves its GPU among the built-in GPUs. */
    private static final class SystemDecode implements Entries.Decoder<SystemSpec> {
        private final CompiledCatalog catalog;
        private final Entries<GpuSpec> gpus;

        SystemDecode(CompiledCatalog catalog, Entries<GpuSpec> gpus) {
            this.catalog = catalog;
            this.gpus = gpus;
        }

        @Override
        public SystemSpec decode(int position) {
            CatalogParser.RawSystem raw = catalog.decode(catalog.systems, position, CatalogParser.RawSystem.class);
            return CatalogLoader.resolve(raw, gpus.get(raw.gpuId()));
        }
    }

    /** The compiled form of a parsed built-in catalog and the catalog built from it (build time). */
    static byte[] write(CatalogParser.Parsed parsed, Catalog catalog) {
        RecordCodec.Writer out = new RecordCodec.Writer();
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        List<Catalog.NameIndex> names = catalog.indexes();
        Index.write(out, names.get(0).all(), catalog.modelIds());
        Index.write(out, names.get(1).all(), new ArrayList<>(catalog.gpus().stream().map(g -> g.id()).toList()));
        Index.write(out, names.get(2).all(), new ArrayList<>(catalog.systems().stream().map(x -> x.id()).toList()));
        writeSection(out, parsed.models(), ModelSpec.class);
        writeSection(out, parsed.gpus(), GpuSpec.class);
        out.writeInt(parsed.systems().size());
        for (CatalogParser.RawSystem s : parsed.systems()) {
            writeEntry(out, s.id(), s.line(), s, CatalogParser.RawSystem.class);
        }
        return out.toByteArray();
    }

    private static <T extends Record> void writeSection(RecordCodec.Writer out, List<CatalogParser.Located<T>> entries,
                                                        Class<T> type) {
        out.writeInt(entries.size());
        for (CatalogParser.Located<T> e : entries) {
            String id;
            try {
                id = (String) type.getMethod("id").invoke(e.value());
            } catch (ReflectiveOperationException ex) {
                throw new IllegalStateException(type.getSimpleName() + " has no id", ex);
            }
            writeEntry(out, id, e.line(), e.value(), type);
        }
    }

    private static void writeEntry(RecordCodec.Writer out, String id, int line, Object value, Class<?> type) {
        RecordCodec.Writer record = new RecordCodec.Writer();
        record.writeRecord(value, type);
        out.writeString(id);
        out.writeInt(line);
        byte[] b = record.toByteArray();
        out.writeInt(b.length);
        out.writeBytes(b);
    }
}
