package dev.llmplan.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.llmplan.modelfile.Fixtures;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for the Hugging Face Hub, answering as the real one does: the model info API
 * with its file list, HEAD and ranged GET on {@code /ORG/NAME/resolve/REV/FILE}, large files
 * redirected to a "CDN" on another host name (localhost instead of 127.0.0.1) with X-Linked-Etag
 * and X-Linked-Size, errors named in X-Error-Code. Files are {@link Fixtures.Lazy}, so repositories
 * of many gigabytes cost only their headers. It counts the bytes it serves and can be made to
 * answer 401, slowly, or with truncated bodies.
 */
public final class FakeHub implements AutoCloseable {
    /** Files at least this large are served through the CDN redirect, as the hub does with LFS files. */
    static final long LFS_THRESHOLD = 10 * 1024 * 1024;
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d+)");

    /** What the fake does besides answering properly. */
    public volatile int delayMs;
    public volatile boolean truncate;

    private final HttpServer server;
    private final Map<String, Map<String, Map<String, Fixtures.Lazy>>> repos = new ConcurrentHashMap<>();
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final AtomicLong served = new AtomicLong();
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final List<String> cdnAuthorization = Collections.synchronizedList(new ArrayList<>());

    private FakeHub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-hub");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public static FakeHub start() throws IOException {
        return new FakeHub();
    }

    /** http://127.0.0.1:PORT, for HF_ENDPOINT. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Adds a file to a repository at revision "main". */
    public FakeHub file(String repo, String path, Fixtures.Lazy content) {
        return file(repo, "main", path, content);
    }

    public FakeHub file(String repo, String revision, String path, Fixtures.Lazy content) {
        repos.computeIfAbsent(repo, r -> new ConcurrentHashMap<>()).computeIfAbsent(revision, r -> new TreeMap<>())
                .put(path, content);
        return this;
    }

    public FakeHub file(String repo, String path, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return file(repo, path, new Fixtures.Lazy(b, b.length));
    }

    /** Makes a repository gated: only this bearer token may read its files. */
    public FakeHub gate(String repo, String token) {
        tokens.put(repo, token);
        return this;
    }

    /** Bytes of every file of a repository (at every revision). */
    public long repositoryBytes(String repo) {
        return repos.get(repo).values().stream().flatMap(m -> m.values().stream()).mapToLong(Fixtures.Lazy::size).sum();
    }

    /** Body bytes served so far (file ranges, file lists and error bodies). */
    public long bytesServed() {
        return served.get();
    }

    /** "METHOD path [range]" of every request so far. */
    public List<String> requests() {
        return List.copyOf(log);
    }

    /** The Authorization headers the CDN host received (it should receive none). */
    public List<String> cdnAuthorization() {
        return List.copyOf(cdnAuthorization);
    }

    public void reset() {
        served.set(0);
        log.clear();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            String range = ex.getRequestHeaders().getFirst("Range");
            log.add(ex.getRequestMethod() + " " + path + (range == null ? "" : " " + range));
            if (delayMs > 0) {
                Thread.sleep(delayMs);
            }
            if (path.startsWith("/api/models/")) {
                api(ex, path.substring("/api/models/".length()));
            } else if (path.startsWith("/cdn/")) {
                String auth = ex.getRequestHeaders().getFirst("Authorization");
                if (auth != null) {
                    cdnAuthorization.add(auth);
                }
                String[] p = path.substring(5).split("/", 4);
                serve(ex, p[0] + "/" + p[1], decode(p[2]), decode(p[3]), true);
            } else {
                String[] p = path.substring(1).split("/", 5);
                if (p.length < 5 || !p[2].equals("resolve")) {
                    error(ex, 404, "EntryNotFound");
                    return;
                }
                serve(ex, p[0] + "/" + p[1], decode(p[3]), decode(p[4]), false);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private void api(HttpExchange ex, String rest) throws IOException {
        String[] p = rest.split("/");
        String repo = p.length >= 2 ? p[0] + "/" + p[1] : rest;
        String revision = p.length >= 4 && p[2].equals("revision") ? decode(p[3]) : "main";
        Map<String, Map<String, Fixtures.Lazy>> revisions = repos.get(repo);
        if (revisions == null) {
            error(ex, 401, "RepoNotFound"); // the hub answers 401 for unknown repositories without a token
            return;
        }
        Map<String, Fixtures.Lazy> files = revisions.get(revision);
        if (files == null) {
            error(ex, 404, "RevisionNotFound");
            return;
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("id", repo);
        info.put("sha", COMMIT);
        info.put("gated", tokens.containsKey(repo) ? "manual" : false);
        info.put("siblings", files.keySet().stream().map(f -> Map.of("rfilename", f)).toList());
        byte[] body = new ObjectMapper().writeValueAsBytes(info);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        send(ex, 200, body);
    }

    private void serve(HttpExchange ex, String repo, String revision, String file, boolean cdn) throws IOException {
        Map<String, Map<String, Fixtures.Lazy>> revisions = repos.get(repo);
        if (revisions == null) {
            error(ex, 401, "RepoNotFound");
            return;
        }
        if (!cdn && tokens.containsKey(repo)
                && !("Bearer " + tokens.get(repo)).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            error(ex, ex.getRequestHeaders().containsKey("Authorization") ? 403 : 401, "GatedRepo");
            return;
        }
        Map<String, Fixtures.Lazy> files = revisions.get(revision);
        if (files == null) {
            error(ex, 404, "RevisionNotFound");
            return;
        }
        Fixtures.Lazy f = files.get(file);
        if (f == null) {
            error(ex, 404, "EntryNotFound");
            return;
        }
        String etag = "\"" + Integer.toHexString((repo + revision + file + f.size()).hashCode()) + "\"";
        var h = ex.getResponseHeaders();
        h.set("X-Repo-Commit", COMMIT);
        if (!cdn && f.size() >= LFS_THRESHOLD) {
            h.set("X-Linked-Etag", etag);
            h.set("X-Linked-Size", Long.toString(f.size()));
            h.set("Location", "http://localhost:" + port() + "/cdn/" + repo + "/" + enc(revision) + "/" + enc(file));
            ex.sendResponseHeaders(302, -1);
            return;
        }
        h.set("ETag", etag);
        h.set("Accept-Ranges", "bytes");
        if (ex.getRequestMethod().equals("HEAD")) {
            h.set("Content-Length", Long.toString(f.size()));
            ex.sendResponseHeaders(200, -1);
            return;
        }
        String range = ex.getRequestHeaders().getFirst("Range");
        Matcher m = range == null ? null : RANGE.matcher(range);
        if (m == null || !m.matches()) {
            send(ex, 200, f.read(0, (int) Math.min(f.size(), Integer.MAX_VALUE - 8)));
            return;
        }
        long from = Long.parseLong(m.group(1));
        long to = Math.min(Long.parseLong(m.group(2)), f.size() - 1);
        if (from >= f.size()) {
            h.set("Content-Range", "bytes */" + f.size());
            error(ex, 416, "RangeNotSatisfiable");
            return;
        }
        byte[] body = f.read(from, (int) (to - from + 1));
        h.set("Content-Range", "bytes " + from + "-" + to + "/" + f.size());
        send(ex, 206, body);
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/");
    }

    private void error(HttpExchange ex, int status, String code) throws IOException {
        ex.getResponseHeaders().set("X-Error-Code", code);
        send(ex, status, (code + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private void send(HttpExchange ex, int status, byte[] body) throws IOException {
        if (truncate && status == 206 && body.length > 1) {
            // Promise the whole body, deliver half of it, then drop the connection.
            ex.sendResponseHeaders(status, body.length);
            OutputStream out = ex.getResponseBody();
            out.write(body, 0, body.length / 2);
            out.flush();
            served.addAndGet(body.length / 2);
            throw new IOException("truncated on purpose");
        }
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        ex.getResponseBody().write(body);
        served.addAndGet(body.length);
    }
}
