package io.vaultcube.pipeline.image.repo.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vaultcube.pipeline.image.ImageJson;
import io.vaultcube.pipeline.image.ImageManifest;
import io.vaultcube.pipeline.image.ManifestJson;
import io.vaultcube.pipeline.image.repo.AuditLog;
import io.vaultcube.pipeline.image.repo.Names;
import io.vaultcube.pipeline.image.repo.RepositoryException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An image repository in an S3 bucket under a prefix (layout: {@link S3Layout}). Nothing is ever
 * overwritten, so nothing depends on conditional writes:
 *
 * <ul>
 *   <li>a version is visible when a commit record {@code versions/VERSION/ATTEMPT.json} exists;
 *       it is written after all of the attempt's data was uploaded and checked. When several
 *       records exist (concurrent promotions), the one the server stored first (its
 *       LastModified, then its key) is the version. Only the holder of the version's first claim
 *       ticket writes one ({@link S3VersionClaims}), so records with different content do not
 *       arise from races; should they exist anyway the version is contested and shown to no
 *       reader (fail closed);</li>
 *   <li>a channel is the newest of its records (greatest stamp);</li>
 *   <li>the audit log is one object per event.</li>
 * </ul>
 */
public final class S3ImageRepository {
    private static final byte[] MARKER_BYTES = ("{\"schema\":\"" + S3Layout.MARKER_SCHEMA + "\"}\n")
            .getBytes(StandardCharsets.UTF_8);
    public static final String CHANNEL_SCHEMA = "vault-s3-channel/1";

    private final S3Store store;
    private final S3Layout layout;

    private S3ImageRepository(S3Store store) {
        this.store = store;
        this.layout = new S3Layout(store.location());
    }

    /** Opens an existing repository; refuses a missing bucket and a prefix that is not a repository. */
    public static S3ImageRepository open(S3Store store) throws RepositoryException {
        store.checkBucket();
        S3ImageRepository repo = new S3ImageRepository(store);
        if (store.get(repo.layout.marker()) == null) {
            throw new RepositoryException(store.location() + " is not a vault image repository (no "
                    + S3Layout.MARKER + ")");
        }
        return repo;
    }

    /**
     * Opens the repository, creating its marker when the prefix holds nothing; a prefix with other
     * objects is refused, so a mistyped --repo never scatters images into it.
     */
    public static S3ImageRepository openOrCreate(S3Store store) throws RepositoryException {
        store.checkBucket();
        S3ImageRepository repo = new S3ImageRepository(store);
        if (store.get(repo.layout.marker()) != null) {
            return repo;
        }
        List<S3Object> any = store.list(repo.layout.root());
        // A concurrent creator may have written the marker between the two reads.
        if (any.stream().anyMatch(o -> o.key().equals(repo.layout.marker()))) {
            return repo;
        }
        // Directory entries are not objects: S3Proxy's filesystem backend lists "PREFIX/" as soon as a
        // concurrent creator's PUT of the marker made the directory, before the marker is there.
        if (any.stream().anyMatch(o -> !o.key().endsWith("/"))) {
            throw new RepositoryException(store.location() + " is not empty and is not a vault image repository (no "
                    + S3Layout.MARKER + "); refusing to write into it");
        }
        // Constant bytes: two creators racing write the same object, which changes nothing.
        store.put(repo.layout.marker(), MARKER_BYTES);
        return repo;
    }

    public S3Store store() {
        return store;
    }

    public S3Layout layout() {
        return layout;
    }

    public S3Location location() {
        return store.location();
    }

    /** Image names, sorted. */
    public List<String> images() throws RepositoryException {
        List<String> names = new ArrayList<>();
        for (String name : store.children(layout.root())) {
            if (Names.isImage(name)) {
                names.add(name);
            }
        }
        Collections.sort(names);
        return names;
    }

    /** One commit record of a version. */
    public record Commit(String key, String attempt, Instant modified) {
    }

