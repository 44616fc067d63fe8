package io.vaultcube.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import hudson.model.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jenkinsci.plugins.workflow.actions.WarningAction;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.graphanalysis.DepthFirstScanner;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Every vault* step in a real Jenkins (WorkflowJob + CpsFlowDefinition). Part of the real build
 * (plugin/jenkins, profile jenkins); NOT run on this project's machines, which cannot reach the
 * Jenkins repository. Uses Debian's packer and ansible-playbook and the core's synthetic inputs
 * (core/src/test/resources/run), as the unit tests do.
 */
@WithJenkins
class VaultStepsITest {
    private static final Path RUN = Path.of("../../core/src/test/resources/run").toAbsolutePath().normalize();

    private WorkflowJob job(JenkinsRule r, String script) throws Exception {
        WorkflowJob p = r.createProject(WorkflowJob.class, "p");
        p.setDefinition(new CpsFlowDefinition(script, true));
        return p;
    }

    private static String copy(String fixture) {
        return "writeFile file: '" + Path.of(fixture).getFileName() + "', text: '''"
                + read(RUN.resolve(fixture)).replace("'''", "\\'\\'\\'").replace("$", "\\$") + "'''\n";
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void packerBuildGateAndPromote(JenkinsRule r) throws Exception {
        WorkflowJob p = job(r, "node {\n" + copy("packer/ok.pkr.hcl")
                + "writeFile file: 'policy.yaml', text: 'schema: vault-policy/1\\nname: t\\ngates:\\n"
                + "  - id: ok\\n    metric: packer.success\\n    is: true\\n'\n"
                + "def b = vaultPackerBuild template: 'ok.pkr.hcl'\n"
                + "echo \"status=${b.status}\"\n"
                + "def g = vaultGate policy: 'policy.yaml'\n"
                + "vaultPromote repo: 'repo', image: 'demo', version: '1.0.0', channel: 'candidate',"
                + " files: ['out/artifact.txt']\n}");
        WorkflowRun b = r.buildAndAssertSuccess(p);
        r.assertLogContains("hello, from shell-local", b);
        r.assertLogContains("status=SUCCEEDED", b);
        assertNotNull(b.getArtifactManager().root().child("vault-runs/build-1/promote/SHA256SUMS"));
    }

    @Test
    void aFailedBuildFailsTheStep(JenkinsRule r) throws Exception {
        WorkflowJob p = job(r, "node {\n" + copy("packer/fail.pkr.hcl") + "vaultPackerBuild template: 'fail.pkr.hcl'\n}");
        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, p);
        r.assertLogContains("packer build failed", b);
    }

    @Test
    void anUnstableGateMarksStageAndBuild(JenkinsRule r) throws Exception {
        WorkflowJob p = job(r, "node {\n" + copy("packer/ok.pkr.hcl")
                + "writeFile file: 'policy.yaml', text: 'schema: vault-policy/1\\nname: t\\ngates:\\n"
                + "  - id: many\\n    metric: packer.artifacts\\n    eq: 99\\n    severity: unstable\\n'\n"
                + "vaultPackerBuild template: 'ok.pkr.hcl'\nvaultGate policy: 'policy.yaml'\n"
                + "vaultPromote repo: 'repo', image: 'demo', version: '1.0.0', channel: 'c', files: ['out/artifact.txt']\n}");
        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, p); // the promotion refuses UNSTABLE
        r.assertLogContains("not promoted", b);
        assertEquals(1, new DepthFirstScanner().allNodes(b.getExecution()).stream()
                .filter(n -> n.getPersistentAction(WarningAction.class) != null).count());
    }

    @Test
    void provisionThreeTimesGpuBenchAndStress(JenkinsRule r) throws Exception {
        WorkflowJob p = job(r, "node {\n" + copy("ansible/idempotent.yml") + copy("ansible/inventory.ini")
                + "vaultAnsibleProvision playbook: 'idempotent.yml', inventory: 'inventory.ini',"
                + " extraVars: [out_dir: pwd() + '/out'], idempotencyRuns: 3\n"
                + "vaultGpuValidate recorded: '" + RUN.resolve("gpu") + "'\n"
                + "vaultStressTest duration: '3s', interval: '1s', sampler: '" + RUN.resolve("stress/fake-sampler.sh")
                + "', command: ['" + RUN.resolve("stress/fake-workload.sh") + "']\n}");
        WorkflowRun b = r.buildAndAssertSuccess(p);
        r.assertLogContains("vault: vaultAnsibleProvision", b);
    }

    @Test
    void abortStopsTheTool(JenkinsRule r) throws Exception {
        WorkflowJob p = job(r, "node {\n" + copy("packer/long.pkr.hcl") + "vaultPackerBuild template: 'long.pkr.hcl'\n}");
        WorkflowRun b = p.scheduleBuild2(0).waitForStart();
        r.waitForMessage("long step started", b);
        b.doStop();
        r.assertBuildStatus(Result.ABORTED, r.waitForCompletion(b));
        r.assertLogNotContains("long step finished", b);
    }

    @Test
    void aWrongCredentialsIdIsNamed(JenkinsRule r) throws Exception {
        WorkflowJob p = job(r, "node { vaultAnsibleProvision playbook: 'x.yml', inventory: 'h,', credentialsId: 'nope' }");
        WorkflowRun b = r.buildAndAssertStatus(Result.FAILURE, p);
        r.assertLogContains("credentialsId 'nope'", b);
    }
}
