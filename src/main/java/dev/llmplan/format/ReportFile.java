package dev.llmplan.format;

import dev.llmplan.engine.LlmplanException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a report the user named (check's JUnit XML) without ever replacing something that is not a report:
 * only a regular file (a symbolic link is followed only to one) or a new name is written; directories,
 * devices, FIFOs and sockets are refused, and so is a read-only file. The text goes to a hidden temporary
 * file beside the target that is renamed over it, so readers never see half a report; that file is created
 * like any new file (its mode follows the umask) or takes the mode of the report it replaces, and it is
 * deleted on every failure, and by a shutdown hook when the process is interrupted.
 */
public final class ReportFile {
    private ReportFile() {
    }

    /** Writes {@code text} to {@code target}; {@code label} names the setting in messages ("--junit"). */
    public static void write(Path target, String text, String label) {
        write(target, text, label, () -> {
        });
    }

    /** As {@link #write(Path, String, String)}; {@code beforeMove} runs once the temporary file is written (tests). */
    static void write(Path target, String text, String label, Runnable beforeMove) {
        Path file = destination(target, label);
        Path dir = file.getParent();
        Path tmp = dir.resolve("." + file.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        Thread cleanup = new Thread(() -> deleteQuietly(tmp), "llmplan-report-cleanup");
        boolean hooked = addHook(cleanup);
        try {
            // createFile with no attributes gives the mode a new file gets (0666 less the umask).
            Files.createFile(tmp);
            if (Files.exists(file)) {
                copyMode(file, tmp);
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            beforeMove.run();
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            throw LlmplanException.invalid("cannot write " + label + " " + target + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } finally {
            deleteQuietly(tmp);
            if (hooked) {
                removeHook(cleanup);
            }
        }
    }

    /**
     * The regular file to replace (a symbolic link's final target) or the new file to create; refuses
     * everything else with a one-line usage error.
     */
    static Path destination(Path target, String label) {
        Path abs = target.toAbsolutePath().normalize();
        Path file = abs;
        if (Files.isSymbolicLink(abs)) {
            try {
                file = abs.toRealPath();
            } catch (IOException e) {
                throw LlmplanException.invalid(label + " " + target + " is a symbolic link to a missing file; give a file name");
            }
        }
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw LlmplanException.invalid(label + " " + target + " is " + kind(file)
                        + ", not a report file; give a file name");
            }
            if (readOnly(file)) {
                throw LlmplanException.invalid(label + " " + target + " is read-only; not replaced");
            }
        }
        Path dir = file.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw LlmplanException.invalid(label + " " + target + ": directory " + dir + " does not exist");
        }
        return file;
    }

    private static String kind(Path p) {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            return "a directory";
        }
        try {
            Object device = Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            int type = ((Integer) device) & 0170000; // st_mode file type bits (sys/stat.h S_IFMT)
            return switch (type) {
                case 0010000 -> "a FIFO";
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                case 0140000 -> "a socket";
                default -> "not a regular file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return "not a regular file";
        }
    }

    /** No write permission for its owner (root may write anyway; a read-only report is still left alone). */
    private static boolean readOnly(Path file) {
        try {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                return !Files.getPosixFilePermissions(file).contains(PosixFilePermission.OWNER_WRITE);
            }
            return !Files.isWritable(file);
        } catch (IOException e) {
            return !Files.isWritable(file);
        }
    }

    private static void copyMode(Path from, Path to) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(from);
            Files.setPosixFilePermissions(to, mode);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException | SecurityException e) {
            // best effort: the file is hidden and named after the report
        }
    }

    private static boolean addHook(Thread t) {
        try {
            Runtime.getRuntime().addShutdownHook(t);
            return true;
        } catch (IllegalStateException | SecurityException e) {
            return false; // already shutting down: the finally block still deletes the file
        }
    }

    private static void removeHook(Thread t) {
        try {
            Runtime.getRuntime().removeShutdownHook(t);
        } catch (IllegalStateException | SecurityException e) {
            // shutting down: the hook runs and finds nothing to delete
        }
    }
}
