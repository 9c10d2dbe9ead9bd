package dev.llmplan.format;

import dev.llmplan.engine.LlmplanException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Issue 16 #1: a report replaces only a report, keeps the file's mode, and never leaves a temporary file. */
class ReportFileTest {
    @TempDir
    Path dir;

    private String names() throws Exception {
        try (var s = Files.list(dir)) {
            return String.join(",", s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void aNewReportGetsTheModeOfAnyNewFile() throws Exception {
        // Files.createFile without attributes is what open(2) with 0666 gives under the process umask.
        Path probe = Files.createFile(dir.resolve("probe"));
        Path report = dir.resolve("report.xml");
        ReportFile.write(report, "<x/>", "--junit");
        assertThat(Files.readString(report)).isEqualTo("<x/>");
        assertThat(Files.getPosixFilePermissions(report)).isEqualTo(Files.getPosixFilePermissions(probe));
        assertThat(names()).isEqualTo("probe,report.xml");
    }

    @Test
    void aReplacedReportKeepsItsMode() throws Exception {
        Path report = Files.writeString(dir.resolve("report.xml"), "old");
        Files.setPosixFilePermissions(report, PosixFilePermissions.fromString("rw-r-----"));
        ReportFile.write(report, "new", "--junit");
        assertThat(Files.readString(report)).isEqualTo("new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(report))).isEqualTo("rw-r-----");
    }

    @Test
    void aReadOnlyReportIsNotReplaced() throws Exception {
        Path report = Files.writeString(dir.resolve("report.xml"), "keep");
        Files.setPosixFilePermissions(report, PosixFilePermissions.fromString("r--r--r--"));
        assertThatThrownBy(() -> ReportFile.write(report, "new", "--junit")).isInstanceOf(LlmplanException.class)
                .hasMessageContaining("read-only");
        assertThat(Files.readString(report)).isEqualTo("keep");
        assertThat(names()).isEqualTo("report.xml");
    }

    @Test
    void devicesAndDirectoriesAreRefusedAndLeftAlone() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/null")));
        assertThatThrownBy(() -> ReportFile.write(Path.of("/dev/null"), "x", "--junit"))
                .isInstanceOfSatisfying(LlmplanException.class, e -> assertThat(e.kind()).isEqualTo(LlmplanException.Kind.INVALID_REQUEST))
                .hasMessageContaining("character device");
        assertThat(Files.isRegularFile(Path.of("/dev/null"))).isFalse();
        Path sub = Files.createDirectory(dir.resolve("sub"));
        assertThatThrownBy(() -> ReportFile.write(sub, "x", "--junit")).hasMessageContaining("is a directory");
    }

    @Test
    void aSymbolicLinkIsFollowedOnlyToARegularFile() throws Exception {
        Path real = Files.writeString(dir.resolve("real.xml"), "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.xml"), real);
        ReportFile.write(link, "new", "--junit");
        assertThat(Files.isSymbolicLink(link)).as("the link stays a link").isTrue();
        assertThat(Files.readString(real)).isEqualTo("new");

        assumeTrue(Files.exists(Path.of("/dev/null")));
        Path toDevice = Files.createSymbolicLink(dir.resolve("stdout.xml"), Path.of("/dev/null"));
        assertThatThrownBy(() -> ReportFile.write(toDevice, "x", "--junit")).hasMessageContaining("character device");
        assertThat(Files.isSymbolicLink(toDevice)).isTrue();
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling.xml"), dir.resolve("missing.xml"));
        assertThatThrownBy(() -> ReportFile.write(dangling, "x", "--junit")).hasMessageContaining("missing file");
    }

    @Test
    void aFifoIsRefusedWithoutOpeningIt() throws Exception {
        Path fifo = dir.resolve("pipe.xml");
        assumeTrue(mkfifo(fifo), "mkfifo is not available");
        // Opening a FIFO for writing would block until a reader comes: the refusal must come first.
        assertThatThrownBy(() -> ReportFile.write(fifo, "x", "--junit")).hasMessageContaining("FIFO");
    }

    @Test
    void aFailedWriteLeavesNoTemporaryFileAndTheOldReport() throws Exception {
        Path report = Files.writeString(dir.resolve("report.xml"), "old");
        String[] during = new String[1];
        assertThatThrownBy(() -> ReportFile.write(report, "new", "--junit", () -> {
            try {
                during[0] = names();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            throw new SecurityException("interrupted");
        })).isInstanceOf(LlmplanException.class).hasMessageContaining("interrupted");
        assertThat(during[0]).as("the temporary file existed before the move").matches("\\.report\\.xml\\.[0-9a-f]+\\.tmp,report\\.xml");
        assertThat(names()).isEqualTo("report.xml");
        assertThat(Files.readString(report)).isEqualTo("old");
    }

    static boolean mkfifo(Path p) {
        try {
            Process proc = new ProcessBuilder("mkfifo", p.toString()).redirectErrorStream(true).start();
            return proc.waitFor(10, TimeUnit.SECONDS) && proc.exitValue() == 0 && Files.exists(p);
        } catch (Exception e) {
            return false;
        }
    }
}
