package io.vaultcube.pipeline.pipeline;

import io.vaultcube.pipeline.evidence.StageEvidence;
import io.vaultcube.pipeline.image.attest.AttestationRequest;
import io.vaultcube.pipeline.image.attest.SshSignature;
import java.util.LinkedHashMap;
import java.util.Map;

import io.vaultcube.pipeline.gate.Verdict;
import io.vaultcube.pipeline.image.FileHasher;
import io.vaultcube.pipeline.image.GateReportException;
import io.vaultcube.pipeline.image.ProgressMeter;
import io.vaultcube.pipeline.image.repo.Promoter;
import io.vaultcube.pipeline.image.repo.PromotionRefusedException;
import io.vaultcube.pipeline.image.repo.PromotionRequest;
import io.vaultcube.pipeline.image.repo.PromotionResult;
import io.vaultcube.pipeline.image.repo.RepositoryException;
import io.vaultcube.pipeline.image.repo.s3.S3Location;
import io.vaultcube.pipeline.image.repo.s3.S3Promoter;
import io.vaultcube.pipeline.image.repo.s3.S3Settings;
import io.vaultcube.pipeline.image.repo.s3.S3Store;
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
                "allow_unstable", "inventory", "signing_key", "demo_signing_key", "materials", "require_signature");
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
        String inventory = in.text("inventory", false);
        String signingKey = in.text("signing_key", false);
        String demoKey = in.text("demo_signing_key", false);
        if (signingKey != null && demoKey != null) {
            in.problem("demo_signing_key", "give signing_key or demo_signing_key, not both");
        }
        return new StageSpec.Promote(in.name(), in.line(), gate == null && !gatesSoFar.isEmpty()
                ? gatesSoFar.get(gatesSoFar.size() - 1) : gate, in.text("repo", true), in.text("image", true),
                in.text("version", true), channels, in.textList("files", true), in.text("packer_manifest", false),
                in.bool("allow_unstable"), inventory, signingKey, demoKey, in.textMap("materials"),
                in.bool("require_signature"));
    }

    @Override
    public void preflight(StageSpec.Promote p, PreflightChecks checks) {
        checks.exists("packer manifest", p.packerManifest() == null || p.packerManifest().contains("${")
                ? null : p.packerManifest(), true);
        if (p.signingKey() != null) {
            checks.exists("signing key", p.signingKey(), true);
        }
        if (p.signingKey() != null || p.demoSigningKey() != null) {
            // The statement is signed with ssh-keygen -Y sign after the gate: find its absence now.
            checks.tool("ssh-keygen");
        }
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
            return new StageOutcome(p.name(), p.kind(), StageOutcome.Result.FAILED, true, context.since(started),
                    "gate " + p.gate() + " wrote no report (" + report + "); nothing promoted");
        }
        if (verdict == Verdict.FAILURE || (verdict == Verdict.UNSTABLE && !p.allowUnstable())) {
            String why = "not promoted: the verdict of stage " + p.gate() + " is " + verdict
                    + (verdict == Verdict.UNSTABLE ? " (allow_unstable is false)" : "") + "; " + target + " unchanged";
            context.console().println("vault: " + why);
            // A refusal is an outcome of the repository's like any other: recorded where it exists.
            Promoter.recordRefusal(PromotionRequest.builder(context.path(p.repo()), p.image(), p.version(), report)
                    .build(), null, why, line -> context.console().println("vault: promote: " + line));
            return new StageOutcome(p.name(), p.kind(), StageOutcome.Result.REFUSED, false, context.since(started),
                    why);
        }
        List<Path> files = p.files().stream().map(context::path).toList();
        boolean s3 = S3Location.isS3(p.repo());
        PromotionRequest.Builder b = PromotionRequest.builder(s3 ? Path.of(p.repo()) : context.path(p.repo()), p.image(),
                p.version(), report)
                .files(files).channels(p.channels()).allowUnstable(p.allowUnstable()).checkout(context.workDir())
                .evidence(context.evidence().root());
        if (p.packerManifest() != null) {
            b.packerManifest(context.path(p.packerManifest()));
        }
        try {
            AttestationRequest attestation = attestation(p, context);
            if (attestation != null) {
                b.attestation(attestation);
            }
            Promoter promoter = new Promoter(new FileHasher(), Runtime.getRuntime().availableProcessors(),
                    ProgressMeter.silent(), line -> context.console().println("vault: promote: " + line),
                    context.processes());
            PromotionResult result;
            if (s3) {
                // repo: s3://BUCKET/PREFIX; endpoint and region from VAULT_S3_*, credentials from the SDK's chain.
                S3Settings settings = S3Settings.fromEnvironment(context.environment());
                try (S3Store store = new S3Store(settings.newClient(), S3Location.parse(p.repo()), settings)) {
                    result = new S3Promoter(Runtime.getRuntime().availableProcessors(), ProgressMeter.silent(),
                            line -> context.console().println("vault: promote: " + line), context.processes())
                            .promote(store, b.build());
                }
            } else {
                result = promoter.promote(b.build());
            }
            String where = (s3 ? p.repo() + "/" + p.image() + "/" + p.version() : result.versionDir()) + " ("
                    + String.join(", ", p.channels()) + ")";
            StageOutcome.Result outcome = result.outcome() == PromotionResult.Outcome.CREATED
                    ? StageOutcome.Result.PROMOTED : StageOutcome.Result.UNCHANGED;
            String detail = outcome == StageOutcome.Result.PROMOTED ? "promoted to " + where
                    : "already promoted with the same files: " + where;
            context.console().println("vault: " + p.image() + " " + p.version() + ": " + detail);
            return new StageOutcome(p.name(), p.kind(), outcome, false, context.since(started),
                    detail);
        } catch (PromotionRefusedException | RepositoryException | GateReportException | IllegalArgumentException
                | AttestationSetupException e) {
            context.console().println("vault: promote: " + e.getMessage());
            return new StageOutcome(p.name(), p.kind(), StageOutcome.Result.FAILED, true, context.since(started),
                    e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new StageOutcome(p.name(), p.kind(), StageOutcome.Result.ABORTED, true, context.since(started),
                    "aborted while waiting for the repository's lock; nothing promoted");
        }
    }

    /** A problem with the SBOM's inventory or the signing key, found before anything is promoted. */
    static final class AttestationSetupException extends Exception {
        AttestationSetupException(String message) {
            super(message);
        }
    }

    /** The SBOM, statement and signature this stage asks for; null when it asks for none. */
    private static AttestationRequest attestation(StageSpec.Promote p, PipelineRunner.Context context)
            throws IOException, InterruptedException, AttestationSetupException {
        if (p.inventory() == null && p.signingKey() == null && p.demoSigningKey() == null && p.materials().isEmpty()
                && !p.requireSignature()) {
            return null;
        }
        Path inventory = null;
        if (p.inventory() != null) {
            inventory = context.evidence().root().resolve(p.inventory()).resolve(StageEvidence.METRICS_FILE);
            if (!Files.isRegularFile(inventory)) {
                throw new AttestationSetupException("stage " + p.inventory() + " has no metrics.json (" + inventory
                        + "): no SBOM can be made; nothing promoted");
            }
        }
        Path key = null;
        if (p.signingKey() != null) {
            key = context.path(p.signingKey());
        } else if (p.demoSigningKey() != null) {
            key = context.path(p.demoSigningKey());
            if (!Files.exists(key)) {
                // The demo signs with a key made on its first run, never one from the repository.
                SshSignature.createDemoKey(key, "vault-demo@example.invalid");
                context.console().println("vault: promote: made a DEMO signing key " + key + " (unprotected, for the demo"
                        + " only); its allowed signers: " + SshSignature.allowedSignersOf(key));
            }
        }
        Map<String, Path> materials = new LinkedHashMap<>();
        p.materials().forEach((k, v) -> materials.put(k, context.path(v)));
        String builder = context.environment().get("BUILD_URL");
        try {
            return new AttestationRequest(inventory, key, null, builder == null || builder.isBlank() ? null : builder,
                    materials, p.requireSignature());
        } catch (IllegalArgumentException e) {
            throw new AttestationSetupException(e.getMessage());
        }
    }
}
