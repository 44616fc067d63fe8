package io.vaultcube.jenkins.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The image {@code vaultPromote} published in this build, as {@code build.xml} keeps it: plain
 * fields (XStream writes them as they are; no records, no immutable JDK collections).
 */
public final class PromotedImage {
    private final String image;
    private final String version;
    private final String channels;
    private final String repository;
    private final String outcome;
    private final ArrayList<File> files;

    public PromotedImage(String image, String version, List<String> channels, String repository, String outcome,
            List<File> files) {
        this.image = image;
        this.version = version;
        this.channels = String.join(", ", channels);
        this.repository = repository;
        this.outcome = outcome;
        this.files = new ArrayList<>(files);
    }

    /** One file of the version with its SHA-256, as the manifest and {@code SHA256SUMS} say. */
    public static final class File {
        private final String name;
        private final long size;
        private final String sha256;

        public File(String name, long size, String sha256) {
            this.name = name;
            this.size = size;
            this.sha256 = sha256;
        }

        public String getName() {
            return name;
        }

        public long getSize() {
            return size;
        }

        public String getSha256() {
            return sha256;
        }
    }

    public String getImage() {
        return image;
    }

    public String getVersion() {
        return version;
    }

    public String getChannels() {
        return channels;
    }

    public String getRepository() {
        return repository;
    }

    /** PROMOTED, UNCHANGED or CHANNELS_ONLY. */
    public String getOutcome() {
        return outcome;
    }

    public List<File> getFiles() {
        return files == null ? List.of() : files;
    }
}
