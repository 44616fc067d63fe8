package io.vaultcube.pipeline.parse;

import io.vaultcube.pipeline.parse.ansible.AnsibleJsonParser;
import io.vaultcube.pipeline.parse.ansible.AnsibleLogParser;
import io.vaultcube.pipeline.parse.bench.DcgmDiagParser;
import io.vaultcube.pipeline.parse.bench.DdpResultParser;
import io.vaultcube.pipeline.parse.bench.GpuBurnParser;
import io.vaultcube.pipeline.parse.bench.NcclTestsParser;
import io.vaultcube.pipeline.parse.bench.StressGpusResultParser;
import io.vaultcube.pipeline.parse.bench.TensorflowResultParser;
import io.vaultcube.pipeline.parse.bench.VllmResultParser;
import io.vaultcube.pipeline.parse.inventory.DpkgQueryParser;
import io.vaultcube.pipeline.parse.inventory.KernelReleaseParser;
import io.vaultcube.pipeline.parse.inventory.NvidiaDriverVersionParser;
import io.vaultcube.pipeline.parse.inventory.NvidiaSmiInventoryParser;
import io.vaultcube.pipeline.parse.inventory.PipListParser;
import io.vaultcube.pipeline.parse.inventory.TorchBuildParser;
import io.vaultcube.pipeline.parse.kernel.KernelLogParser;
import io.vaultcube.pipeline.parse.nvidia.DmonParser;
import io.vaultcube.pipeline.parse.nvidia.NvidiaSmiQParser;
import io.vaultcube.pipeline.parse.nvidia.NvidiaSmiQueryParser;
import io.vaultcube.pipeline.parse.nvidia.TelemetryParser;
import io.vaultcube.pipeline.parse.packer.PackerChecksumParser;
import io.vaultcube.pipeline.parse.packer.PackerLogParser;
import io.vaultcube.pipeline.parse.packer.PackerManifestParser;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The parsers, by kind. Immutable; {@link #standard()} holds every format the project reads. */
public final class ParserRegistry {
    /**
     * Every metric subject with the stage that makes it: the parsers' (docs/metrics.md), and the
     * few the runners write themselves ({@code stress}). The gate's hints and the report's
     * benchmark bars read this list and no other.
     */
    public static final List<Subject> SUBJECTS = List.of(
            new Subject("packer", "packer", false),
            new Subject("ansible", "ansible", false),
            new Subject("inventory", "inventory", false),
            new Subject("gpu", "gpu", false),
            new Subject("xid", "gpu", false),
            new Subject("telemetry", "stress", false),
            new Subject("stress", "stress", false),
            new Subject("ddp", "bench-ddp", true),
            new Subject("vllm", "bench-vllm", true),
            new Subject("tensorflow", "bench-tensorflow", true),
            new Subject("gpu_burn", "stress", true),
            new Subject("stress_gpus", "stress", true),
            new Subject("nccl", null, true),
            new Subject("dcgm", null, true));

    private final Map<String, EvidenceParser> byKind = new LinkedHashMap<>();

    public ParserRegistry(Collection<? extends EvidenceParser> parsers) {
        for (EvidenceParser p : parsers) {
            if (byKind.putIfAbsent(p.kind(), p) != null) {
                throw new IllegalArgumentException("two parsers for kind " + p.kind());
            }
        }
    }

    /** Every parser of the project. */
    public static ParserRegistry standard() {
        return new ParserRegistry(List.of(
                // One entry per format; see docs/metrics.md.
                new PackerLogParser(),
                new PackerManifestParser(),
                new PackerChecksumParser(),
                new AnsibleLogParser(),
                new AnsibleJsonParser(),
                new NvidiaSmiQueryParser(),
                new NvidiaSmiQParser(),
                new DmonParser(),
                new TelemetryParser(),
                new KernelLogParser(),
                new DdpResultParser(),
                new VllmResultParser(),
                new GpuBurnParser(),
                new NcclTestsParser(),
                new DcgmDiagParser(),
                new TensorflowResultParser(),
                new StressGpusResultParser(),
                new DpkgQueryParser(),
                new PipListParser(),
                new TorchBuildParser(),
                new KernelReleaseParser(),
                new NvidiaDriverVersionParser(),
                new NvidiaSmiInventoryParser()
        ));
    }

    /** What is known of a metric subject, if it is one of {@link #SUBJECTS}. */
    public static Optional<Subject> subject(String name) {
        return SUBJECTS.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public Optional<EvidenceParser> find(String kind) {
        return Optional.ofNullable(byKind.get(kind));
    }

    /** The parser of a kind; the exception lists the kinds there are. */
    public EvidenceParser require(String kind) {
        EvidenceParser parser = byKind.get(kind);
        if (parser == null) {
            throw new IllegalArgumentException("no parser for kind '" + kind + "'; known kinds: " + kinds());
        }
        return parser;
    }

    public Set<String> kinds() {
        return Collections.unmodifiableSet(byKind.keySet());
    }

    public Collection<EvidenceParser> parsers() {
        return Collections.unmodifiableCollection(byKind.values());
    }
}
