package io.vaultcube.pipeline.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** core is everything but Jenkins, and knows nothing of the CLI above it. */
@AnalyzeClasses(packages = "io.vaultcube.pipeline", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {
    @ArchTest
    static final ArchRule coreImportsNothingOfJenkins = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage("hudson..", "jenkins..", "org.jenkinsci..",
                    "org.kohsuke..")
            .because("core runs outside Jenkins (the vault command) and on agents without Jenkins classes");

    @ArchTest
    static final ArchRule coreDoesNotImportTheCli = noClasses()
            .should().dependOnClassesThat().resideInAPackage("io.vaultcube.pipeline.cli..")
            .because("data and control flow from the CLI into core, never back");

    @ArchTest
    static final ArchRule coreDoesNotUsePicocli = noClasses()
            .should().dependOnClassesThat().resideInAPackage("picocli..")
            .because("command-line parsing belongs to cli; the Jenkins steps call core without it");
}
