package io.vaultcube.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jenkinsci.Symbol;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Each step has its symbol, a descriptor, a well-formed config.jelly whose fields are exactly the
 * step's parameters (the Snippet Generator offers every one and nothing else), a help.html and a
 * help-PARAM.html for every parameter.
 */
class StepResourcesTest {
    static final Path RESOURCES = Path.of("src/main/resources/io/vaultcube/jenkins/steps");

    static List<Class<? extends VaultStep>> steps() {
        return AllSteps.STEPS;
    }

    @ParameterizedTest
    @MethodSource("steps")
    void symbolAndDescriptor(Class<? extends VaultStep> step) throws Exception {
        Class<?> descriptor = Class.forName(step.getName() + "$DescriptorImpl");
        Symbol symbol = descriptor.getAnnotation(Symbol.class);
        assertThat(symbol).isNotNull();
        assertThat(descriptor.isAnnotationPresent(hudson.Extension.class)).isTrue();
        VaultStepDescriptor d = (VaultStepDescriptor) descriptor.getDeclaredConstructor().newInstance();
        assertThat(d.getFunctionName()).isEqualTo(symbol.value()[0]).startsWith("vault");
        assertThat(d.getDisplayName()).isNotBlank();
        assertThat(new ArrayList<Object>(d.getRequiredContext())).contains(hudson.FilePath.class, hudson.model.TaskListener.class);
        for (Method m : descriptor.getMethods()) {
            if (m.getName().startsWith("doCheck")) {
                String field = Character.toLowerCase(m.getName().charAt(7)) + m.getName().substring(8);
                assertThat(FormBinding.parameters(step)).as(m.getName()).containsKey(field);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("steps")
    void configJellyNamesEveryParameterAndOnlyThose(Class<? extends VaultStep> step) throws Exception {
        Path jelly = RESOURCES.resolve(step.getSimpleName()).resolve("config.jelly");
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document doc = f.newDocumentBuilder().parse(jelly.toFile()); // throws when not well-formed
        List<String> fields = new ArrayList<>();
        NodeList all = doc.getElementsByTagNameNS("*", "*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (e.hasAttribute("field")) {
                fields.add(e.getAttribute("field"));
            }
        }
        assertThat(fields).containsExactlyInAnyOrderElementsOf(FormBinding.parameters(step).keySet());
    }

    @ParameterizedTest
    @MethodSource("steps")
    void helpForTheStepAndEveryParameter(Class<? extends VaultStep> step) throws Exception {
        Path dir = RESOURCES.resolve(step.getSimpleName());
        assertThat(dir.resolve("help.html")).isRegularFile();
        Set<String> params = FormBinding.parameters(step).keySet();
        for (String p : params) {
            Path help = dir.resolve("help-" + p + ".html");
            assertThat(help).as(p).isRegularFile();
            assertThat(Files.readString(help)).as(p).hasSizeGreaterThan(30);
        }
        try (var files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("help-"))
                    .forEach(n -> assertThat(params).as("help for a parameter that does not exist")
                            .contains(n.substring(5, n.length() - 5)));
        }
    }
}
