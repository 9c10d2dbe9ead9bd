package dev.llmplan.request;

import dev.llmplan.hub.HubRepo;
import dev.llmplan.hub.RemoteFile;
import dev.llmplan.modelfile.ByteSource;
import dev.llmplan.modelfile.ModelFolder;

import java.util.ArrayList;
import java.util.List;

/**
 * A folder of a hub repository (its root, or a sub-folder such as {@code Q4_K_M/}) as the model
 * reader sees folders: the hub package moves the bytes, the modelfile package parses them.
 * Files are opened (one HEAD request) only when first read.
 */
final class HubFolder implements ModelFolder {
    private final HubRepo repo;
    /** "" for the repository's root, else "sub/folder/". */
    private final String prefix;

    HubFolder(HubRepo repo, String folder) {
        this.repo = repo;
        this.prefix = folder == null || folder.isEmpty() ? "" : folder.endsWith("/") ? folder : folder + "/";
    }

    @Override
    public String name() {
        return prefix.isEmpty() ? repo.ref().repoLabel() : repo.ref().label(prefix.substring(0, prefix.length() - 1));
    }

    @Override
    public String shortName() {
        String p = prefix.isEmpty() ? repo.ref().repo() : prefix.substring(0, prefix.length() - 1);
        return p.substring(p.lastIndexOf('/') + 1);
    }

    @Override
    public String describe(String file) {
        return repo.ref().label(prefix + file);
    }

    @Override
    public List<String> files() {
        List<String> out = new ArrayList<>();
        for (String f : repo.files()) {
            if (f.startsWith(prefix) && f.indexOf('/', prefix.length()) < 0 && f.length() > prefix.length()) {
                out.add(f.substring(prefix.length()));
            }
        }
        return out;
    }

    @Override
    public boolean isFile(String file) {
        return repo.files().contains(prefix + file);
    }

    @Override
    public ByteSource open(String file) {
        return new Source(file);
    }

    /** One file, opened on first use. */
    private final class Source implements ByteSource {
        private final String file;
        private RemoteFile remote;

        Source(String file) {
            this.file = file;
        }

        private RemoteFile remote() {
            if (remote == null) {
                remote = repo.open(prefix + file);
            }
            return remote;
        }

        @Override
        public String name() {
            return describe(file);
        }

        @Override
        public long size() {
            return remote().size();
        }

        @Override
        public void requireReadable(long bytes) {
            remote().requireReadable(bytes);
        }

        @Override
        public byte[] read(long offset, int length) {
            return remote().read(offset, length);
        }
    }
}
