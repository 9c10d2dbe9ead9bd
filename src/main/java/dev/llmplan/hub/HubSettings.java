package dev.llmplan.hub;

import dev.llmplan.engine.LlmplanException;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How to reach the hub, read from the environment variables huggingface_hub itself reads
 * (huggingface_hub {@code constants.py}): HF_ENDPOINT, HF_TOKEN (else the token file at
 * HF_TOKEN_PATH or $HF_HOME/token), HF_HUB_OFFLINE, HF_HUB_ETAG_TIMEOUT and HF_HUB_DOWNLOAD_TIMEOUT;
 * proxies from HTTPS_PROXY / HTTP_PROXY / NO_PROXY. The cache is llmplan's own, under
 * $XDG_CACHE_HOME/llmplan/hub.
 *
 * @param endpoint        the hub's base URL, without a trailing slash
 * @param token           a bearer token, or null
 * @param tokenSource     where the token came from (for messages), or null
 * @param offline         HF_HUB_OFFLINE: never touch the network
 * @param cacheDir        where byte ranges are kept
 * @param metadataTimeout connecting, and each metadata request (HEAD, file list)
 * @param downloadTimeout each range or file request, from sending it to its last byte
 */
public record HubSettings(String endpoint, String token, String tokenSource, boolean offline, Path cacheDir,
                          Duration metadataTimeout, Duration downloadTimeout, Map<String, String> env) {
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";
    /** huggingface_hub's defaults for HF_HUB_ETAG_TIMEOUT and HF_HUB_DOWNLOAD_TIMEOUT: 10 seconds each. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** huggingface_hub constants._is_true. */
    private static final Set<String> TRUE = Set.of("1", "ON", "YES", "TRUE");

    public static HubSettings from(Map<String, String> env) {
        String endpoint = nonBlank(env.get("HF_ENDPOINT"));
        endpoint = endpoint == null ? DEFAULT_ENDPOINT : endpoint.replaceAll("/+$", "");
        try {
            URI u = URI.create(endpoint);
            if (!"https".equalsIgnoreCase(u.getScheme()) && !"http".equalsIgnoreCase(u.getScheme()) || u.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            throw LlmplanException.invalid("HF_ENDPOINT '" + endpoint + "' is not an http(s) URL such as " + DEFAULT_ENDPOINT);
        }
        String token = nonBlank(env.get("HF_TOKEN"));
        String source = token == null ? null : "HF_TOKEN";
        if (token == null) {
            token = nonBlank(env.get("HUGGING_FACE_HUB_TOKEN"));
            source = token == null ? null : "HUGGING_FACE_HUB_TOKEN";
        }
        if (token == null) {
            Path file = tokenFile(env);
            token = readToken(file);
            source = token == null ? null : file.toString();
        }
        boolean offline = isTrue(env.get("HF_HUB_OFFLINE"));
        return new HubSettings(endpoint, token, source, offline, cacheDir(env),
                seconds(env, "HF_HUB_ETAG_TIMEOUT"), seconds(env, "HF_HUB_DOWNLOAD_TIMEOUT"), Map.copyOf(env));
    }

    static boolean isTrue(String value) {
        return value != null && TRUE.contains(value.trim().toUpperCase(Locale.ROOT));
    }

    /** HF_TOKEN_PATH, else $HF_HOME/token; HF_HOME defaults to $XDG_CACHE_HOME/huggingface, else ~/.cache/huggingface. */
    static Path tokenFile(Map<String, String> env) {
        String explicit = nonBlank(env.get("HF_TOKEN_PATH"));
        if (explicit != null) {
            return Path.of(expandHome(explicit, env));
        }
        String hfHome = nonBlank(env.get("HF_HOME"));
        Path home = hfHome != null ? Path.of(expandHome(hfHome, env)) : cacheBase(env).resolve("huggingface");
        return home.resolve("token");
    }

    /** $XDG_CACHE_HOME/llmplan/hub, else ~/.cache/llmplan/hub. */
    public static Path cacheDir(Map<String, String> env) {
        return cacheBase(env).resolve("llmplan").resolve("hub");
    }

    private static Path cacheBase(Map<String, String> env) {
        String xdg = nonBlank(env.get("XDG_CACHE_HOME"));
        return xdg != null ? Path.of(xdg) : Path.of(home(env), ".cache");
    }

    static String home(Map<String, String> env) {
        String home = nonBlank(env.get("HOME"));
        return home != null ? home : System.getProperty("user.home");
    }

    private static String expandHome(String p, Map<String, String> env) {
        return p.equals("~") || p.startsWith("~/") ? home(env) + p.substring(1) : p;
    }

    private static String readToken(Path file) {
        try {
            if (Files.isRegularFile(file) && Files.size(file) < 4096) {
                return nonBlank(Files.readString(file, StandardCharsets.UTF_8).trim());
            }
        } catch (IOException | RuntimeException e) {
            // An unreadable token file is as good as none: public repositories still work.
        }
        return null;
    }

    private static Duration seconds(Map<String, String> env, String key) {
        String v = nonBlank(env.get(key));
        if (v == null) {
            return DEFAULT_TIMEOUT;
        }
        try {
            double s = Double.parseDouble(v.trim());
            if (s > 0 && s <= 3600) {
                return Duration.ofMillis(Math.round(s * 1000));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw LlmplanException.invalid(key + " '" + v + "' must be a number of seconds between 0 and 3600");
    }

    private static String nonBlank(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** A time-out as messages state it, e.g. "10 s". */
    static String describe(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
