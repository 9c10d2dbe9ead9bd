package dev.llmplan.hub;

import dev.llmplan.engine.LlmplanException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP to the hub with the JDK client: HEAD for a file's ETag and size, GET with a Range for bytes,
 * GET for small JSON documents. Every exchange is bounded in time from sending to the last byte;
 * redirects are followed here so the bearer token goes only to the endpoint's own host (the hub
 * redirects large files to a CDN with signed URLs). A failure to reach the server at all is
 * {@link Unreachable}, which callers answer from the cache; an answer the server gave is an error.
 */
final class HubHttp {
    private static final int MAX_REDIRECTS = 10;
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    static final String USER_AGENT = "llmplan (java.net.http)";

    /** The server could not be reached, or did not answer in time ({@code timedOut}). */
    static final class Unreachable extends Exception {
        final boolean timedOut;

        Unreachable(String message, boolean timedOut) {
            super(message);
            this.timedOut = timedOut;
        }
    }

    /** What a HEAD on a file says: its version (ETag), size, and the commit the revision resolved to. */
    record Meta(String etag, long size, String commit) {
    }

    private final HubSettings settings;
    private final URI endpoint;
    private final HttpClient client;

    HubHttp(HubSettings settings) {
        this.settings = settings;
        this.endpoint = URI.create(settings.endpoint());
        EnvProxySelector proxies = new EnvProxySelector(settings.env());
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.metadataTimeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        if (proxies.any()) {
            b.proxy(proxies);
        }
        this.client = b.build();
    }

    /** A file's ETag and size (huggingface_hub get_hf_file_metadata: HEAD, X-Linked-Etag / X-Linked-Size first). */
    Meta head(URI url, Failure failure) throws Unreachable {
        HttpResponse<Void> r = send("HEAD", url, null, HttpResponse.BodyHandlers.discarding(), settings.metadataTimeout(),
                true, failure);
        if (r.statusCode() != 200 && !isRedirect(r.statusCode())) {
            throw failure.status(r.statusCode(), r.headers());
        }
        HttpHeaders h = r.headers();
        String etag = h.firstValue("X-Linked-Etag").or(() -> h.firstValue("ETag")).orElse(null);
        Long size = number(h.firstValue("X-Linked-Size")).orElse(isRedirect(r.statusCode()) ? null
                : number(h.firstValue("Content-Length")).orElse(null));
        String commit = h.firstValue("X-Repo-Commit").orElse(null);
        if (size == null) {
            // Some mirrors leave the size out of HEAD: one byte's Content-Range carries it.
            HttpResponse<byte[]> one = send("GET", url, "bytes=0-0", info -> new LimitedBody(1), settings.metadataTimeout(),
                    false, failure);
            size = one.statusCode() == 206 ? total(one.headers()) : null;
            if (size == null) {
                throw LlmplanException.badData(failure.what() + ": the server gave no file size (HTTP "
                        + one.statusCode() + ")");
            }
            etag = etag != null ? etag : one.headers().firstValue("ETag").orElse(null);
        }
        return new Meta(etag == null ? "size:" + size : etag, size, commit);
    }

    /** Bytes [offset, offset + length) of a file; exactly that many or an error. */
    byte[] range(URI url, long offset, int length, Failure failure) throws Unreachable {
        HttpResponse<byte[]> r = send("GET", url, "bytes=" + offset + "-" + (offset + length - 1),
                info -> new LimitedBody(length), settings.downloadTimeout(), false, failure);
        int s = r.statusCode();
        if (s == 206) {
            Long start = start(r.headers());
            if (start == null || start != offset) {
                throw LlmplanException.badData(failure.what() + ": the server answered a different byte range ("
                        + r.headers().firstValue("Content-Range").orElse("none") + ")");
            }
        } else if (s == 200) {
            if (offset != 0) {
                throw LlmplanException.badData(failure.what() + ": the server ignores HTTP Range requests, so headers"
                        + " cannot be read without downloading the whole file");
            }
        } else {
            throw failure.status(s, r.headers());
        }
        byte[] body = r.body();
        if (body.length != length) {
            throw failure.truncated(body.length, length);
        }
        return body;
    }

