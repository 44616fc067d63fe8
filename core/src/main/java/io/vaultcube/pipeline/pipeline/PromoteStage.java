package io.vaultcube.pipeline.pipeline;

import io.vaultcube.pipeline.gate.Verdict;
import io.vaultcube.pipeline.image.FileHasher;
import io.vaultcube.pipeline.image.GateReportException;
import io.vaultcube.pipeline.image.ProgressMeter;
import io.vaultcube.pipeline.image.repo.Promoter;
import io.vaultcube.pipeline.image.repo.PromotionRefusedException;
import io.vaultcube.pipeline.image.repo.PromotionRequest;
import io.vaultcube.pipeline.image.repo.PromotionResult;
import io.vaultcube.pipeline.image.repo.RepositoryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code run: promote}: {@code vault promote} of files, decided by a gate stage's report. */
final class PromoteStage implements StageKind<StageSpec.Promote> {
    @Override
    public String id() {
        return "promote";
    }

    @Override
    public Class<StageSpec.Promote> specType() {
        return StageSpec.Promote.class;
    }

    @Override
    public List<String> keys() {
        return List.of("gate", "repo", "image", "version", "channel", "channels", "files", "packer_manifest",
                "allow_unstable");
    }

    @Override
    public StageSpec.Promote read(StageReader in) {
        List<String> gatesSoFar = in.gatesSoFar();
        String gate = in.text("gate", false);
        if (gate == null && gatesSoFar.isEmpty()) {
            in.problem(null, "a promote stage needs an earlier gate stage: its report decides the promotion");
        } else if (gate != null && !gatesSoFar.contains(gate)) {
            in.problem("gate", "gate '" + gate + "' is not an earlier gate stage"
                    + (gatesSoFar.isEmpty() ? "" : " (earlier gates: " + String.join(", ", gatesSoFar) + ")"));
        }
        List<String> channels = new ArrayList<>();
        String one = in.text("channel", false);
        List<String> many = in.textListOrNull("channels");
        if (one != null) {
            channels.add(one);
        }
        if (many != null) {
            channels.addAll(many);
        }
        if (channels.isEmpty()) {
            in.problem(null, "missing key 'channel' (or 'channels'): where the promoted version is published");
        }
        return new StageSpec.Promote(in.name(), in.line(), gate == null && !gatesSoFar.isEmpty()
                ? gatesSoFar.get(gatesSoFar.size() - 1) : gate, in.text("repo", true), in.text("image", true),
                in.text("version", true), channels, in.textList("files", true), in.text("packer_manifest", false),
                in.bool("allow_unstable"));
    }

    @Override
    public void preflight(StageSpec.Promote p, PreflightChecks checks) {
        checks.exists("packer manifest", p.packerManifest() == null || p.packerManifest().contains("${")
                ? null : p.packerManifest(), true);
    }

    /**
     * Promotes the files when the named gate allows it. A refusal for the verdict is the gate's
     * failure, already counted; a promotion that cannot be done (missing files, a version that
     * exists with other content, a full disk) fails the pipeline.
     */
    @Override
    public StageOutcome run(StageSpec.Promote p, PipelineRunner.Context context, Instant started) throws IOException {
        Verdict verdict = context.gates().get(p.gate());
        Path report = context.gateReport(p.gate());
        String target = p.image() + " " + p.version() + " on " + String.join(", ", p.channels());
        if (verdict == null || !Files.isRegularFile(report)) {
            return new StageOutcome(p.name(), p.kind(), "FAILED", true, context.since(started),
                    "gate " + p.gate() + " wrote no report (" + report + "); nothing promoted");
        }
        if (verdict == Verdict.FAILURE || (verdict == Verdict.UNSTABLE && !p.allowUnstable())) {
            String why = "not promoted: the verdict of stage " + p.gate() + " is " + verdict
                    + (verdict == Verdict.UNSTABLE ? " (allow_unstable is false)" : "") + "; " + target + " unchanged";
            context.console().println("vault: " + why);
            // A refusal is an outcome of the repository's like any other: recorded where it exists.
            Promoter.recordRefusal(PromotionRequest.builder(context.path(p.repo()), p.image(), p.version(), report)
                    .build(), null, why, line -> context.console().println("vault: promote: " + line));
            return new StageOutcome(p.name(), p.kind(), "REFUSED", false, context.since(started),
                    why);
        }
        List<Path> files = p.files().stream().map(context::path).toList();
        PromotionRequest.Builder b = PromotionRequest.builder(context.path(p.repo()), p.image(), p.version(), report)
                .files(files).channels(p.channels()).allowUnstable(p.allowUnstable()).checkout(context.workDir())
                .evidence(context.evidence().root());
        if (p.packerManifest() != null) {
            b.packerManifest(context.path(p.packerManifest()));
        }
        try {
            Promoter promoter = new Promoter(new FileHasher(), Runtime.getRuntime().availableProcessors(),
                    ProgressMeter.silent(), line -> context.console().println("vault: promote: " + line),
                    context.processes());
            PromotionResult result = promoter.promote(b.build());
            String where = result.versionDir() + " (" + String.join(", ", p.channels()) + ")";
            String outcome = result.outcome() == PromotionResult.Outcome.CREATED ? "PROMOTED" : "UNCHANGED";
            String detail = outcome.equals("PROMOTED") ? "promoted to " + where
                    : "already promoted with the same files: " + where;
            context.console().println("vault: " + p.image() + " " + p.version() + ": " + detail);
            return new StageOutcome(p.name(), p.kind(), outcome, false, context.since(started),
                    detail);
        } catch (PromotionRefusedException | RepositoryException | GateReportException | IllegalArgumentException e) {
            context.console().println("vault: promote: " + e.getMessage());
            return new StageOutcome(p.name(), p.kind(), "FAILED", true, context.since(started),
                    e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new StageOutcome(p.name(), p.kind(), "ABORTED", true, context.since(started),
                    "aborted while waiting for the repository's lock; nothing promoted");
        }
    }
}
