package dev.llmplan.hub;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bytes llmplan has read from the hub, and nothing more. Layout under the cache directory:
 * <pre>
 * models--ORG--NAME/revisions/REV/files          the repository's file list at that revision
 * models--ORG--NAME/revisions/REV/refs/FILE      "ETAG\nSIZE": the version of FILE seen at REV
 * models--ORG--NAME/blobs/SHA256(ETAG)/OFFSET-LENGTH   byte ranges of that version
 * </pre>
 * Keyed by repository, revision and ETag, as huggingface_hub keys its own cache; a new version of
 * a file has a new ETag and so new ranges. Writes go through a temporary file and a rename, and a
 * cache that cannot be written only costs a later offline run its data.
 */
final class HubCache {
    private final Path root;
    private final Map<Path, TreeMap<Long, Path>> ranges = new java.util.HashMap<>();

    HubCache(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /** What a file was at a revision when last seen: its ETag and size. */
    record Ref(String etag, long size) {
    }

    private Path repoDir(String repo) {
        return root.resolve("models--" + repo.replace("/", "--"));
    }

    private Path revisionDir(String repo, String revision) {
        return repoDir(repo).resolve("revisions").resolve(encode(revision));
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("*", "%2A");
    }

    List<String> files(String repo, String revision) {
        Path f = revisionDir(repo, revision).resolve("files");
        try {
            return Files.isRegularFile(f) ? Files.readAllLines(f, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            return null;
        }
    }

    void putFiles(String repo, String revision, List<String> files) {
        write(revisionDir(repo, revision).resolve("files"), String.join("\n", files).getBytes(StandardCharsets.UTF_8));
    }

    Ref ref(String repo, String revision, String file) {
        Path f = revisionDir(repo, revision).resolve("refs").resolve(encode(file));
        try {
            if (!Files.isRegularFile(f)) {
                return null;
            }
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            return lines.size() < 2 ? null : new Ref(lines.get(0), Long.parseLong(lines.get(1).trim()));
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    void putRef(String repo, String revision, String file, Ref ref) {
        write(revisionDir(repo, revision).resolve("refs").resolve(encode(file)),
                (ref.etag() + "\n" + ref.size() + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private Path blobDir(String repo, String etag) {
        return repoDir(repo).resolve("blobs").resolve(sha256(etag));
    }

    /** The bytes [offset, offset + length) of a file version, assembled from cached ranges, or null. */
    byte[] read(String repo, String etag, long offset, int length) {
        TreeMap<Long, Path> map = ranges(blobDir(repo, etag));
        byte[] out = new byte[length];
        long cursor = offset;
        long end = offset + length;
        try {
            while (cursor < end) {
                Map.Entry<Long, Path> e = map.floorEntry(cursor);
                if (e == null) {
                    return null;
                }
                long start = e.getKey();
                long len = lengthOf(e.getValue());
                if (start + len <= cursor) {
                    return null;
                }
                byte[] data = Files.readAllBytes(e.getValue());
                if (data.length != len) {
                    return null;
                }
                int from = (int) (cursor - start);
                int n = (int) Math.min(len - from, end - cursor);
                System.arraycopy(data, from, out, (int) (cursor - offset), n);
                cursor += n;
            }
        } catch (IOException e) {
            return null;
        }
        return out;
    }

    void put(String repo, String etag, long offset, byte[] data) {
        if (data.length == 0) {
            return;
        }
        Path dir = blobDir(repo, etag);
        Path f = dir.resolve(offset + "-" + data.length);
        if (write(f, data)) {
            ranges(dir).merge(offset, f, (a, b) -> lengthOf(a) >= lengthOf(b) ? a : b);
        }
    }

    private TreeMap<Long, Path> ranges(Path dir) {
        return ranges.computeIfAbsent(dir, d -> {
            TreeMap<Long, Path> m = new TreeMap<>();
            if (Files.isDirectory(d)) {
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
                    for (Path p : ds) {
                        long[] r = parse(p.getFileName().toString());
                        if (r != null) {
                            m.merge(r[0], p, (a, b) -> lengthOf(a) >= lengthOf(b) ? a : b);
                        }
                    }
                } catch (IOException e) {
                    // an unreadable cache is an empty one
                }
            }
            return m;
        });
    }

    private static long[] parse(String name) {
        int dash = name.indexOf('-');
        if (dash <= 0) {
            return null;
        }
        try {
            return new long[] {Long.parseLong(name.substring(0, dash)), Long.parseLong(name.substring(dash + 1))};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static long lengthOf(Path p) {
        long[] r = parse(p.getFileName().toString());
        return r == null ? 0 : r[1];
    }

    /** Writes a whole file atomically; false when the cache cannot be written. */
    private static boolean write(Path f, byte[] data) {
        try {
            Files.createDirectories(f.getParent());
            Path tmp = Files.createTempFile(f.getParent(), ".tmp-", "");
            try {
                Files.write(tmp, data);
                try {
                    Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
