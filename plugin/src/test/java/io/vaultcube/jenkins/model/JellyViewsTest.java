package io.vaultcube.jenkins.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Every Jelly view of the plugin is well-formed XML, escapes by default, reads only properties its
 * object has (a public getter, or a public no-argument method), and every adjunct it includes is on
 * the plugin's classpath (the echarts-api plugin's aside). Stapler would find a missing property only
 * when the page is shown, as an empty value.
 */
class JellyViewsTest {
    static final Path RESOURCES = Path.of("src/main/resources");
    static final Path CLASSES = Path.of("target/classes");
    private static final Pattern IT_PROPERTY = Pattern.compile("\\bit\\.([A-Za-z_][A-Za-z0-9_]*)(\\s*\\()?");
    /** Adjuncts other plugins provide. */
    private static final List<String> FOREIGN_ADJUNCTS = List.of("io.jenkins.plugins.echarts");

    static List<Path> views() throws Exception {
        try (Stream<Path> all = Files.walk(RESOURCES)) {
            return all.filter(p -> p.toString().endsWith(".jelly")).sorted().toList();
        }
    }

    @Test
    void theBuildAndJobViewsExist() throws Exception {
        assertThat(views()).contains(
                RESOURCES.resolve("io/vaultcube/jenkins/model/VaultRunAction/summary.jelly"),
                RESOURCES.resolve("io/vaultcube/jenkins/model/VaultRunAction/index.jelly"),
                RESOURCES.resolve("io/vaultcube/jenkins/model/VaultJobAction/floatingBox.jelly"),
                RESOURCES.resolve("io/vaultcube/jenkins/model/VaultJobAction/index.jelly"));
    }

    @ParameterizedTest
    @MethodSource("views")
    void wellFormedEscapedAndEveryPropertyExists(Path view) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document doc = f.newDocumentBuilder().parse(view.toFile()); // throws when not well-formed
        String text = Files.readString(view);
        assertThat(text).as(view + " escapes by default").contains("<?jelly escape-by-default='true'?>");
        Class<?> owner = ownerOf(view);
        List<String> read = new ArrayList<>();
        Matcher m = IT_PROPERTY.matcher(text);
        while (m.find()) {
            String name = m.group(1);
            boolean call = m.group(2) != null;
            read.add(name);
            assertThat(owner).as(view + " reads it." + name + " but its object is unknown").isNotNull();
            assertThat(hasProperty(owner, name, call)).as(view + ": " + owner.getSimpleName() + " has no "
                    + (call ? "method " + name + "()" : "property " + name)).isTrue();
        }
        if (view.startsWith(RESOURCES.resolve("io/vaultcube/jenkins/model"))) {
            assertThat(read).as(view + " shows something of its action").isNotEmpty();
        }
        NodeList all = doc.getElementsByTagNameNS("jelly:stapler", "adjunct");
        for (int i = 0; i < all.getLength(); i++) {
            String includes = ((Element) all.item(i)).getAttribute("includes");
            if (FOREIGN_ADJUNCTS.contains(includes)) {
                continue;
            }
            String path = includes.replace('.', '/');
            assertThat(Files.exists(CLASSES.resolve(path + ".js")) || Files.exists(CLASSES.resolve(path + ".css")))
                    .as(view + ": adjunct " + includes + " is not on the classpath").isTrue();
        }
    }

    /** The class a view belongs to: its folder names it (io/vaultcube/jenkins/model/VaultRunAction/x.jelly). */
    static Class<?> ownerOf(Path view) {
        Path rel = RESOURCES.relativize(view.getParent());
        try {
            return Class.forName(rel.toString().replace('/', '.'));
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    static boolean hasProperty(Class<?> type, String name, boolean call) {
        String cap = Character.toUpperCase(name.charAt(0)) + name.substring(1);
        for (Method method : type.getMethods()) {
            if (!Modifier.isPublic(method.getModifiers()) || method.getParameterCount() != 0
                    || method.getReturnType() == void.class) {
                continue;
            }
            if (call ? method.getName().equals(name) : method.getName().equals("get" + cap)
                    || (method.getName().equals("is" + cap) && method.getReturnType() == boolean.class)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void theCheckFindsAMissingProperty() {
        assertThat(hasProperty(VaultRunAction.class, "summaryBoxHtml", false)).isTrue();
        assertThat(hasProperty(VaultRunAction.class, "summaryBoxHTML", false)).isFalse();
        assertThat(hasProperty(VaultJobAction.class, "trendAvailable", false)).isTrue();
        assertThat(hasProperty(VaultRunAction.class, "attachStore", true)).isFalse();
    }
}
