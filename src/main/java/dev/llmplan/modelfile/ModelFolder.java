package dev.llmplan.modelfile;

import java.io.IOException;
import java.util.List;

/**
 * The files of one model, as {@link ModelFiles} reads them: a local folder, or a folder of a hub
 * repository at one revision. File names are relative to the folder and never contain a separator.
 */
public interface ModelFolder {
    /** How messages and the model's id name the folder (a path, or {@code hf:ORG/NAME}). */
    String name();

    /** The folder's last name segment: the model's name when config.json gives none. */
    String shortName();

    /** How messages name one of its files. */
    String describe(String file);

    /** The names of the regular files directly in the folder, sorted. */
    List<String> files() throws IOException;

    /** Whether {@code file} is a regular file in the folder. */
    boolean isFile(String file) throws IOException;

    /** The bytes of one file, to read whole and parse (config.json, the shard index). */
    ByteSource open(String file) throws IOException;
}
