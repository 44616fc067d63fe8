package io.vaultcube.pipeline.image.repo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vaultcube.pipeline.image.ImageJson;
import io.vaultcube.pipeline.image.ImageManifest;
import io.vaultcube.pipeline.image.ManifestJson;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A promotion repository on a local or mounted filesystem (layout: {@link RepositoryLayout}).
 *
 * <p>Readers take no lock: a version directory appears by one rename when it is complete and
 * leaves by one rename before it is deleted, and a channel is a symlink replaced by one rename,
 * so a reader sees a complete version or none. Writers of one image hold that image's lock.
 */
public final class ImageRepository {
    private final RepositoryLayout layout;

    private ImageRepository(RepositoryLayout layout) {
        this.layout = layout;
    }

    /** Opens an existing repository; refuses a directory that is not one. */
    public static ImageRepository open(Path root) throws IOException {
        RepositoryLayout layout = new RepositoryLayout(root);
        if (!Files.isDirectory(layout.root())) {
            throw new NoSuchFileException(layout.root().toString(), null, "no such repository directory");
        }
        Fs.refuseLinks(layout.root(), layout.marker());
        if (!Files.isRegularFile(layout.marker(), LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(layout.root() + " is not a vault image repository (no " + RepositoryLayout.META + "/"
                    + RepositoryLayout.MARKER + ")");
        }
        return new ImageRepository(layout);
    }

    /**
     * Opens the repository, creating it when the directory is missing or empty. A directory with
     * other contents is refused, so a mistyped --repo never scatters images into it.
     */
    public static ImageRepository openOrCreate(Path root) throws IOException {
        RepositoryLayout layout = new RepositoryLayout(root);
        Fs.refuseLinks(layout.root(), layout.marker());
        if (Files.isRegularFile(layout.marker(), LinkOption.NOFOLLOW_LINKS)) {
            return new ImageRepository(layout);
        }
        if (Files.exists(layout.root()) && !Files.isDirectory(layout.root())) {
            throw new NotDirectoryException(layout.root().toString());
        }
        if (Files.isDirectory(layout.root())) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(layout.root())) {
                for (Path entry : entries) {
                    if (!entry.getFileName().toString().startsWith(".")) {
                        throw new RepositoryException(layout.root() + " is not empty and is not a vault image repository"
                                + " (no " + RepositoryLayout.META + "/" + RepositoryLayout.MARKER + "); refusing to write"
                                + " into it");
                    }
                }
            }
        }
        Fs.createDirectories(layout.meta());
        ObjectNode marker = ImageJson.mapper().createObjectNode();
        marker.put("schema", RepositoryLayout.MARKER_SCHEMA);
        marker.put("created", Instant.now().toString());
        // Concurrent creators each rename a complete marker into place: any of them is fine.
        Fs.writeAtomically(layout.marker(), ImageJson.write(marker));
        return new ImageRepository(layout);
    }

    public RepositoryLayout layout() {
        return layout;
    }

    public Path root() {
        return layout.root();
    }

    public AuditLog auditLog() {
        return new AuditLog(layout);
    }

    /** Image names, sorted. */
    public List<String> images() throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(layout.root())) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (Names.isImage(name) && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    names.add(name);
                }
            }
        }
        Collections.sort(names);
        return names;
    }

    /** The version directories of an image, sorted by name (empty when the image has none). */
    public List<String> versions(String image) throws IOException {
        Path dir = layout.image(Names.image(image));
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return names;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (Names.isVersion(name) && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    names.add(name);
                }
            }
        }
        Collections.sort(names);
        return names;
    }

    /**
     * The channels of an image and the version each points to (the link's target as written when it
     * is not {@code ../VERSION}), sorted by channel.
     */
    public Map<String, String> channels(String image) throws IOException {
        Path dir = layout.channels(Names.image(image));
        Map<String, String> channels = new TreeMap<>();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || !Files.isDirectory(dir.getParent(), LinkOption.NOFOLLOW_LINKS)) {
            return channels;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!Names.isChannel(name)) {
                    continue;
                }
                channels.put(name, channelTarget(entry));
            }
        }
        return channels;
    }

    /** The version a channel points to, or null when there is no such channel. */
    public String channel(String image, String channel) throws IOException {
        Path link = layout.channel(Names.image(image), Names.channel(channel));
        if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        return channelTarget(link);
    }

    static String channelTarget(Path link) throws IOException {
        if (!Files.isSymbolicLink(link)) {
            return "(not a symlink)";
        }
        String target = Files.readSymbolicLink(link).toString();
        if (target.startsWith("../") && Names.isVersion(target.substring(3))) {
            return target.substring(3);
        }
        return target;
    }

    public ImageManifest manifest(String image, String version) throws IOException {
        Path file = layout.version(Names.image(image), Names.version(version)).resolve(RepositoryLayout.MANIFEST);
        Fs.refuseLinks(layout.root(), file);
        return ManifestJson.read(Fs.readNoFollow(file), file.toString());
    }

    /**
     * The version names of an image, newest first (by the manifests' creation time, then name);
     * versions whose manifest cannot be read are left out and reported.
     */
    public List<ImageManifest> manifestsNewestFirst(String image, Consumer<String> problems) throws IOException {
        List<ImageManifest> manifests = new ArrayList<>();
        for (String version : versions(image)) {
            try {
                manifests.add(manifest(image, version));
            } catch (IOException e) {
                problems.accept(image + "/" + version + ": " + e.getMessage());
            }
        }
        manifests.sort((a, b) -> {
            int byTime = b.created().compareTo(a.created());
            return byTime != 0 ? byTime : b.version().compareTo(a.version());
        });
        return manifests;
    }

    /** Takes the writer lock of an image and cleans what a crashed writer left. */
    WriterSession lockForWriting(String image, Duration timeout, Consumer<String> log)
            throws IOException, InterruptedException {
        refuseLinks(image);
        Fs.createDirectories(layout.locks());
        RepositoryLock lock = RepositoryLock.acquire(layout.imageLock(image), timeout, log);
        try {
            cleanStale(image, log);
            return new WriterSession(this, image, lock, timeout, log);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * Every path a writer of this image creates, renames, deletes or writes must be the
     * repository's own: a link planted at any of them is refused before anything is touched.
     */
    private void refuseLinks(String image) throws IOException {
        for (Path path : List.of(layout.marker(), layout.imageLock(image), layout.staging(image), layout.trash(image),
                layout.channels(image), layout.auditLock(), layout.auditLog())) {
            Fs.refuseLinks(layout.root(), path);
        }
        Fs.refuseHardLinks(layout.auditLog());
    }

    /** Under the image lock: whatever staging, trash or temporary links exist belong to a writer that died. */
    private void cleanStale(String image, Consumer<String> log) throws IOException {
        refuseLinks(image); // again under the lock: a link planted while it was awaited
        for (Path dir : List.of(layout.staging(image), layout.trash(image))) {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            boolean any = false;
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path entry : entries) {
                    log.accept("removing " + entry + " (left by an interrupted promotion or gc)");
                    Fs.deleteTree(entry);
                    any = true;
                }
            }
            if (any) {
                Fs.fsyncDirectory(dir);
            }
        }
        Path channels = layout.channels(image);
        if (Files.isDirectory(channels, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(channels, ".*.tmp-*")) {
                for (Path entry : entries) {
                    Files.deleteIfExists(entry);
                }
            }
        }
    }

    /** Held while writing one image: the lock, plus the audit reconciliation done once per session. */
    static final class WriterSession implements AutoCloseable {
        final ImageRepository repository;
        final String image;
        final RepositoryLock lock;
        final Duration timeout;
        final Consumer<String> log;

        WriterSession(ImageRepository repository, String image, RepositoryLock lock, Duration timeout,
                Consumer<String> log) {
            this.repository = repository;
            this.image = image;
            this.lock = lock;
            this.timeout = timeout;
            this.log = log;
        }

        void audit(ObjectNode entry) throws IOException, InterruptedException {
            repository.auditLog().append(entry, timeout, log);
        }

        /**
         * Records in the audit log what a writer that crashed after changing the repository but
         * before appending its entry did: versions that no entry created, channels whose target
         * differs from the last entry that moved them. The manifest says who made the version.
         */
        void reconcileAudit(Actor actor) throws IOException, InterruptedException {
            List<JsonNode> entries = repository.auditLog().read(p -> { });
            Set<String> created = new HashSet<>();
            Map<String, String> channelTargets = new HashMap<>();
            for (JsonNode e : entries) {
                if (!image.equals(e.path("image").asText())) {
                    continue;
                }
                String version = e.path("version").asText(null);
                String action = e.path("action").asText();
                String outcome = e.path("outcome").asText();
                if (version != null && ("created".equals(outcome) || "recovered".equals(outcome))
                        && ("promote".equals(action) || "recover".equals(action))) {
                    created.add(version);
                }
                if (version != null && "removed".equals(outcome)) {
                    created.remove(version);
                }
                for (JsonNode move : e.path("channels")) {
                    channelTargets.put(move.path("name").asText(), move.path("to").asText(null));
                }
            }
            for (String version : repository.versions(image)) {
                if (created.contains(version)) {
                    continue;
                }
                ObjectNode entry = Audit.entry(actor, "recover", image, version, "recovered");
                try {
                    ImageManifest m = repository.manifest(image, version);
                    entry.put("note", "version completed by a promotion that stopped before writing its audit entry");
                    entry.put("promotedBy", m.promotedBy().user() + "@" + m.promotedBy().host());
                    entry.put("promoted", m.created().toString());
                    entry.put("gateVerdict", m.gate().verdict().name());
                    entry.put("gateReportSha256", m.gate().reportSha256());
                    Audit.files(entry, m.files());
                } catch (IOException e) {
                    entry.put("note", "version without audit entry; its manifest is unreadable: " + e.getMessage());
                }
                log.accept("audit: recording " + image + "/" + version + ", promoted by an interrupted run");
                audit(entry);
            }
            for (Map.Entry<String, String> channel : repository.channels(image).entrySet()) {
                String recorded = channelTargets.get(channel.getKey());
                if (!channel.getValue().equals(recorded)) {
                    ObjectNode entry = Audit.entry(actor, "recover", image, channel.getValue(), "recovered");
                    entry.put("note", "channel moved by a promotion that stopped before writing its audit entry");
                    Audit.channels(entry, List.of(new ChannelMove(channel.getKey(), recorded, channel.getValue())));
                    log.accept("audit: recording channel " + channel.getKey() + " -> " + channel.getValue()
                            + ", moved by an interrupted run");
                    audit(entry);
                }
            }
        }

        @Override
        public void close() throws IOException {
            lock.close();
        }
    }
}