    /** The commit records of every version of an image, by version, each list in winning order. */
    public Map<String, List<Commit>> commits(String image) throws RepositoryException {
        Map<String, List<Commit>> byVersion = new TreeMap<>();
        String prefix = layout.versions(Names.image(image));
        for (S3Object o : store.list(prefix)) {
            String rest = o.key().substring(prefix.length());
            int slash = rest.indexOf('/');
            if (slash < 0) {
                continue;
            }
            String version = rest.substring(0, slash);
            String name = rest.substring(slash + 1);
            if (!Names.isVersion(version) || !name.endsWith(S3Layout.JSON)
                    || !S3Layout.isStamp(S3Layout.baseName(name)) || name.contains("/")) {
                continue;
            }
            byVersion.computeIfAbsent(version, v -> new ArrayList<>())
                    .add(new Commit(o.key(), S3Layout.baseName(name), S3Store.modified(o)));
        }
        byVersion.values().forEach(list -> list.sort(WINNING_ORDER));
        return byVersion;
    }

    /** First stored first: the server's time, then the key. */
    static final Comparator<Commit> WINNING_ORDER = Comparator.comparing(Commit::modified).thenComparing(Commit::key);

    /**
     * A visible version: its winning commit record and the manifest it holds.
     *
     * @param others the other commit records (duplicates of the same content, or losers)
     */
    public record Version(String image, String version, Commit commit, byte[] manifestBytes, ImageManifest manifest,
            List<Commit> others) {
        public String attempt() {
            return commit.attempt();
        }
    }

    /**
     * The version, or null when no commit record exists. An unreadable winning record is an error,
     * and so is a contested version ({@link ContestedVersionException}).
     */
    public Version version(String image, String version) throws IOException {
        List<Commit> commits = commits(image).get(Names.version(version));
        return commits == null ? null : resolve(image, version, commits);
    }

    Version resolve(String image, String version, List<Commit> commits) throws IOException {
        Commit winner = commits.get(0);
        byte[] bytes = store.get(winner.key());
        if (bytes == null) {
            // Removed between the listing and now (gc, or a losing promoter cleaning up): look again.
            List<Commit> now = commits(image).get(version);
            if (now == null || now.equals(commits)) {
                return null;
            }
            return resolve(image, version, now);
        }
        ImageManifest manifest = ManifestJson.read(bytes, location() + "/" + location().relative(winner.key()));
        if (!manifest.name().equals(image) || !manifest.version().equals(version)) {
            throw new IOException(location() + "/" + location().relative(winner.key()) + " is the manifest of "
                    + manifest.name() + " " + manifest.version() + ", not of " + image + " " + version);
        }
        for (Commit other : commits.subList(1, commits.size())) {
            byte[] theirs = store.get(other.key());
            if (theirs == null) {
                continue;
            }
            ImageManifest m;
            try {
                m = ManifestJson.read(theirs, other.key());
            } catch (IOException e) {
                continue; // not a manifest: never a competing content
            }
            if (!S3Verifier.sameContent(m.files(), manifest.files())) {
                throw new ContestedVersionException(image + "/" + version + " is contested: commit records "
                        + winner.attempt() + " and " + other.attempt() + " hold different files (concurrent promotions);"
                        + " it is shown to no reader until the losing promoter removes its record");
            }
        }
        return new Version(image, version, winner, bytes, manifest, List.copyOf(commits.subList(1, commits.size())));
    }

    /** The versions of an image, newest first (by the manifests' creation time, then name). */
    public List<Version> versionsNewestFirst(String image, Consumer<String> problems) throws RepositoryException {
        List<Version> versions = new ArrayList<>();
        for (Map.Entry<String, List<Commit>> e : commits(image).entrySet()) {
            try {
                Version v = resolve(image, e.getKey(), e.getValue());
                if (v != null) {
                    versions.add(v);
                }
            } catch (RepositoryException ex) {
                throw ex;
            } catch (IOException ex) {
                problems.accept(image + "/" + e.getKey() + ": " + ex.getMessage());
            }
        }
        versions.sort((a, b) -> {
            int byTime = b.manifest().created().compareTo(a.manifest().created());
            return byTime != 0 ? byTime : b.version().compareTo(a.version());
        });
        return versions;
    }

