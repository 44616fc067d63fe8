package io.vaultcube.pipeline.image.attest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultcube.pipeline.version.VersionScheme;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What changed between two promoted versions, read from their SBOMs ({@link Sbom}): the Debian
 * packages, the Python distributions (per environment) and the other components (kernel, NVIDIA
 * driver, VBIOS) that were added, removed, upgraded or downgraded. Debian packages and the other
 * components are ordered by dpkg's rules, Python distributions by PEP 440; a version a scheme
 * cannot read is reported as {@code changed} (different, in no known order) rather than guessed.
 *
 * <p>An SBOM that is not one, or a component without a name or version, is refused with the file
 * named: a diff of a garbled list would report changes that never happened.
 */
public final class PackageDiff {
    /** How one component changed. */
    public enum Kind {
        ADDED, REMOVED, UPGRADED, DOWNGRADED, CHANGED
    }

    /** Where a component comes from: its ecosystem and the order its versions follow. */
    public enum Ecosystem {
        DEB("deb", VersionScheme.DEBIAN), PYPI("pypi", VersionScheme.PEP440), OTHER("other", VersionScheme.DEBIAN);

        private final String id;
        private final VersionScheme scheme;

        Ecosystem(String id, VersionScheme scheme) {
            this.id = id;
            this.scheme = scheme;
        }

        public String id() {
            return id;
        }

        public VersionScheme scheme() {
            return scheme;
        }
    }

    /**
     * One change.
     *
     * @param name the package name ({@code python-ENV:NAME} is not used: see {@code environment})
     * @param environment the Python environment, or null
     * @param architecture the Debian architecture, or null
     * @param from the version before (null when added)
     * @param to the version after (null when removed)
     */
    public record Change(Kind kind, Ecosystem ecosystem, String name, String environment, String architecture,
            String from, String to) {
    }

    /** A component of an SBOM, as the diff keys it. */
    record Entry(Ecosystem ecosystem, String name, String environment, String architecture, String version) {
        String key() {
            return ecosystem.id() + "|" + (environment == null ? "" : environment) + "|" + name + "|"
                    + (architecture == null ? "" : architecture);
        }
    }

    private PackageDiff() {
    }

    /**
     * The changes from {@code before} to {@code after}, sorted by ecosystem, environment and name.
     *
     * @param beforeName and {@code afterName}: the SBOMs' names for messages
     * @throws IOException an SBOM that cannot be read, naming it
     */
    public static List<Change> between(byte[] before, String beforeName, byte[] after, String afterName)
            throws IOException {
        Map<String, Entry> a = entries(before, beforeName);
        Map<String, Entry> b = entries(after, afterName);
        TreeSet<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        List<Change> changes = new ArrayList<>();
        for (String key : keys) {
            Entry x = a.get(key);
            Entry y = b.get(key);
            Entry e = x != null ? x : y;
            if (x == null) {
                changes.add(new Change(Kind.ADDED, e.ecosystem(), e.name(), e.environment(), e.architecture(), null,
                        y.version()));
            } else if (y == null) {
                changes.add(new Change(Kind.REMOVED, e.ecosystem(), e.name(), e.environment(), e.architecture(),
                        x.version(), null));
            } else if (!x.version().equals(y.version())) {
                Kind kind = order(e.ecosystem().scheme(), x.version(), y.version());
                if (kind != null) {
                    changes.add(new Change(kind, e.ecosystem(), e.name(), e.environment(), e.architecture(),
                            x.version(), y.version()));
                }
            }
        }
        return changes;
    }

    /** UPGRADED or DOWNGRADED, CHANGED when the scheme cannot order them, null when equal by the scheme (1.0 and 1.0.0). */
    private static Kind order(VersionScheme scheme, String from, String to) {
        int c;
        try {
            c = scheme.compare(from, to);
        } catch (IllegalArgumentException e) {
            return Kind.CHANGED;
        }
        return c < 0 ? Kind.UPGRADED : c > 0 ? Kind.DOWNGRADED : null;
    }

    static Map<String, Entry> entries(byte[] sbom, String name) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(sbom);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(name + ": not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !"CycloneDX".equals(root.path("bomFormat").asText(null))) {
            throw new IOException(name + ": not a CycloneDX SBOM (no \"bomFormat\": \"CycloneDX\")");
        }
        JsonNode components = root.get("components");
        if (components == null || !components.isArray() || components.isEmpty()) {
            throw new IOException(name + ": the SBOM lists no component");
        }
        Map<String, Entry> entries = new TreeMap<>();
        int i = 0;
        for (JsonNode c : components) {
            String where = name + ": components[" + i++ + "]";
            String n = c.path("name").asText("");
            String v = c.path("version").asText("");
            if (n.isEmpty() || v.isEmpty()) {
                throw new IOException(where + " has no name or no version");
            }
            String purl = c.path("purl").asText("");
            Entry e;
            if (purl.startsWith("pkg:deb/")) {
                int q = purl.indexOf("?arch=");
                String arch = q < 0 ? null : purl.substring(q + "?arch=".length()).split("&", 2)[0];
                e = new Entry(Ecosystem.DEB, n, null, arch, v);
            } else if (purl.startsWith("pkg:pypi/")) {
                String env = null;
                for (JsonNode p : c.path("properties")) {
                    if ("vault:python-environment".equals(p.path("name").asText())) {
                        env = p.path("value").asText(null);
                    }
                }
                if (env == null) {
                    throw new IOException(where + " (" + n + ") names no Python environment (property"
                            + " vault:python-environment)");
                }
                e = new Entry(Ecosystem.PYPI, n, env, null, v);
            } else {
                e = new Entry(Ecosystem.OTHER, n, null, null, v);
            }
            if (entries.putIfAbsent(e.key(), e) != null) {
                throw new IOException(where + ": " + n + " is listed twice");
            }
        }
        return entries;
    }
}
