package io.vaultcube.jenkins.model;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.FilePath;
import io.vaultcube.jenkins.agent.GateCallable;
import io.vaultcube.jenkins.testing.Chromium;
import io.vaultcube.pipeline.gate.report.BuildSummary;
import io.vaultcube.pipeline.gate.report.ReportModel;
import java.awt.image.BufferedImage;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * The summary box and the gate's page as a person sees them: rendered in headless Chromium with the
 * plugin's stylesheet, checked on the screenshot and on the DOM; tool values that try to be markup
 * stay text.
 */
@org.junit.jupiter.api.Tag("slow") // starts real tools, JVMs, servers or a browser: left out of ./test.sh --fast
class BuildPageHtmlTest {
    static final Path CSS = Path.of("src/main/resources").resolve(BuildPageHtml.STYLESHEET);
    /** Where the screenshots go; docs/pipeline-steps.md shows the build page's. */
    static final Path SCREENSHOTS = Path.of("target/screenshots");

    @TempDir
    Path tmp;

    @Test
    void theSummaryBoxShowsVerdictFailedGatesGpusFiguresRecordedStagesAndTheImage() throws Exception {
        Path ws = tmp.resolve("ws");
        GateCallable.Outcome outcome = GateFixture.judged(ws);
        VaultRunAction a = BuildPages.copyAndCreate(tmp.resolve("build/vault").toFile(), "vault", "12",
                new FilePath(ws.toFile()), "vault-cube-1", GateFixture.EVIDENCE, "gate", outcome.verdict(), false);
        a.setPromoted(new PromotedImage("vault-cube-demo", "0.1.0-demo", List.of("candidate"), "vault-images",
                "PROMOTED", List.of(new PromotedImage.File("vault-cube-demo.img", 1048576,
                        "5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef"))));
        String box = a.getSummaryBoxHtml();
        String text = textOf(box);
        assertThat(text).contains("FAILURE").contains("policy demo-box")
                .contains("RECORDED evidence").contains("bench-ddp").contains("nothing was measured in this build")
                .contains("packer-duration").contains("no evidence for packer.duration_s")
                .contains("NVIDIA GeForce RTX 5090").contains("DDP scaling efficiency").contains("vLLM output tokens/s")
                .contains("Stress max temperature").contains("vault-cube-demo").contains("0.1.0-demo")
                .contains("5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef");
        BuildSummary s = a.storedSummary();
        // only the failed and unstable gates, failed first
        assertThat(s.problems()).isNotEmpty();
        assertThat(s.problems().get(0).status()).isEqualTo("FAILED");
        assertThat(s.problems()).allMatch(p -> p.status().equals("FAILED") || p.status().equals("UNSTABLE"));
        assertThat(s.gpus().gpus()).containsExactly("0", "1", "2", "3");
        ReportModel.Cell name = s.gpus().rows().stream().filter(r -> r.property().equals("name")).findFirst()
                .orElseThrow().cells().get(0);
        assertThat(name.source()).startsWith("gpu/");

        Path html = page(tmp.resolve("box.html"), box);
        Files.createDirectories(SCREENSHOTS);
        BufferedImage shot = Chromium.screenshot(html, SCREENSHOTS.resolve("build-summary.png"), 1200, 1400);
        int total = shot.getWidth() * shot.getHeight();
        int red = Chromium.count(shot, 0xc62828);
        int badge = Chromium.count(shot.getSubimage(0, 0, 200, 60), 0xc62828);
        assertThat(badge).as("the FAILURE badge at the top").isGreaterThan(400);
        assertThat(red - badge).as("the red status cells of the failed gates").isGreaterThan(20 * 400);
        assertThat(Chromium.count(shot, 0xfff4e5)).as("the RECORDED evidence note").isGreaterThan(5000);
        assertThat(Chromium.count(shot, 0xe8f0fe)).as("the promoted image box").isGreaterThan(5000);
        assertThat(Chromium.count(shot, 0xffffff)).as("not blank").isLessThan(total);
        String dom = Chromium.dom(html);
        assertThat(dom).contains("packer-duration").contains("NVIDIA GeForce RTX 5090").contains("RECORDED evidence");
    }

