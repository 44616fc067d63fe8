package io.vaultcube.pipeline.parse;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The parsers, by kind. Immutable; {@link #standard()} holds every format the project reads. */
public final class ParserRegistry {
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
                new io.vaultcube.pipeline.parse.packer.PackerLogParser(),
                new io.vaultcube.pipeline.parse.packer.PackerManifestParser(),
                new io.vaultcube.pipeline.parse.packer.PackerChecksumParser(),
                new io.vaultcube.pipeline.parse.ansible.AnsibleLogParser(),
                new io.vaultcube.pipeline.parse.ansible.AnsibleJsonParser(),
                new io.vaultcube.pipeline.parse.nvidia.NvidiaSmiQueryParser(),
                new io.vaultcube.pipeline.parse.nvidia.NvidiaSmiQParser(),
                new io.vaultcube.pipeline.parse.nvidia.DmonParser(),
                new io.vaultcube.pipeline.parse.nvidia.TelemetryParser(),
                new io.vaultcube.pipeline.parse.kernel.KernelLogParser(),
                new io.vaultcube.pipeline.parse.bench.DdpResultParser(),
                new io.vaultcube.pipeline.parse.bench.VllmResultParser(),
                new io.vaultcube.pipeline.parse.bench.GpuBurnParser(),
                new io.vaultcube.pipeline.parse.bench.NcclTestsParser(),
                new io.vaultcube.pipeline.parse.bench.DcgmDiagParser(),
                new io.vaultcube.pipeline.parse.bench.TensorflowResultParser(),
                new io.vaultcube.pipeline.parse.bench.StressGpusResultParser(),
                new io.vaultcube.pipeline.parse.inventory.DpkgQueryParser(),
                new io.vaultcube.pipeline.parse.inventory.PipListParser(),
                new io.vaultcube.pipeline.parse.inventory.KernelReleaseParser(),
                new io.vaultcube.pipeline.parse.inventory.NvidiaDriverVersionParser(),
                new io.vaultcube.pipeline.parse.inventory.NvidiaSmiInventoryParser()
        ));
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

    public java.util.Set<String> kinds() {
        return java.util.Collections.unmodifiableSet(byKind.keySet());
    }

    public Collection<EvidenceParser> parsers() {
        return java.util.Collections.unmodifiableCollection(byKind.values());
    }
}
