package dev.llmplan.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmplan.engine.LlmplanException;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One model repository at one revision: its file list ({@code GET /api/models/ORG/NAME[/revision/REV]},
 * the "siblings" of huggingface_hub's model_info) and its files ({@code /ORG/NAME/resolve/REV/FILE}).
 */
public final class HubRepo {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Hub hub;
    private final HubRef ref;
    private List<String> files;

    HubRepo(Hub hub, HubRef ref) {
        this.hub = hub;
        this.ref = ref;
    }

    public HubRef ref() {
        return ref;
    }

    /** Every file path in the repository, from the API or the cache. */
    public List<String> files() {
        if (files == null) {
            files = loadFiles();
        }
        return files;
    }

    private List<String> loadFiles() {
        HubCache cache = hub.cache();
        String rev = ref.effectiveRevision();
        if (hub.online()) {
            Failure failure = new Failure(ref.repoLabel(), ref, hub.settings(), false);
            try {
                byte[] body = hub.http().get(apiUrl(), Hub.MAX_LISTING_BYTES, failure);
                List<String> list = parseFiles(body);
                cache.putFiles(ref.repo(), rev, list);
                return list;
            } catch (HubHttp.Unreachable e) {
                hub.failed(e);
            }
        }
        List<String> cached = cache.files(ref.repo(), rev);
        if (cached == null) {
            throw hub.notCached(ref.repoLabel(), "its file list");
        }
        return cached;
    }

    private List<String> parseFiles(byte[] body) {
        try {
            JsonNode root = JSON.readTree(body);
            JsonNode siblings = root == null ? null : root.get("siblings");
            if (siblings == null || !siblings.isArray()) {
                throw LlmplanException.badData(ref.repoLabel() + ": the hub's model info has no file list (siblings)");
            }
            List<String> out = new ArrayList<>();
            for (JsonNode s : siblings) {
                if (s.path("rfilename").isTextual()) {
                    out.add(s.get("rfilename").asText());
                }
            }
            out.sort(null);
            return out;
        } catch (IOException e) {
            throw LlmplanException.badData(ref.repoLabel() + ": the hub's model info is not valid JSON");
        }
    }

    /**
     * A file of the repository, ready for range reads. Online, a HEAD request gives its ETag and
     * size (and records them for offline runs); otherwise the cache must know it.
     */
    public RemoteFile open(String path) {
        HubCache cache = hub.cache();
        String rev = ref.effectiveRevision();
        String what = ref.label(path);
        if (hub.online()) {
            try {
                HubHttp.Meta meta = hub.http().head(fileUrl(path), new Failure(what, ref, hub.settings(), true));
                HubCache.Ref r = new HubCache.Ref(meta.etag(), meta.size());
                cache.putRef(ref.repo(), rev, path, r);
                return new RemoteFile(hub, this, path, r);
            } catch (HubHttp.Unreachable e) {
                hub.failed(e);
            }
        }
        HubCache.Ref r = cache.ref(ref.repo(), rev, path);
        if (r == null) {
            throw hub.notCached(what, "this file");
        }
        return new RemoteFile(hub, this, path, r);
    }

    URI fileUrl(String path) {
        StringBuilder p = new StringBuilder();
        for (String seg : path.split("/")) {
            p.append('/').append(encode(seg));
        }
        return URI.create(hub.settings().endpoint() + "/" + ref.repo() + "/resolve/" + encode(ref.effectiveRevision()) + p);
    }

    private URI apiUrl() {
        return URI.create(hub.settings().endpoint() + "/api/models/" + ref.repo()
                + (ref.revision() == null ? "" : "/revision/" + encode(ref.revision())));
    }

    /** Percent-encodes one path segment (huggingface_hub quotes revisions with safe=""). */
    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
