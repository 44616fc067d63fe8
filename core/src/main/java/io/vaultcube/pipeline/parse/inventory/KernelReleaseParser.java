package io.vaultcube.pipeline.parse.inventory;

import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricName;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.parse.EvidenceParser;
import io.vaultcube.pipeline.parse.LineReader;
import io.vaultcube.pipeline.parse.ParseException;
import io.vaultcube.pipeline.parse.ParseInput;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * Kernel releases (kind {@code kernel-release}): {@code uname -r} of a running system (one line), or
 * the directories of an image root's {@code /lib/modules} (one per line, possibly none).
 *
 * <p>Metrics: {@code inventory.kernel.count}; {@code inventory.kernel.release} when there is exactly
 * one (a running system, or an image with one kernel); {@code inventory.kernel[RELEASE].installed}
 * for each. A line with white space or a character a release never has is refused.
 */
public final class KernelReleaseParser implements EvidenceParser {

    @Override
    public String kind() {
        return "kernel-release";
    }

    @Override
    public String description() {
        return "uname -r, or the kernel releases of an image root's /lib/modules";
    }

    @Override
    public MetricSet parse(ParseInput input) throws ParseException, IOException {
        List<String> releases = new ArrayList<>();
        List<Long> at = new ArrayList<>();
        if (Files.size(input.file()) == 0) {
            // An image root without a kernel (a debootstrap tree, a container image): none installed.
            return new MetricSet().add(Metric.number(MetricName.root("inventory").child("kernel").child("count"), 0, null,
                    input.whole()));
        }
        try (LineReader lines = LineReader.open(input)) {
            while (lines.next()) {
                String r = lines.text();
                if (!r.matches("[0-9][A-Za-z0-9._+~-]*")) {
                    throw lines.error("not a kernel release: '" + DpkgQueryParser.abbreviate(r) + "'");
                }
                if (releases.contains(r)) {
                    throw lines.error("kernel " + r + " is listed twice");
                }
                releases.add(r);
                at.add(lines.lineNumber());
            }
        }
        MetricName kernel = MetricName.root("inventory").child("kernel");
        MetricSet metrics = new MetricSet();
        metrics.add(Metric.number(kernel.child("count"), releases.size(), null, input.whole()));
        for (int i = 0; i < releases.size(); i++) {
            metrics.add(Metric.bool(kernel.at(releases.get(i)).child("installed"), true, input.at(at.get(i))));
        }
        if (releases.size() == 1) {
            metrics.add(Metric.text(kernel.child("release"), releases.get(0), input.at(at.get(0))));
        }
        return metrics;
    }
}
