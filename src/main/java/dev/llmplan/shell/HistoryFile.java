package dev.llmplan.shell;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where the shell keeps its history: $XDG_STATE_HOME/llmplan/history, else ~/.local/state/llmplan/history
 * (XDG Base Directory spec: history belongs to state data). Lines may name private models and
 * hardware, so the folder is user-only (700) and the file user-only (600).
 */
final class HistoryFile {
    private HistoryFile() {
    }

    static Path path(Map<String, String> env) {
        String xdg = env.get("XDG_STATE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("llmplan").resolve("history");
    }

    /** Creates the folder and file with user-only permissions, or tightens them when they exist. */
    static void prepare(Path file) throws IOException {
        Path dir = file.getParent();
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(dir)) {
            if (posix) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
        }
        if (!Files.exists(file)) {
            if (posix) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
        }
        if (!Files.isRegularFile(file)) {
            // JLine would block opening a FIFO, or read a device forever.
            throw new IOException("not a regular file");
        }
        restrict(file);
        repair(file);
    }

    /**
     * JLine stops the shell on the first line it cannot read: bytes that are not UTF-8 (an uncaught
     * MalformedInputException) or a line without its "millis:" time stamp. Such lines are dropped before
     * JLine reads the file, and so are lines longer than a shell line may be; only the newest
     * {@link #MAX_KEPT_BYTES} are kept. The file is rewritten only when something was dropped.
     */
    static void repair(Path file) throws IOException {
        long size = Files.size(file);
        boolean changed = size > MAX_KEPT_BYTES;
        List<String> kept = new ArrayList<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            if (size > MAX_KEPT_BYTES) {
                in.skipNBytes(size - MAX_KEPT_BYTES);
                skipToNextLine(in); // the cut fell inside a line
            }
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            boolean tooLong = false;
            int b;
            while (true) {
                b = in.read();
                if (b == '\n' || b < 0) {
                    if (line.size() > 0 || b == '\n') {
                        String text = tooLong ? null : decode(line.toByteArray());
                        if (text != null && STAMPED.matcher(text).matches()) {
                            kept.add(text);
                        } else {
                            changed = true;
                        }
                    }
                    line.reset();
                    tooLong = false;
                    if (b < 0) {
                        break;
                    }
                } else if (line.size() < LineRunner.MAX_LINE_CHARS * 4) {
                    line.write(b);
                } else {
                    tooLong = true;
                }
            }
        }
        if (changed) {
            Path tmp = file.resolveSibling(file.getFileName() + ".repair");
            Files.write(tmp, kept, StandardCharsets.UTF_8);
            restrict(tmp);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** The newest history kept: far more than JLine's 10,000 lines of ordinary commands. */
    static final long MAX_KEPT_BYTES = 4L * 1024 * 1024;
    /** JLine's timestamped history line (DefaultHistory.addHistoryLine): epoch millis, a colon, the line. */
    private static final Pattern STAMPED = Pattern.compile("\\d{1,18}:[^\\r]*");

    private static void skipToNextLine(InputStream in) throws IOException {
        int b;
        do {
            b = in.read();
        } while (b >= 0 && b != '\n');
    }

    private static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** JLine may rewrite the file through a temporary one when trimming; put the permissions back. */
    static void restrict(Path file) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file.getParent(), PosixFilePermissions.fromString("rwx------"));
            if (Files.exists(file)) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
        }
    }
}
