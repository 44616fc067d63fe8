package io.vaultcube.jenkins.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.FilePath;
import io.vaultcube.jenkins.agent.EvidenceListing;
import io.vaultcube.jenkins.agent.GateCallable;
import io.vaultcube.pipeline.gate.report.BuildSummary;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import io.vaultcube.pipeline.gate.report.trend.RunFigures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate's action and the files it keeps: what is copied from the agent into the build's
 * directory, what stays there, what {@code build.xml} holds.
 */
class VaultRunActionTest {
    @TempDir
    Path tmp;

    @Test
    void theGateSummaryAndSmallEvidenceAreCopiedAndRawTelemetryStaysOnTheAgent() throws Exception {
        Path ws = tmp.resolve("ws");
        GateCallable.Outcome outcome = GateFixture.judged(ws);
        assertThat(outcome.verdict()).isEqualTo("FAILURE");
        Path build = tmp.resolve("builds/7/vault");
        VaultRunAction a = BuildPages.copyAndCreate(build.toFile(), "vault", "7", new FilePath(ws.toFile()), "box-1",
                GateFixture.EVIDENCE, "gate", outcome.verdict(), false);

        for (String f : List.of("gate/report.json", "gate/report.html", "gate/report.css", "gate/junit.xml",
                "gate/summary.md", "gate/build-summary.json", "gpu/nvidia-smi-query.csv", "gpu/stage.json",
                "stress/stage.json", "bench-ddp/result.json")) {
            assertThat(build.resolve(f)).as(f).isRegularFile();
            assertThat(Files.mismatch(build.resolve(f), ws.resolve(GateFixture.EVIDENCE).resolve(f))).as(f).isEqualTo(-1);
        }
        assertThat(build.resolve("stress/telemetry.csv")).doesNotExist();
        assertThat(a.getLeftOnAgent()).anyMatch(l -> l.startsWith("stress/telemetry.csv (raw telemetry, 1763209 bytes"));

        assertThat(a.getVerdict()).isEqualTo("FAILURE");
        assertThat(a.getCounts()).containsKeys("FAILED", "PASSED");
        assertThat(a.getCounts().get("FAILED")).isPositive();
        assertThat(a.getRecordedStages()).containsExactlyInAnyOrder("gpu", "bench-ddp", "bench-vllm", "stress");
        assertThat(a.getFigures().getFigures()).containsKeys("ddp.scaling_efficiency", "vllm.output_tokens_per_s",
                "telemetry.temperature_c.max", "telemetry.throttle_events", "telemetry.coverage");
        assertThat(a.getUrlName()).isEqualTo("vault");
    }

    @Test
    void rawTelemetryIsCopiedWhenAskedFor() throws Exception {
        Path ws = tmp.resolve("ws");
        GateCallable.Outcome outcome = GateFixture.judged(ws);
        Path build = tmp.resolve("builds/8/vault");
        VaultRunAction a = BuildPages.copyAndCreate(build.toFile(), "vault", "7", new FilePath(ws.toFile()), null,
                GateFixture.EVIDENCE, "gate", outcome.verdict(), true);
        assertThat(build.resolve("stress/telemetry.csv")).hasSize(1763209);
        assertThat(a.getLeftOnAgent()).noneMatch(l -> l.contains("telemetry.csv"));
    }

    @Test
    void aLargeEvidenceFileStaysOnTheAgentAndIsNamed() throws Exception {
        Path ws = tmp.resolve("ws");
        Path stage = Files.createDirectories(ws.resolve("ev/packer"));
        Files.write(stage.resolve("packer-build.log"), new byte[(int) EvidenceListing.MAX_FILE_BYTES + 1]);
        Files.writeString(stage.resolve("stage.json"), "{}");
        EvidenceListing.Listing l = new FilePath(ws.toFile()).act(new EvidenceListing("ev", false));
        assertThat(l.copy()).extracting(EvidenceListing.Entry::path).containsExactly("packer/stage.json");
        assertThat(l.leftOnAgent()).singleElement().asString().startsWith("packer/packer-build.log (4194305 bytes");
    }