    /** A channel's newest record. */
    public record Channel(String name, String version, String attempt, String stamp, String key) {
    }

    /** Every channel of an image with its newest record, sorted by channel. */
    public Map<String, Channel> channels(String image) throws IOException {
        String prefix = layout.channels(Names.image(image));
        Map<String, S3Object> newest = new TreeMap<>();
        for (S3Object o : store.list(prefix)) {
            String rest = o.key().substring(prefix.length());
            int slash = rest.indexOf('/');
            if (slash < 0) {
                continue;
            }
            String channel = rest.substring(0, slash);
            String name = rest.substring(slash + 1);
            if (!Names.isChannel(channel) || !name.endsWith(S3Layout.JSON) || !S3Layout.isStamp(S3Layout.baseName(name))) {
                continue;
            }
            S3Object before = newest.get(channel);
            if (before == null || before.key().compareTo(o.key()) < 0) {
                newest.put(channel, o);
            }
        }
        Map<String, Channel> channels = new TreeMap<>();
        for (Map.Entry<String, S3Object> e : newest.entrySet()) {
            Channel c = readChannel(e.getKey(), e.getValue().key());
            if (c != null) {
                channels.put(e.getKey(), c);
            }
        }
        return channels;
    }

    /** The channel's newest record, or null when it has none. */
    public Channel channel(String image, String channel) throws IOException {
        String prefix = layout.channelRecords(Names.image(image), Names.channel(channel));
        String newest = null;
        for (S3Object o : store.list(prefix)) {
            String name = o.key().substring(prefix.length());
            if (name.endsWith(S3Layout.JSON) && S3Layout.isStamp(S3Layout.baseName(name))
                    && (newest == null || newest.compareTo(o.key()) < 0)) {
                newest = o.key();
            }
        }
        return newest == null ? null : readChannel(channel, newest);
    }

    private Channel readChannel(String channel, String key) throws IOException {
        byte[] bytes = store.get(key);
        if (bytes == null) {
            return null;
        }
        JsonNode node = ImageJson.parseObject(bytes, location() + "/" + location().relative(key));
        String version = node.path("version").asText(null);
        if (!CHANNEL_SCHEMA.equals(node.path("schema").asText()) || version == null || !Names.isVersion(version)
                || !channel.equals(node.path("channel").asText())) {
            throw new IOException(location() + "/" + location().relative(key) + ": not a " + CHANNEL_SCHEMA
                    + " record of channel " + channel);
        }
        return new Channel(channel, version, node.path("attempt").asText(null), S3Layout.baseName(key), key);
    }

    /** Appends one audit event as an object of its own. */
    public void audit(ObjectNode entry) throws RepositoryException {
        ObjectNode line = ImageJson.mapper().createObjectNode();
        line.put("schema", AuditLog.SCHEMA);
        line.setAll(entry);
        store.put(layout.audit() + S3Layout.stamp(Instant.now()) + S3Layout.JSON,
                (ImageJson.writeLine(line) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Every audit event, oldest first; unreadable ones are reported and skipped. */
    public List<JsonNode> auditEntries(Consumer<String> problems) throws RepositoryException {
        List<JsonNode> entries = new ArrayList<>();
        for (S3Object o : store.list(layout.audit())) {
            byte[] bytes = store.get(o.key());
            if (bytes == null) {
                continue;
            }
            try {
                JsonNode node = ImageJson.parseObject(bytes, location() + "/" + location().relative(o.key()));
                if (!AuditLog.SCHEMA.equals(node.path("schema").asText())) {
                    problems.accept(location() + "/" + location().relative(o.key()) + ": not a " + AuditLog.SCHEMA + " entry");
                    continue;
                }
                entries.add(node);
            } catch (IOException e) {
                problems.accept(e.getMessage());
            }
        }
        return entries;
    }
}
