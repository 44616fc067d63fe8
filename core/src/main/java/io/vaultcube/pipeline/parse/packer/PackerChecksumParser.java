package io.vaultcube.pipeline.parse.packer;

import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricName;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.parse.EntityKeys;
import io.vaultcube.pipeline.parse.EvidenceParser;
import io.vaultcube.pipeline.parse.LineReader;
import io.vaultcube.pipeline.parse.ParseException;
import io.vaultcube.pipeline.parse.ParseInput;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The checksum post-processor's file (kind {@code packer-checksum}): one {@code HEX<TAB>BASENAME}
 * line per artifact file (post-processor/checksum/post-processor.go writes {@code "%x\t%s\n"}).
 * GNU {@code sha256sum} lines ({@code HEX  NAME}, {@code HEX *NAME}) are read too. Packer opens the
 * file with O_APPEND, so re-runs accumulate lines: the last line for a name is the current digest.
 * The algorithm follows from the digest length; one file holds one algorithm.
 */
public final class PackerChecksumParser implements EvidenceParser {
    /** A checksum file names a handful of files; more than this is not one. */
    static final int MAX_FILES = 100_000;

    @Override
    public String kind() {
        return "packer-checksum";
    }

    @Override
    public String description() {
        return "packer checksum post-processor file (HEX<TAB>NAME lines): digest per artifact file";
    }

    private record Entry(String digest, long line) {
    }

    @Override
    public MetricSet parse(ParseInput input) throws ParseException, IOException {
        Map<String, Entry> byName = new LinkedHashMap<>();
        String algorithm = null;
        long algorithmLine = 0;
        long entries = 0;
        try (LineReader lines = LineReader.open(input)) {
            while (lines.next()) {
                if (lines.isBlank()) {
                    continue;
                }
                String line = lines.text();
                int hexEnd = 0;
                while (hexEnd < line.length() && isHex(line.charAt(hexEnd))) {
                    hexEnd++;
                }
                String algo = algorithm(hexEnd);
                if (algo == null || hexEnd == line.length()) {
                    throw lines.error("not a checksum line (HEX<TAB>NAME with an md5/sha1/sha224/sha256/sha384/"
                            + "sha512 digest): " + PackerLogParser.abbreviate(line));
                }
                int nameStart;
                char sep = line.charAt(hexEnd);
                if (sep == '\t') {
                    nameStart = hexEnd + 1;
                } else if (sep == ' ' && hexEnd + 1 < line.length()
                        && (line.charAt(hexEnd + 1) == ' ' || line.charAt(hexEnd + 1) == '*')) {
                    nameStart = hexEnd + 2;
                } else {
                    throw lines.error("the digest must be followed by a TAB (packer) or two characters '  ' or ' *' (GNU)");
                }
                String name = EntityKeys.check(line.substring(nameStart), "the file name", input.sourceName(),
                        lines.lineNumber());
                if (algorithm == null) {
                    algorithm = algo;
                    algorithmLine = lines.lineNumber();
                } else if (!algorithm.equals(algo)) {
                    throw lines.error("a " + algo + " digest in a file of " + algorithm + " digests (line " + algorithmLine + ")");
                }
                byName.remove(name); // keep the order of the latest entries
                byName.put(name, new Entry(line.substring(0, hexEnd).toLowerCase(Locale.ROOT), lines.lineNumber()));
                if (byName.size() > MAX_FILES) {
                    throw lines.error("more than " + MAX_FILES + " file names: not a checksum file");
                }
                entries++;
            }
            if (entries == 0) {
                throw lines.errorAtEnd("no checksum line, only blank lines");
            }
        }
        MetricSet metrics = new MetricSet();
        // Derived from the digests' length: cites the file.
        metrics.add(Metric.text("packer.checksum.algorithm", algorithm, input.whole()));
        metrics.add(Metric.number("packer.checksum.entries", entries, null, input.whole()));
        metrics.add(Metric.number("packer.checksum.files", byName.size(), null, input.whole()));
        for (Map.Entry<String, Entry> e : byName.entrySet()) {
            MetricName name = MetricName.root("packer").child("checksum").child("file").at(e.getKey()).child(algorithm);
            metrics.add(Metric.text(name, e.getValue().digest(), input.at(e.getValue().line())));
        }
        return metrics;
    }

    private static boolean isHex(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    private static String algorithm(int hexLength) {
        switch (hexLength) {
            case 32:
                return "md5";
            case 40:
                return "sha1";
            case 56:
                return "sha224";
            case 64:
                return "sha256";
            case 96:
                return "sha384";
            case 128:
                return "sha512";
            default:
                return null;
        }
    }
}
