package io.vaultcube.pipeline.parse.inventory;

import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricName;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.parse.EvidenceParser;
import io.vaultcube.pipeline.parse.LineReader;
import io.vaultcube.pipeline.parse.ParseException;
import io.vaultcube.pipeline.parse.ParseInput;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The loaded NVIDIA kernel module (kind {@code nvidia-driver-version}): {@code /proc/driver/nvidia/version},
 * whose first line is {@code NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  580.95.05  Release Build ...}
 * for the open kernel modules and {@code NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.135  ...}
 * for the proprietary one.
 *
 * <p>Metrics: {@code inventory.nvidia_driver.version} and {@code inventory.nvidia_driver.open_kernel_modules}.
 * A file without an {@code NVRM version:} line is refused.
 */
public final class NvidiaDriverVersionParser implements EvidenceParser {
    private static final Pattern NVRM = Pattern.compile(
            "NVRM version: NVIDIA UNIX (Open )?(?:\\S+ )?Kernel Module(?: for \\S+)?\\s+([0-9]+(?:\\.[0-9]+)+)(?:\\s.*)?");

    @Override
    public String kind() {
        return "nvidia-driver-version";
    }

    @Override
    public String description() {
        return "/proc/driver/nvidia/version: the loaded driver's version, open or proprietary kernel modules";
    }

    @Override
    public MetricSet parse(ParseInput input) throws ParseException, IOException {
        try (LineReader lines = LineReader.open(input)) {
            while (lines.next()) {
                String line = lines.text();
                if (!line.startsWith("NVRM version:")) {
                    continue;
                }
                Matcher m = NVRM.matcher(line);
                if (!m.matches()) {
                    throw lines.error("an NVRM version line without a driver version: " + DpkgQueryParser.abbreviate(line));
                }
                MetricName driver = MetricName.root("inventory").child("nvidia_driver");
                MetricSet metrics = new MetricSet();
                metrics.add(Metric.text(driver.child("version"), m.group(2), input.at(lines.lineNumber())));
                metrics.add(Metric.bool(driver.child("open_kernel_modules"), m.group(1) != null,
                        input.at(lines.lineNumber())));
                return metrics;
            }
        }
        throw new ParseException(input.sourceName(), 0, "no 'NVRM version:' line: not /proc/driver/nvidia/version");
    }
}
