package io.vaultcube.pipeline.gate.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultcube.pipeline.gate.GateRun;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

class JUnitReportTest {
    @TempDir
    Path tmp;

    static Schema schema() throws Exception {
        SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        return factory.newSchema(JUnitReportTest.class.getResource("/gate/junit/jenkins-junit-profile.xsd"));
    }

    static void validate(String xml) throws Exception {
        schema().newValidator().validate(new StreamSource(new StringReader(xml)));
    }

    @Test
    void isValidJUnitXmlWithOneTestCasePerRow() throws Exception {
        GateRun run = ReportFixture.run(tmp, 3600, 60);
        String xml = JUnitReport.render(run.report());
        validate(xml);

        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new InputSource(new StringReader(xml)));
        Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
        NodeList cases = doc.getElementsByTagName("testcase");
        assertThat(cases.getLength()).isEqualTo(run.report().gates().size());
        assertThat(suite.getAttribute("tests")).isEqualTo(String.valueOf(cases.getLength()));
        // Failed: gpu[2]'s memory, the hostile name; unstable: the temperature, the ratio.
        assertThat(suite.getAttribute("failures")).isEqualTo("4");
        assertThat(suite.getAttribute("skipped")).isEqualTo("1");
        assertThat(suite.getAttribute("timestamp")).isEqualTo("2026-11-28T10:00:00");
        assertThat(doc.getElementsByTagName("failure").getLength()).isEqualTo(4);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < cases.getLength(); i++) {
            names.add(((Element) cases.item(i)).getAttribute("name"));
        }
        assertThat(names).contains("gpu-count", "gpu-memory", "gpu-memory (gpu[0])", "gpu-memory (gpu[2])",
                "dcgm", "vllm-vs-baseline");
        Element memory = byName(cases, "gpu-memory (gpu[2])");
        assertThat(memory.getAttribute("classname")).isEqualTo("report-test.gpu");
        Element failure = (Element) memory.getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("type")).isEqualTo("failure");
        assertThat(failure.getAttribute("message")).isEqualTo("observed 31000 MiB < min 32000 MiB");
        assertThat(failure.getTextContent()).contains("source: gpu/q.csv:4", "metric: gpu[2].memory_total_mib");
        Element unstable = byName(cases, "stress-temperature");
        assertThat(((Element) unstable.getElementsByTagName("failure").item(0)).getAttribute("type"))
                .isEqualTo("unstable");
        Element skipped = byName(cases, "dcgm");
        assertThat(skipped.getElementsByTagName("skipped").getLength()).isEqualTo(1);
        assertThat(skipped.getElementsByTagName("failure").getLength()).isZero();
        Element passed = byName(cases, "gpu-count");
        assertThat(passed.getElementsByTagName("failure").getLength()).isZero();
        // Tool output with markup and a control character arrives as text, not as elements.
        Element hostile = byName(cases, "gpu-model (gpu[1])");
        assertThat(((Element) hostile.getElementsByTagName("failure").item(0)).getAttribute("message"))
                .contains("<script>alert(1)</script>").contains("\\u0007");
        assertThat(doc.getElementsByTagName("script").getLength()).isZero();
        assertThat(doc.getElementsByTagName("img").getLength()).isZero();
    }

    @Test
    void theSchemaRejectsWhatJenkinsCouldNotRead() throws Exception {
        // The check can fail: a test case without a name, a count that is not a number.
        assertThatThrownBy(() -> validate("<testsuites name=\"x\" tests=\"1\" failures=\"0\" errors=\"0\" time=\"0\">"
                + "<testsuite name=\"x\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\" time=\"0\""
                + " timestamp=\"2026-11-28T10:00:00\"><testcase classname=\"c\" time=\"0\"/></testsuite></testsuites>"))
                .hasMessageContaining("name");
        assertThatThrownBy(() -> validate("<testsuites name=\"x\" tests=\"many\" failures=\"0\" errors=\"0\""
                + " time=\"0\"/>")).hasMessageContaining("many");
    }

    @Test
    void controlCharactersNeverBreakTheDocument() throws Exception {
        assertThat(Xml.escape("a\u0000b\u001bc\td\ne\uD800f")).isEqualTo("a\uFFFDb\uFFFDc\td\ne\uFFFDf");
        assertThat(Xml.escape("<&>\"'")).isEqualTo("&lt;&amp;&gt;&quot;&#39;");
        assertThat(Xml.escape("\uD83D\uDE00")).isEqualTo("\uD83D\uDE00");
    }

    private static Element byName(NodeList cases, String name) {
        for (int i = 0; i < cases.getLength(); i++) {
            Element e = (Element) cases.item(i);
            if (e.getAttribute("name").equals(name)) {
                return e;
            }
        }
        throw new AssertionError("no test case " + name);
    }
}