    @Test
    void aSymlinkInTheEvidenceIsNotFollowed() throws Exception {
        Path ws = tmp.resolve("ws");
        Path stage = Files.createDirectories(ws.resolve("ev/gpu"));
        Path secret = Files.writeString(tmp.resolve("outside.txt"), "not evidence");
        Files.createSymbolicLink(stage.resolve("link.txt"), secret);
        EvidenceListing.Listing l = new FilePath(ws.toFile()).act(new EvidenceListing("ev", true));
        assertThat(l.copy()).isEmpty();
    }

    @Test
    void aPathFromTheAgentCannotLeaveTheBuildsDirectory() throws IOException {
        BuildStore store = new BuildStore(tmp.resolve("builds/9/vault").toFile());
        for (String bad : List.of("../build.xml", "gate/../../x", "/etc/passwd", "", "gate//x", "./x", "a\\b",
                "gate/..", "x\0y")) {
            assertThatThrownBy(() -> store.target(bad)).as(bad).isInstanceOf(IOException.class)
                    .hasMessageContaining("refused");
        }
        assertThat(store.target("gate/report.json")).isEqualTo(store.root().resolve("gate/report.json"));
    }

    @Test
    void aGateWhoseSummaryDidNotArriveKeepsItsVerdictAndThePageSaysWhy() throws Exception {
        Path ws = Files.createDirectories(tmp.resolve("ws/ev/gate"));
        VaultRunAction a = BuildPages.copyAndCreate(tmp.resolve("b").toFile(), "vault", "7",
                new FilePath(tmp.resolve("ws").toFile()), null, "ev", "gate", "UNSTABLE", false);
        assertThat(a.getVerdict()).isEqualTo("UNSTABLE");
        assertThat(a.getSummaryBoxHtml()).contains("cannot be shown").contains("this build kept no gate/build-summary.json");
        assertThat(ws).isDirectory();
    }

    @Test
    void aGarbledSummaryIsNotShown() throws Exception {
        Path ws = tmp.resolve("ws");
        GateCallable.Outcome outcome = GateFixture.judged(ws);
        Files.writeString(ws.resolve(GateFixture.EVIDENCE).resolve("gate/build-summary.json"),
                "{\"schema\":\"something-else/9\",\"verdict\":\"SUCCESS\"}");
        VaultRunAction a = BuildPages.copyAndCreate(tmp.resolve("b").toFile(), "vault", "7", new FilePath(ws.toFile()),
                null, GateFixture.EVIDENCE, "gate", outcome.verdict(), false);
        assertThat(a.getVerdict()).as("the gate's own verdict, not the file's").isEqualTo("FAILURE");
        assertThat(a.getSummaryBoxHtml()).contains("not a vault-build-summary/1 file");
    }

    /**
     * What XStream writes into build.xml: every persisted field of the action (and of what it holds)
     * is a string, a number, a flag, or a plain mutable JDK collection of those; no record (XStream
     * cannot set a record's fields), no immutable JDK collection (not readable back on Java 17),
     * and the run, the store and the cached summary are transient.
     */
    @Test
    void buildXmlHoldsOnlySmallPlainFields() throws Exception {
        Path ws = tmp.resolve("ws");
        GateCallable.Outcome outcome = GateFixture.judged(ws);
        VaultRunAction a = BuildPages.copyAndCreate(tmp.resolve("b").toFile(), "vault", "7", new FilePath(ws.toFile()),
                "box", GateFixture.EVIDENCE, "gate", outcome.verdict(), false);
        a.setPromoted(new PromotedImage("img", "1.0.0", List.of("stable"), "repo", "PROMOTED",
                List.of(new PromotedImage.File("img.qcow2", 3, "ab".repeat(32)))));
        Set<Class<?>> plain = Set.of(String.class, Integer.class, Double.class, Long.class, Boolean.class,
                ArrayList.class, LinkedHashMap.class, TreeMap.class, long.class, int.class, boolean.class, double.class);
        List<String> persisted = new ArrayList<>();
        check(a, plain, persisted, "action");
        assertThat(persisted).contains("action.summary", "action.figures", "action.figures.verdict",
                "action.figures.figures", "action.figures.recordedStages", "action.promoted", "action.promoted.files");
        for (String f : List.of("run", "store", "cached")) {
            assertThat(Modifier.isTransient(VaultRunAction.class.getDeclaredField(f).getModifiers())).as(f).isTrue();
        }
        assertThat(a.getFigures().getFigures().size() + a.getCounts().size() + a.getRecordedStages().size())
                .isLessThan(40);
    }

