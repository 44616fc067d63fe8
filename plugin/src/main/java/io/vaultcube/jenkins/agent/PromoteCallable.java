package io.vaultcube.jenkins.agent;

import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.vaultcube.pipeline.evidence.EvidenceDir;
import io.vaultcube.pipeline.evidence.StageEvidence;
import io.vaultcube.pipeline.exec.ProcessRunner;
import io.vaultcube.pipeline.image.FileHasher;
import io.vaultcube.pipeline.image.GateReportException;
import io.vaultcube.pipeline.image.ManifestJson;
import io.vaultcube.pipeline.image.ProgressMeter;
import io.vaultcube.pipeline.image.repo.Promoter;
import io.vaultcube.pipeline.image.repo.PromotionRefusedException;
import io.vaultcube.pipeline.image.repo.PromotionRequest;
import io.vaultcube.pipeline.image.repo.PromotionResult;
import io.vaultcube.pipeline.image.repo.RepositoryException;
import io.vaultcube.pipeline.image.repo.RepositoryLayout;
import io.vaultcube.pipeline.image.repo.VersionFiles;
import io.vaultcube.pipeline.image.repo.s3.S3Location;
import io.vaultcube.pipeline.image.repo.s3.S3Promoter;
import io.vaultcube.pipeline.image.repo.s3.S3Settings;
import io.vaultcube.pipeline.image.repo.s3.S3Store;
import io.vaultcube.pipeline.pipeline.PipelineRunner;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jenkins.MasterToSlaveFileCallable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Promotes the image files into the repository on the agent, through the core's {@link Promoter},
 * which refuses unless the gate report of this build allows it. The image bytes never leave the
 * agent; the small files the build archives (manifest, SHA256SUMS, the gate report) are copied
 * into the promote stage's evidence directory, inside the workspace, so that the controller can
 * archive them from there.
 */
public final class PromoteCallable extends MasterToSlaveFileCallable<PromoteCallable.Outcome> {
    private static final long serialVersionUID = 1L;

    /** The staged value names of an S3 credential (StagedSecrets.values): access key id and secret key. */
    public static final String S3_ACCESS_KEY = "s3-access-key-id";
    public static final String S3_SECRET_KEY = "s3-secret-access-key";

    private final PromoteRequest request;
    private final StagedSecrets secrets;
    private final TaskListener listener;

    public PromoteCallable(PromoteRequest request, TaskListener listener) {
        this(request, StagedSecrets.none(), listener);
    }

    /** @param secrets the S3 credential's values, staged on the agent (paths only), or none */
    public PromoteCallable(PromoteRequest request, StagedSecrets secrets, TaskListener listener) {
        this.request = request;
        this.secrets = secrets == null ? StagedSecrets.none() : secrets;
        this.listener = listener;
    }

    /**
     * The parameters of {@code vaultPromote}, paths relative to the workspace.
     */
    public record PromoteRequest(String evidence, String stage, String gate, String repo, String image,
            String version, List<String> channels, List<String> files, String packerManifest, boolean allowUnstable,
            S3 s3) implements Serializable {
        private static final long serialVersionUID = 1L;

        public PromoteRequest {
            channels = List.copyOf(channels);
            files = List.copyOf(files);
        }

        public PromoteRequest(String evidence, String stage, String gate, String repo, String image, String version,
                List<String> channels, List<String> files, String packerManifest, boolean allowUnstable) {
            this(evidence, stage, gate, repo, image, version, channels, files, packerManifest, allowUnstable, null);
        }
    }

    /**
     * How to reach an {@code s3://} repository (no credential: that is staged apart, or the agent's SDK chain).
     *
     * @param endpoint the endpoint URL, or null for AWS S3 (then VAULT_S3_ENDPOINT on the agent, as the CLI)
     * @param region the signing region, or null
     * @param pathStyle path-style addressing, or null: on with an endpoint
     */
    public record S3(String endpoint, String region, Boolean pathStyle) implements Serializable {
        private static final long serialVersionUID = 1L;

        /** The settings for this request over the agent's environment (VAULT_S3_*), as {@code vault promote}. */
        public S3Settings settings(Map<String, String> environment) {
            S3Settings s = S3Settings.fromEnvironment(environment);
            if (endpoint != null) {
                s = s.withEndpoint(S3Settings.endpoint(endpoint));
            }
            if (region != null) {
                s = s.withRegion(region);
            }
            if (pathStyle != null) {
                s = s.withPathStyle(pathStyle);
            } else if (s.endpoint() != null && environment.get("VAULT_S3_PATH_STYLE") == null) {
                s = s.withPathStyle(true);
            }
            return s;
        }
    }

    /**
     * What happened.
     *
     * @param outcome PROMOTED, UNCHANGED or CHANNELS_ONLY; REFUSED when the gate does not allow it;
     *     FAILED when it cannot be done (missing files, an existing version with other files)
     * @param message why, for the log and the step's error
     * @param versionDirectory where the version is in the repository (agent path), or null
     * @param gateVerdict the verdict of the gate report that decided, or null when there was none
     * @param archive the small files to archive, relative to the workspace
     * @param images the image files, relative to the workspace, for fingerprints
     * @param sums the version's files with their size and SHA-256, as its manifest says
     */
    public record Outcome(String outcome, String message, String versionDirectory, String gateVerdict,
            List<String> archive, List<String> images, List<FileSum> sums) implements Serializable {
        private static final long serialVersionUID = 1L;

        public Outcome {
            sums = sums == null ? List.of() : List.copyOf(sums);
        }

        public boolean promoted() {
            return !outcome.equals("REFUSED") && !outcome.equals("FAILED");
        }
    }

