package dev.llmplan.hub;

import dev.llmplan.engine.LlmplanException;

/**
 * One file of a hub repository, read by byte ranges: from the cache when it holds them, else with
 * an HTTP Range request whose bytes are then cached. At most {@link Hub#MAX_BYTES_PER_FILE} bytes
 * are fetched from one file.
 */
public final class RemoteFile {
    private final Hub hub;
    private final HubRepo repo;
    private final String path;
    private final HubCache.Ref version;
    private long fetched;

    RemoteFile(Hub hub, HubRepo repo, String path, HubCache.Ref version) {
        this.hub = hub;
        this.repo = repo;
        this.path = path;
        this.version = version;
    }

    /** How messages name the file: hf:ORG/NAME[@REV]/PATH. */
    public String name() {
        return repo.ref().label(path);
    }

    public long size() {
        return version.size();
    }

    /** Refuses a read that would take more than the per-file budget from the hub. */
    public void requireReadable(long bytes) {
        if (bytes > Hub.MAX_BYTES_PER_FILE) {
            throw LlmplanException.badData(name() + ": the header needs more than " + Hub.MAX_BYTES_PER_FILE / (1024 * 1024)
                    + " MiB, the most llmplan reads from one hub file (corrupt or unusual file?)");
        }
    }

    /** Bytes [offset, offset + length), clamped to the end of the file. */
    public byte[] read(long offset, int length) {
        if (offset < 0 || length < 0 || offset > size()) {
            throw new IllegalArgumentException("range " + offset + "+" + length + " outside " + name());
        }
        int n = (int) Math.min(length, size() - offset);
        if (n == 0) {
            return new byte[0];
        }
        String repoId = repo.ref().repo();
        byte[] cached = hub.cache().read(repoId, version.etag(), offset, n);
        if (cached != null) {
            return cached;
        }
        requireReadable(fetched + n);
        if (hub.online()) {
            try {
                byte[] data = hub.http().range(repo.fileUrl(path), offset, n, new Failure(name(), repo.ref(), hub.settings(), true));
                fetched += n;
                hub.cache().put(repoId, version.etag(), offset, data);
                return data;
            } catch (HubHttp.Unreachable e) {
                hub.failed(e);
            }
        }
        throw hub.notCached(name(), "bytes " + offset + "-" + (offset + n - 1) + " of this file");
    }
}