    private static void check(Object o, Set<Class<?>> plain, List<String> persisted, String path) throws Exception {
        for (Field f : o.getClass().getDeclaredFields()) {
            int mod = f.getModifiers();
            if (Modifier.isStatic(mod) || Modifier.isTransient(mod)) {
                continue;
            }
            f.setAccessible(true);
            Object v = f.get(o);
            String name = path + "." + f.getName();
            persisted.add(name);
            if (v == null) {
                continue;
            }
            assertThat(v.getClass().isRecord()).as(name + " is a record").isFalse();
            if (v instanceof PromotedImage || v instanceof PromotedImage.File || v instanceof RunFigures) {
                check(v, plain, persisted, name);
            } else if (v instanceof ArrayList<?> list) {
                for (Object e : list) {
                    if (e instanceof PromotedImage.File) {
                        check(e, plain, persisted, name + "[]");
                    } else {
                        assertThat(plain).as(name + " element " + e.getClass()).contains(e.getClass());
                    }
                }
            } else if (v instanceof LinkedHashMap<?, ?> || v instanceof TreeMap<?, ?>) {
                Map<?, ?> map = (Map<?, ?>) v;
                map.forEach((k, val) -> {
                    assertThat(plain).as(name + " key").contains(k.getClass());
                    assertThat(plain).as(name + " value").contains(val.getClass());
                });
            } else {
                assertThat(plain).as(name + " " + v.getClass()).contains(v.getClass());
            }
        }
    }

    @Test
    void theStoredSummaryIsReadOnceAndHeld() throws Exception {
        Path ws = tmp.resolve("ws");
        GateCallable.Outcome outcome = GateFixture.judged(ws);
        VaultRunAction a = BuildPages.copyAndCreate(tmp.resolve("b").toFile(), "vault", "7", new FilePath(ws.toFile()),
                null, GateFixture.EVIDENCE, "gate", outcome.verdict(), false);
        CountingStore store = new CountingStore(tmp.resolve("b").toFile());
        VaultRunAction reloaded = reload(a);
        reloaded.attachStore(store);
        assertThat(reloaded.getSummaryBoxHtml()).contains("NVIDIA GeForce RTX 5090");
        reloaded.getPageHtml();
        assertThat(store.reads).isEqualTo(1);
        assertThat(BuildSummary.fromJson(Files.readString(tmp.resolve("b/gate/build-summary.json"))).verdict())
                .isEqualTo("FAILURE");
    }

    /** The action as Jenkins loads it from build.xml: its persisted fields only (nothing cached). */
    static VaultRunAction reload(VaultRunAction a) throws Exception {
        VaultRunAction copy = (VaultRunAction) UnsafeAlloc.allocate(VaultRunAction.class);
        for (Field f : VaultRunAction.class.getDeclaredFields()) {
            int mod = f.getModifiers();
            if (Modifier.isStatic(mod) || Modifier.isTransient(mod)) {
                continue;
            }
            f.setAccessible(true);
            f.set(copy, f.get(a));
        }
        return copy;
    }

    /** Counts the build's file reads. */
    static final class CountingStore extends BuildStore {
        int reads;

        CountingStore(java.io.File dir) {
            super(dir);
        }

        @Override
        protected String read(String relative) throws IOException {
            reads++;
            return super.read(relative);
        }
    }
}
