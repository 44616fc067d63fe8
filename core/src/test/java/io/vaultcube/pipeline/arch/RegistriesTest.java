package io.vaultcube.pipeline.arch;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.vaultcube.pipeline.gate.Condition;
import io.vaultcube.pipeline.gate.ConditionReader;
import io.vaultcube.pipeline.gate.Conditions;
import io.vaultcube.pipeline.parse.EvidenceParser;
import io.vaultcube.pipeline.parse.ParserRegistry;
import io.vaultcube.pipeline.pipeline.StageKind;
import io.vaultcube.pipeline.pipeline.StageKinds;
import io.vaultcube.pipeline.pipeline.StageSpec;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every implementation of an extension point is in its one list: a stage kind in
 * {@link StageKinds#ALL}, a gate condition in {@link Conditions}, a parser in
 * {@link ParserRegistry#standard()}. A class written but not listed would silently never be used;
 * these tests find it by scanning the compiled classes.
 */
class RegistriesTest {
    private static List<JavaClass> classes;

    @BeforeAll
    static void scan() {
        classes = new ArrayList<>();
        new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.vaultcube.pipeline").forEach(classes::add);
    }

    /** The concrete classes (not interfaces, not abstract) that are a {@code type}. */
    private static List<Class<?>> implementationsOf(Class<?> type) {
        return classes.stream()
                .filter(c -> c.isAssignableTo(type) && !c.isInterface()
                        && !c.getModifiers().contains(JavaModifier.ABSTRACT) && !c.isAnonymousClass())
                .<Class<?>>map(JavaClass::reflect)
                .toList();
    }

    @Test
    void everyStageKindIsListed() {
        List<Class<?>> kinds = implementationsOf(StageKind.class);
        assertThat(kinds).as("stage kinds found by the scan").hasSizeGreaterThanOrEqualTo(7);
        List<Class<?>> listed = StageKinds.ALL.stream().<Class<?>>map(Object::getClass).toList();
        assertThat(listed).as("StageKinds.ALL").containsAll(kinds);
        assertThat(StageKinds.ids()).as("stage kind ids").doesNotHaveDuplicates();
    }

    @Test
    void everyStageRecordIsReadByAListedKind() {
        List<Class<?>> specs = implementationsOf(StageSpec.class);
        List<Class<?>> read = StageKinds.ALL.stream().<Class<?>>map(StageKind::specType).toList();
        assertThat(read).as("the stage records the listed kinds read").containsAll(specs);
    }

    @Test
    void everyConditionIsListedWithItsReader() throws ReflectiveOperationException {
        List<Class<?>> conditions = implementationsOf(Condition.class);
        assertThat(conditions).as("conditions found by the scan").hasSizeGreaterThanOrEqualTo(10);
        for (Class<?> c : conditions) {
            // A condition reads itself: one public static ConditionReader (READER), or one per key it
            // serves (VersionCondition's MIN and MAX); every one of them is listed.
            List<Field> readers = new ArrayList<>();
            for (Field f : c.getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && ConditionReader.class.isAssignableFrom(f.getType())) {
                    readers.add(f);
                }
            }
            assertThat(readers).as(c.getName() + " has a public static ConditionReader: a condition reads itself")
                    .isNotEmpty();
            for (Field reader : readers) {
                assertThat(Conditions.readers().values()).as("Conditions lists " + c.getName() + "." + reader.getName())
                        .contains((ConditionReader) reader.get(null));
            }
        }
        assertThat(Conditions.keys()).doesNotHaveDuplicates();
    }

    @Test
    void everyParserIsRegistered() {
        List<Class<?>> parsers = implementationsOf(EvidenceParser.class);
        assertThat(parsers).as("parsers found by the scan").hasSizeGreaterThanOrEqualTo(15);
        List<Class<?>> registered = ParserRegistry.standard().parsers().stream().<Class<?>>map(Object::getClass)
                .toList();
        assertThat(registered).as("ParserRegistry.standard()").containsAll(parsers);
    }
}
