package io.vaultcube.jenkins.steps;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.Fingerprinter;
import hudson.util.FormValidation;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import io.vaultcube.jenkins.agent.PromoteCallable;
import io.vaultcube.jenkins.credentials.StepSecrets;
import io.vaultcube.pipeline.image.repo.s3.S3Location;
import io.vaultcube.jenkins.model.BuildPages;
import io.vaultcube.jenkins.model.PromotedImage;
import io.vaultcube.jenkins.model.VaultRunAction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jenkins.util.BuildListenerAdapter;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * {@code vaultPromote}: promotes the image files into the repository on the agent, only when this
 * build's gate report allows it (SUCCESS; UNSTABLE with {@code allowUnstable}), then archives the
 * version's manifest, {@code SHA256SUMS} and the gate report as build artifacts and records
 * fingerprints of the image files. The images themselves are never copied to the controller.
 */
public class VaultPromoteStep extends VaultStep {
    public static final String FUNCTION = "vaultPromote";

    private final String repo;
    private final String image;
    private final String version;
    private String channel;
    private List<String> channels;
    private List<String> files;
    private String packerManifest;
    private boolean allowUnstable;
    private String gate;
    private String s3CredentialsId;
    private String s3Endpoint;
    private String s3Region;
    private Boolean s3PathStyle;

    @DataBoundConstructor
    public VaultPromoteStep(String repo, String image, String version) {
        super(FUNCTION);
        Checks.require(Checks.required("repo", repo));
        Checks.require(Checks.required("image", image));
        Checks.require(Checks.required("version", version));
        this.repo = repo.strip();
        this.image = image.strip();
        this.version = version.strip();
    }

    public String getRepo() {
        return repo;
    }

    public String getImage() {
        return image;
    }

    public String getVersion() {
        return version;
    }

    public String getChannel() {
        return channel;
    }

    @DataBoundSetter
    public void setChannel(String channel) {
        this.channel = blankToNull(channel);
    }

    public List<String> getChannels() {
        return channels;
    }

    @DataBoundSetter
    public void setChannels(List<String> channels) {
        this.channels = texts(channels);
    }

    public List<String> getFiles() {
        return files;
    }

    @DataBoundSetter
    public void setFiles(List<String> files) {
        this.files = texts(files);
    }

    public String getPackerManifest() {
        return packerManifest;
    }

    @DataBoundSetter
    public void setPackerManifest(String packerManifest) {
        this.packerManifest = blankToNull(packerManifest);
    }

    public boolean isAllowUnstable() {
        return allowUnstable;
    }

    @DataBoundSetter
    public void setAllowUnstable(boolean allowUnstable) {
        this.allowUnstable = allowUnstable;
    }

    public String getGate() {
        return gate;
    }

    /** The gate stage whose report decides (default {@code gate}). */
    @DataBoundSetter
    public void setGate(String gate) {
        Checks.require(Checks.stage(gate));
        this.gate = blankToNull(gate);
    }

    public String getS3CredentialsId() {
        return s3CredentialsId;
    }

    /**
     * With an {@code s3://} repo: the id of a Username with password credential holding the access key
     * id (user name) and the secret access key (password), looked up for each build. Without it the
     * agent's AWS SDK default chain (its environment, profile or instance role) applies.
     */
    @DataBoundSetter
    public void setS3CredentialsId(String s3CredentialsId) {
        this.s3CredentialsId = blankToNull(s3CredentialsId);
    }

    public String getS3Endpoint() {
        return s3Endpoint;
    }

    /** With an {@code s3://} repo: the endpoint (MinIO, Ceph RGW, ...), default AWS S3. */
    @DataBoundSetter
    public void setS3Endpoint(String s3Endpoint) {
        Checks.require(Checks.s3Endpoint(s3Endpoint));
        this.s3Endpoint = blankToNull(s3Endpoint);
    }

    public String getS3Region() {
        return s3Region;
    }

    @DataBoundSetter
    public void setS3Region(String s3Region) {
        this.s3Region = blankToNull(s3Region);
    }

    public Boolean getS3PathStyle() {
        return s3PathStyle;
    }

    /** Path-style bucket addressing; unset: on with an endpoint (self-hosted servers), off for AWS. */
    @DataBoundSetter
    public void setS3PathStyle(Boolean s3PathStyle) {
        this.s3PathStyle = s3PathStyle;
    }

    /** Whether the repository is in an S3-compatible store. */
    public boolean isS3() {
        return S3Location.isS3(repo);
    }

    @Override
    protected String defaultStage() {
        return "promote";
    }