    @Test
    void hostileToolValuesAreTextOnTheBoxAndThePage() throws Exception {
        String script = "<script>alert(1)</script>";
        String img = "<img src=x onerror=alert(2)>";
        String quotes = "a\"b'c";
        String cdata = "]]>end";
        String ansi = "\u001b[31mred\u001b[0m";
        List<ReportModel.Cell> cells = new ArrayList<>();
        cells.add(new ReportModel.Cell(img, "gpu/q.csv:2 " + script, true));
        BuildSummary summary = new BuildSummary(BuildSummary.SCHEMA, "UNSTABLE", script, "1 unstable " + quotes,
                Map.of("UNSTABLE", 1, "PASSED", 2),
                List.of(new BuildSummary.Stage("gpu", "RECORDED", "/evidence/" + script, List.of(ansi))),
                List.of(new BuildSummary.Problem("UNSTABLE", "gate-" + quotes, "gpu[0].name", img + cdata,
                        "matches " + quotes, ansi + script, "gpu/" + script + ":3")),
                0, new BuildSummary.GpuTable(List.of(script), List.of(new BuildSummary.GpuRow("name", cells))),
                List.of(new BuildSummary.Figure("ddp.scaling_efficiency", "DDP scaling efficiency", 0.9, cdata + img,
                        script)));
        Path dir = Files.createDirectories(tmp.resolve("build/vault/gate"));
        Files.writeString(dir.resolve(BuildSummary.FILE), summary.toJson());
        Files.writeString(dir.resolve(script.replace("/", "_")), "x");
        VaultRunAction a = new VaultRunAction("vault", "node " + script + quotes, "ev/" + script, "gate", summary,
                summary.runFigures("1", "#1", Instant.EPOCH), List.of(script + " (raw telemetry, 3 bytes)"));
        a.attachStore(new BuildStore(tmp.resolve("build/vault").toFile()));
        a.setPromoted(new PromotedImage(script, quotes, List.of(cdata), img, "PROMOTED",
                List.of(new PromotedImage.File(ansi, 1, script))));
        for (String html : List.of(a.getSummaryBoxHtml(), a.getPageHtml())) {
            Document doc = parse(html);
            NodeList all = doc.getElementsByTagName("*");
            for (int i = 0; i < all.getLength(); i++) {
                Element e = (Element) all.item(i);
                assertThat(e.getTagName()).isNotIn("script", "img", "style", "object", "embed");
                NamedNodeMap attrs = e.getAttributes();
                for (int j = 0; j < attrs.getLength(); j++) {
                    assertThat(attrs.item(j).getNodeName()).doesNotStartWith("on");
                }
            }
            String text = doc.getDocumentElement().getTextContent();
            assertThat(text).contains(script).contains(img).contains(quotes).contains(cdata)
                    .contains("\uFFFD[31mred\uFFFD[0m").doesNotContain("\u001b");
        }
        Path html = page(tmp.resolve("hostile.html"), a.getPageHtml());
        String dom = Chromium.dom(html);
        assertThat(dom).doesNotContain("<script>alert").doesNotContain("<img src=\"x\"")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;").contains("&lt;img src=x onerror=alert(2)&gt;");
    }

    @Test
    void aRunWithRecordedStagesSaysSoInItsBoxEvenWithoutItsFiles() throws Exception {
        BuildSummary summary = new BuildSummary(BuildSummary.SCHEMA, "SUCCESS", "p", "0 failed",
                Map.of("PASSED", 3), List.of(new BuildSummary.Stage("stress", "RECORDED", "/old/stress", List.of()),
                        new BuildSummary.Stage("gpu", "SUCCEEDED", null, List.of())),
                List.of(), 0, null, List.of());
        VaultRunAction a = new VaultRunAction("vault", null, "ev", "gate", summary,
                summary.runFigures("3", "#3", Instant.EPOCH), List.of());
        a.attachStore(new BuildStore(tmp.resolve("nothing-here").toFile()));
        String text = textOf(a.getSummaryBoxHtml());
        assertThat(text).contains("RECORDED evidence: stage stress read evidence recorded elsewhere: nothing was"
                + " measured in this build for it.").contains("cannot be shown").doesNotContain("gpu");
        assertThat(a.getRecordedStages()).containsExactly("stress");
    }

    /** A standalone document with the plugin's stylesheet, as Jenkins' page would hold the fragment. */
    static Path page(Path html, String body) throws Exception {
        Files.copy(CSS, html.resolveSibling("vault-page.css"), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(html, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<link rel=\"stylesheet\" href=\"vault-page.css\"></head><body>\n" + body + "</body></html>\n");
        return html;
    }

    static Document parse(String fragment) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new InputSource(new StringReader("<root>" + fragment + "</root>")));
    }

    static String textOf(String fragment) throws Exception {
        return parse(fragment).getDocumentElement().getTextContent().replaceAll("\\s+", " ");
    }
}