    /** A whole small document (the file list), at most {@code max} bytes. */
    byte[] get(URI url, int max, Failure failure) throws Unreachable {
        HttpResponse<byte[]> r = send("GET", url, null, info -> new LimitedBody(max + 1), settings.metadataTimeout(),
                false, failure);
        if (r.statusCode() != 200) {
            throw failure.status(r.statusCode(), r.headers());
        }
        if (r.body().length > max) {
            throw LlmplanException.badData(failure.what() + ": the answer is larger than " + max + " bytes");
        }
        return r.body();
    }

    private <T> HttpResponse<T> send(String method, URI url, String range, HttpResponse.BodyHandler<T> handler,
                                     Duration timeout, boolean relativeRedirectsOnly, Failure failure) throws Unreachable {
        URI current = url;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(current).timeout(timeout)
                    .method(method, HttpRequest.BodyPublishers.noBody())
                    .header("User-Agent", USER_AGENT)
                    .header("Accept-Encoding", "identity");
            if (range != null) {
                b.header("Range", range);
            }
            if (settings.token() != null && sameOrigin(current, endpoint)) {
                b.header("Authorization", "Bearer " + settings.token());
            }
            HttpResponse<T> r = exchange(b.build(), handler, timeout, failure);
            String location = r.headers().firstValue("Location").orElse(null);
            if (!isRedirect(r.statusCode()) || location == null) {
                return r;
            }
            URI next = current.resolve(location);
            if (relativeRedirectsOnly && !sameOrigin(next, current)) {
                return r;
            }
            current = next;
        }
        throw LlmplanException.badData(failure.what() + ": more than " + MAX_REDIRECTS + " redirects");
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler, Duration timeout,
                                         Failure failure) throws Unreachable {
        CompletableFuture<HttpResponse<T>> f = client.sendAsync(request, handler);
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new Unreachable("no complete answer within " + HubSettings.describe(timeout), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted", false);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof LimitedBody.CutShort cut) {
                throw failure.cutShort(cut.received);
            }
            // The JDK client reports a body shorter than its Content-Length this way (HttpClient's
            // fixed-length subscriber); it is the server's answer cut short, not an unreachable server.
            java.util.regex.Matcher m = c == null || c.getMessage() == null ? null
                    : TRUNCATED.matcher(c.getMessage());
            if (m != null && m.find()) {
                throw failure.truncated(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(1)));
            }
            if (c instanceof HttpConnectTimeoutException) {
                throw new Unreachable("no connection within " + HubSettings.describe(settings.metadataTimeout()), true);
            }
            if (c instanceof HttpTimeoutException) {
                // The client's own timer (HttpRequest.timeout) fired before ours: the same time-out.
                throw new Unreachable("no complete answer within " + HubSettings.describe(timeout), true);
            }
            throw new Unreachable(reason(c), false);
        }
    }

    private static final java.util.regex.Pattern TRUNCATED =
            java.util.regex.Pattern.compile("fixed content-length: (\\d+), bytes received: (\\d+)");

    /** Why the server could not be reached, in a few words. */
    static String reason(Throwable c) {
        for (Throwable t = c; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return "connection refused";
            }
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return "unknown host";
            }
            if (t instanceof javax.net.ssl.SSLException) {
                return "TLS error: " + t.getMessage();
            }
        }
        return c instanceof IOException && c.getMessage() != null ? c.getMessage() : c.getClass().getSimpleName();
    }

    static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : u.getScheme().toLowerCase(Locale.ROOT).equals("https") ? 443 : 80;
    }

    private static Optional<Long> number(Optional<String> v) {
        try {
            return v.map(s -> Long.parseLong(s.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Long start(HttpHeaders h) {
        Matcher m = CONTENT_RANGE.matcher(h.firstValue("Content-Range").orElse(""));
        return m.find() ? Long.parseLong(m.group(1)) : null;
    }

    private static Long total(HttpHeaders h) {
        Matcher m = CONTENT_RANGE.matcher(h.firstValue("Content-Range").orElse(""));
        return m.find() && !m.group(3).equals("*") ? Long.parseLong(m.group(3)) : null;
    }
}