    /** The request the agent runs, for this build's evidence directory. */
    public PromoteCallable.PromoteRequest request(String evidence) {
        Checks.require(Checks.notEmpty("files", files));
        List<String> all = new ArrayList<>();
        if (channel != null) {
            all.add(channel);
        }
        if (channels != null) {
            all.addAll(channels);
        }
        if (all.isEmpty()) {
            throw new IllegalArgumentException("give a channel (or channels) to publish the version on");
        }
        boolean s3Settings = s3CredentialsId != null || s3Endpoint != null || s3Region != null || s3PathStyle != null;
        if (s3Settings && !isS3()) {
            throw new IllegalArgumentException("s3CredentialsId, s3Endpoint, s3Region and s3PathStyle need an s3:// repo"
                    + " (repo is " + repo + ")");
        }
        return new PromoteCallable.PromoteRequest(evidence, stageName(), gate == null ? "gate" : gate, repo, image,
                version, all, files, packerManifest, allowUnstable,
                isS3() ? new PromoteCallable.S3(s3Endpoint, s3Region, s3PathStyle) : null);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(context, this);
    }

    static final class Execution extends VaultStepExecution<VaultPromoteStep> {
        private static final long serialVersionUID = 1L;

        Execution(StepContext context, VaultPromoteStep step) {
            super(context, step);
        }

        @Override
        protected Map<String, Object> run(FilePath ws, TaskListener listener, EnvVars env, String evidence)
                throws Exception {
            PromoteCallable.PromoteRequest request = step.request(evidence);
            PromoteCallable.Outcome outcome = actWithSecrets(ws, s3Credential(step.s3CredentialsId),
                    staged -> new PromoteCallable(request, staged, listener));
            if (!outcome.promoted()) {
                throw new AbortException(FUNCTION + ": " + outcome.outcome() + ": " + outcome.message());
            }
            archive(outcome, ws, env, listener);
            showOnBuildPage(request, outcome, env);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("status", outcome.outcome());
            m.put("verdict", outcome.gateVerdict());
            m.put("version", outcome.versionDirectory());
            m.put("artifacts", new ArrayList<>(outcome.archive()));
            m.put("message", outcome.message());
            m.put("stage", step.stageName());
            return m;
        }

        private StepSecrets.Found s3Credential(String id) throws Exception {
            if (id == null) {
                return StepSecrets.Found.NONE;
            }
            Run<?, ?> run = getContext().get(Run.class);
            StandardUsernamePasswordCredentials c = StepSecrets.requireS3(id,
                    CredentialsProvider.findCredentialById(id, StandardUsernamePasswordCredentials.class, run));
            CredentialsProvider.track(run, c);
            return new StepSecrets.Found(Map.of(PromoteCallable.S3_ACCESS_KEY, c.getUsername(),
                    PromoteCallable.S3_SECRET_KEY, c.getPassword().getPlainText()), null, null, null);
        }

        /** The promoted image in the gate's summary box: version, channels, SHA-256 of each file. */
        private void showOnBuildPage(PromoteCallable.PromoteRequest request, PromoteCallable.Outcome outcome,
                EnvVars env) throws Exception {
            Run<?, ?> run = getContext().get(Run.class);
            VaultRunAction gate = run == null ? null : BuildPages.gateOf(run, env.get("NODE_NAME"), request.gate());
            if (gate == null) {
                return;
            }
            List<PromotedImage.File> files = new ArrayList<>();
            outcome.sums().forEach(f -> files.add(new PromotedImage.File(f.name(), f.size(), f.sha256())));
            gate.setPromoted(new PromotedImage(request.image(), request.version(), request.channels(), request.repo(),
                    outcome.outcome(), files));
            run.save();
        }

        /** The small files as artifacts, and fingerprints of the image files (computed on the agent). */
        private void archive(PromoteCallable.Outcome outcome, FilePath ws, EnvVars env, TaskListener listener)
                throws Exception {
            Run<?, ?> run = getContext().get(Run.class);
            Launcher launcher = getContext().get(Launcher.class);
            Map<String, String> artifacts = new LinkedHashMap<>();
            for (String path : outcome.archive()) {
                artifacts.put(path, path);
            }
            run.pickArtifactManager().archive(ws, launcher, BuildListenerAdapter.wrap(listener), artifacts);
            List<String> targets = new ArrayList<>(outcome.images());
            targets.addAll(outcome.archive());
            new Fingerprinter(String.join(",", targets)).perform(run, ws, env, launcher, listener);
        }
    }

    @Extension
    @Symbol(FUNCTION)
    public static class DescriptorImpl extends VaultStepDescriptor {
        public DescriptorImpl() {
            super(FUNCTION, "Promote the image when this build's gate allows it (vault)");
        }

        public FormValidation doCheckRepo(@QueryParameter String value) {
            return Checks.form(Checks.required("repo", value));
        }

        public FormValidation doCheckImage(@QueryParameter String value) {
            return Checks.form(Checks.required("image", value));
        }

        public FormValidation doCheckVersion(@QueryParameter String value) {
            return Checks.form(Checks.required("version", value));
        }

        public FormValidation doCheckGate(@QueryParameter String value) {
            return Checks.form(Checks.stage(value));
        }

        public FormValidation doCheckS3Endpoint(@QueryParameter String value) {
            return Checks.form(Checks.s3Endpoint(value));
        }
    }
}
