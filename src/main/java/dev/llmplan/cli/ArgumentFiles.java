package dev.llmplan.cli;

import dev.llmplan.engine.LlmplanException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code @FILE} arguments: an argument {@code @path} naming an existing file is replaced by the arguments
 * the file holds, as picocli does (its own expansion is switched off because it reads whatever it is given:
 * {@code @/dev/zero} never ends and {@code @DIRECTORY} fails with a stack trace). Only a regular file of at
 * most {@link #MAX_FILE_BYTES} is read. In the file, whitespace separates arguments, single or double
 * quotes group them ({@code \"} and {@code \\} inside double quotes), a {@code #} starting an argument
 * comments out the rest of the line, and {@code @path} arguments nest. An {@code @word} that names no file
 * is kept as it is; nothing after {@code --} is expanded.
 */
final class ArgumentFiles {
    /** Argument files hold a few options; anything larger is a mistake. */
    static final long MAX_FILE_BYTES = 1024 * 1024;
    /** Arguments after expansion, all files together. */
    static final int MAX_ARGUMENTS = 100_000;
    private static final int MAX_DEPTH = 8;
    /** Argument files read for one command line (a file may name others many times over). */
    static final int MAX_FILES = 100;

    private ArgumentFiles() {
    }

    /** {@code args} with every argument file expanded; a file that cannot be used is a usage error. */
    static String[] expand(String[] args) {
        boolean any = false;
        for (String a : args) {
            if (a.equals("--")) {
                break;
            }
            any |= a.startsWith("@") && a.length() > 1;
        }
        if (!any) {
            return args;
        }
        List<String> out = new ArrayList<>();
        int[] files = new int[1];
        boolean literal = false;
        for (String a : args) {
            if (!literal && a.equals("--")) {
                literal = true;
            }
            if (literal) {
                add(out, a);
            } else {
                expandOne(a, out, new HashSet<>(), 0, files);
            }
        }
        return out.toArray(new String[0]);
    }

    private static void expandOne(String arg, List<String> out, Set<Path> open, int depth, int[] files) {
        Path file = arg.startsWith("@") && arg.length() > 1 ? existing(arg.substring(1)) : null;
        if (file == null) {
            add(out, arg);
            return;
        }
        if (depth >= MAX_DEPTH) {
            throw LlmplanException.invalid("argument file " + arg + ": argument files nest more than " + MAX_DEPTH + " deep");
        }
        if (++files[0] > MAX_FILES) {
            throw LlmplanException.invalid("more than " + MAX_FILES + " argument files in one command line");
        }
        Path key = file.toAbsolutePath().normalize();
        if (!open.add(key)) {
            throw LlmplanException.invalid("argument file " + arg + " includes itself");
        }
        for (String a : tokens(read(file, arg))) {
            expandOne(a, out, open, depth + 1, files);
        }
        open.remove(key);
    }

    /** The path when it exists (a name the platform cannot represent, or a missing one, stays an argument). */
    private static Path existing(String name) {
        try {
            Path p = Path.of(name);
            return Files.exists(p) ? p : null;
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static void add(List<String> out, String a) {
        if (out.size() >= MAX_ARGUMENTS) {
            throw LlmplanException.invalid("more than " + MAX_ARGUMENTS + " arguments after expanding argument files");
        }
        out.add(a);
    }

    private static String read(Path file, String arg) {
        if (Files.isDirectory(file)) {
            throw LlmplanException.invalid("argument file " + arg + " is a directory");
        }
        if (!Files.isRegularFile(file)) {
            throw LlmplanException.invalid("argument file " + arg + " is not a regular file (a FIFO or device is never read)");
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
            if (bytes.length > MAX_FILE_BYTES) {
                throw LlmplanException.invalid("argument file " + arg + " is larger than " + MAX_FILE_BYTES / 1024 + " KiB");
            }
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw LlmplanException.invalid("argument file " + arg + " is not UTF-8 text");
        } catch (IOException | SecurityException e) {
            throw LlmplanException.invalid("cannot read argument file " + arg + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
    }

    /** Splits an argument file's text (see the class comment). */
    static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inToken = false;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                if (inToken) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inToken = false;
                }
                i++;
            } else if (c == '#' && !inToken) {
                while (i < n && text.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '"' || c == '\'') {
                inToken = true;
                i++;
                while (i < n && text.charAt(i) != c) {
                    char d = text.charAt(i);
                    if (c == '"' && d == '\\' && i + 1 < n && (text.charAt(i + 1) == '"' || text.charAt(i + 1) == '\\')) {
                        i++;
                        d = text.charAt(i);
                    }
                    cur.append(d);
                    i++;
                }
                if (i >= n) {
                    throw LlmplanException.invalid("argument file: unclosed " + c + " quote");
                }
                i++;
            } else {
                inToken = true;
                cur.append(c);
                i++;
            }
        }
        if (inToken) {
            out.add(cur.toString());
        }
        return out;
    }
}