    /** A file of the promoted version: name, bytes, SHA-256. */
    public record FileSum(String name, long size, String sha256) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    @Override
    public Outcome invoke(File workspace, VirtualChannel channel) throws IOException, InterruptedException {
        Path ws = workspace.toPath().toAbsolutePath();
        PrintStream log = listener.getLogger();
        Path gateStage = ws.resolve(request.evidence()).resolve(request.gate());
        Path report = gateStage.resolve(PipelineRunner.REPORT_JSON);
        if (!Files.isRegularFile(report)) {
            String why = "not promoted: gate stage " + request.gate() + " of this build wrote no report ("
                    + StageSummary.relative(ws, report) + "); run vaultGate first";
            log.println("vault: promote: " + why);
            return new Outcome("REFUSED", why, null, null, List.of(), List.of(), List.of());
        }
        List<Path> files = new ArrayList<>();
        request.files().forEach(f -> files.add(ws.resolve(f)));
        PromotionRequest.Builder b = PromotionRequest.builder(ws.resolve(request.repo()), request.image(),
                request.version(), report).files(files).channels(request.channels())
                .allowUnstable(request.allowUnstable()).checkout(ws);
        if (request.packerManifest() != null) {
            b.packerManifest(ws.resolve(request.packerManifest()));
        }
        PromotionResult result;
        // Read at once: the staged files are removed before anything else runs.
        AgentSecrets credential = AgentSecrets.take(secrets);
        try {
            if (S3Location.isS3(request.repo())) {
                result = promoteToS3(b.build(), credential, log);
            } else {
                Promoter promoter = new Promoter(new FileHasher(), Runtime.getRuntime().availableProcessors(),
                        ProgressMeter.silent(), line -> log.println("vault: promote: " + line), new ProcessRunner());
                result = promoter.promote(b.build());
            }
        } catch (PromotionRefusedException e) {
            log.println("vault: promote: " + e.getMessage());
            return new Outcome("REFUSED", e.getMessage(), null, null, List.of(), List.of(), List.of());
        } catch (RepositoryException | GateReportException | IllegalArgumentException
                | software.amazon.awssdk.core.exception.SdkException e) {
            log.println("vault: promote: " + e.getMessage());
            return new Outcome("FAILED", e.getMessage(), null, null, List.of(), List.of(), List.of());
        }
        StageEvidence stage = EvidenceDir.create(ws.resolve(request.evidence())).stage(request.stage());
        List<String> archive = new ArrayList<>();
        for (String name : List.of(RepositoryLayout.MANIFEST, RepositoryLayout.SUMS)) {
            Path copy = stage.file(name);
            Files.createDirectories(copy.getParent());
            if (result.versionDir() != null) {
                Files.copy(result.versionDir().resolve(name), copy, StandardCopyOption.REPLACE_EXISTING);
            } else {
                // An S3 version has no directory here: its manifest and sums, as the promoter wrote them.
                byte[] manifest = ManifestJson.write(result.manifest());
                Files.write(copy, name.equals(RepositoryLayout.MANIFEST) ? manifest : VersionFiles.sums(result.manifest(),
                        manifest, Map.of()));
            }
            archive.add(StageSummary.relative(ws, copy));
        }
        archive.add(StageSummary.relative(ws, report));
        List<String> images = new ArrayList<>();
        files.forEach(f -> images.add(StageSummary.relative(ws, f)));
        String outcome = result.outcome() == PromotionResult.Outcome.CREATED ? "PROMOTED" : result.outcome().name();
        String where = result.versionDir() != null ? result.versionDir().toString() : request.repo();
        String message = request.image() + " " + request.version() + ": " + outcome.toLowerCase(Locale.ROOT)
                + " to " + where + (request.channels().isEmpty() ? ""
                        : " (" + String.join(", ", request.channels()) + ")") + ", gate " + result.gate().verdict();
        log.println("vault: " + message);
        log.flush();
        List<FileSum> sums = new ArrayList<>();
        result.manifest().files().forEach(f -> sums.add(new FileSum(f.name(), f.size(), f.sha256())));
        return new Outcome(outcome, message, where, result.gate().verdict().name(), archive, images, sums);
    }

    /**
     * Promotes into the S3 repository with the staged credential (access key id and secret key), or
     * the AWS SDK's default chain on this agent when none was given. The values live in this call only.
     */
    private PromotionResult promoteToS3(PromotionRequest r, AgentSecrets credential, PrintStream log)
            throws IOException, InterruptedException, PromotionRefusedException {
        S3Settings settings = (request.s3() == null ? new S3(null, null, null) : request.s3()).settings(System.getenv());
        String key = credential.values().get(S3_ACCESS_KEY);
        String secret = credential.values().get(S3_SECRET_KEY);
        AwsCredentialsProvider provider = key == null ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret));
        log.println("vault: promote: S3 repository " + request.repo() + " at " + settings.endpointForDisplay()
                + (key == null ? " (credentials: the AWS SDK's default chain on this agent)" : " (credentials: s3CredentialsId)"));
        try (S3Store store = new S3Store(settings.newClient(provider), S3Location.parse(request.repo()), settings)) {
            return new S3Promoter(Runtime.getRuntime().availableProcessors(), ProgressMeter.silent(),
                    line -> log.println("vault: promote: " + line), new ProcessRunner()).promote(store, r);
        }
    }
}
