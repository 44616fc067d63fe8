package io.vaultcube.pipeline.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The CLI is the vault command over core; it imports nothing of Jenkins. */
@AnalyzeClasses(packages = "io.vaultcube.pipeline.cli", importOptions = ImportOption.DoNotIncludeTests.class)
class CliLayeringTest {
    @ArchTest
    static final ArchRule cliImportsNothingOfJenkins = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage("hudson..", "jenkins..", "org.jenkinsci..",
                    "org.kohsuke..")
            .because("the vault command runs where Jenkins is not installed");
}
