package dev.llmplan.hub;

import dev.llmplan.engine.LlmplanException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Hugging Face Hub as one command run sees it: settings from the environment, the HTTP client
 * (made on first use), the cache, and whether the network has failed already (after one failure
 * every later read is answered from the cache, so a run without network waits at most once).
 * Pure transport: which files to read, and how to parse them, is the caller's business.
 */
public final class Hub {
    /**
     * The most bytes read from one hub file. Headers are far smaller (a safetensors shard of
     * DeepSeek-V3 has a header under 1 MiB; a GGUF header with a 256k-token vocabulary about
     * 6 MiB), so a file that needs more is refused rather than downloaded.
     */
    public static final long MAX_BYTES_PER_FILE = 64L * 1024 * 1024;
    /** The largest file list accepted from the API (repositories with thousands of files stay far below). */
    static final int MAX_LISTING_BYTES = 16 * 1024 * 1024;

    private final HubSettings settings;
    private final HubCache cache;
    private HubHttp http;
    private String unreachable;
    private boolean timedOut;
    private final List<String> notes = new ArrayList<>();

    public Hub(HubSettings settings) {
        this.settings = settings;
        this.cache = new HubCache(settings.cacheDir());
    }

    public static Hub from(Map<String, String> env) {
        return new Hub(HubSettings.from(env));
    }

    public HubSettings settings() {
        return settings;
    }

    /** Things the user should know about how the answer was reached (e.g. read from the cache). */
    public List<String> notes() {
        return List.copyOf(notes);
    }

    public HubRepo repo(HubRef ref) {
        return new HubRepo(this, ref.repository());
    }

    HubCache cache() {
        return cache;
    }

    /** Whether requests may be sent: not offline, and the network has not failed in this run. */
    boolean online() {
        return !settings.offline() && unreachable == null;
    }

    HubHttp http() {
        if (http == null) {
            http = new HubHttp(settings);
        }
        return http;
    }

    /** Records that the network failed; later reads use the cache only. */
    void failed(HubHttp.Unreachable e) {
        if (unreachable == null) {
            unreachable = e.getMessage();
            timedOut = e.timedOut;
            notes.add("cannot reach " + settings.endpoint() + " (" + e.getMessage() + "): read from the cache at "
                    + cache.root());
        }
    }

    /** The error when something is needed that is neither reachable nor cached. */
    LlmplanException notCached(String what, String detail) {
        if (settings.offline()) {
            return LlmplanException.badData(what + ": offline mode is on (HF_HUB_OFFLINE) and " + detail
                    + " is not in the cache (" + cache.root() + "); unset HF_HUB_OFFLINE and run once online");
        }
        String timeout = timedOut ? " (time-outs: HF_HUB_ETAG_TIMEOUT, HF_HUB_DOWNLOAD_TIMEOUT)" : "";
        return LlmplanException.badData(what + ": cannot reach " + settings.endpoint() + " (" + unreachable + ")" + timeout
                + " and " + detail + " is not in the cache; check the network or HTTPS_PROXY, or run once online");
    }
}
