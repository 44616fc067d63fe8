package io.vaultcube.pipeline.parse.inventory;

import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricName;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.parse.EvidenceParser;
import io.vaultcube.pipeline.parse.LineReader;
import io.vaultcube.pipeline.parse.ParseException;
import io.vaultcube.pipeline.parse.ParseInput;
import io.vaultcube.pipeline.version.DebianVersion;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Debian packages of a system (kind {@code dpkg-query}): the output of
 * {@code dpkg-query -W -f='${db:Status-Abbrev}\t${binary:Package}\t${Version}\t${Architecture}\n'},
 * one package per line, as {@code scripts/collect-inventory.sh} records it.
 *
 * <p>Metrics: {@code inventory.deb[NAME].version} and {@code .arch} for every installed package
 * (status {@code i}), {@code inventory.deb.count}, and {@code inventory.deb.broken}: packages left
 * half-installed, unpacked, half-configured, awaiting or pending triggers, or flagged
 * reinstall-required. NAME is the package name; a name installed for several architectures
 * (multi-arch) is keyed {@code NAME:ARCH} for each of them. Packages removed with their
 * configuration kept ({@code rc}) are not installed and not listed. A line that is not four
 * tab-separated fields, an unknown status, a version dpkg would not accept or a package listed
 * twice is refused with its line.
 */
public final class DpkgQueryParser implements EvidenceParser {
    /** The dpkg-query format this parser reads. */
    public static final String FORMAT = "${db:Status-Abbrev}\\t${binary:Package}\\t${Version}\\t${Architecture}\\n";

    /** One installed package as read. */
    public record Package(String name, String version, String arch, long line) {
    }

    @Override
    public String kind() {
        return "dpkg-query";
    }

    @Override
    public String description() {
        return "dpkg-query -W (status, package, version, architecture): the installed Debian packages";
    }

    @Override
    public MetricSet parse(ParseInput input) throws ParseException, IOException {
        Map<String, List<Package>> byName = new LinkedHashMap<>();
        long broken = 0;
        long lines0 = 0;
        try (LineReader lines = LineReader.open(input)) {
            while (lines.next()) {
                lines0++;
                String line = lines.text();
                String[] f = line.split("\t", -1);
                if (f.length != 4) {
                    throw lines.error("expected 4 tab-separated fields (status, package, version, architecture), found "
                            + f.length + ": " + abbreviate(line));
                }
                String status = f[0];
                if (status.length() < 2 || "uihrp".indexOf(status.charAt(0)) < 0
                        || "ncHUFWti".indexOf(status.charAt(1)) < 0
                        || (status.length() > 2 && " R".indexOf(status.charAt(2)) < 0)) {
                    throw lines.error("not a dpkg status abbreviation: '" + status + "'");
                }
                char state = status.charAt(1);
                boolean reinstRequired = status.length() > 2 && status.charAt(2) == 'R';
                if ("HUFWt".indexOf(state) >= 0 || reinstRequired) {
                    broken++;
                }
                if (state != 'i') {
                    continue;
                }
                String binaryPackage = f[1];
                String arch = f[3];
                int colon = binaryPackage.indexOf(':');
                String name = colon < 0 ? binaryPackage : binaryPackage.substring(0, colon);
                if (!name.matches("[a-z0-9][a-z0-9+.-]+")) {
                    throw lines.error("not a Debian package name: '" + binaryPackage + "'");
                }
                if (arch.isEmpty()) {
                    throw lines.error("package " + name + " has no architecture");
                }
                try {
                    DebianVersion.parse(f[2]);
                } catch (IllegalArgumentException e) {
                    throw lines.error("package " + name + ": " + e.getMessage());
                }
                List<Package> same = byName.computeIfAbsent(name, k -> new ArrayList<>());
                for (Package p : same) {
                    if (p.arch().equals(arch)) {
                        throw lines.error("package " + name + ":" + arch + " is listed twice (also line " + p.line() + ")");
                    }
                }
                same.add(new Package(name, f[2], arch, lines.lineNumber()));
            }
        }
        if (lines0 == 0) {
            throw new ParseException(input.sourceName(), 0, "empty: no package at all (a Debian system has hundreds)");
        }
        MetricSet metrics = new MetricSet();
        MetricName deb = MetricName.root("inventory").child("deb");
        long count = 0;
        for (List<Package> packages : byName.values()) {
            for (Package p : packages) {
                String key = packages.size() == 1 ? p.name() : p.name() + ":" + p.arch();
                MetricName entry = deb.at(key);
                metrics.add(Metric.text(entry.child("version"), p.version(), input.at(p.line())));
                metrics.add(Metric.text(entry.child("arch"), p.arch(), input.at(p.line())));
                count++;
            }
        }
        metrics.add(Metric.number(deb.child("count"), count, null, input.whole()));
        metrics.add(Metric.number(deb.child("broken"), broken, null, input.whole()));
        return metrics;
    }

    static String abbreviate(String line) {
        return line.length() <= 120 ? line : line.substring(0, 117) + "...";
    }
}
