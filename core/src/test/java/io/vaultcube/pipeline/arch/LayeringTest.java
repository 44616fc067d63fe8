package io.vaultcube.pipeline.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * core is everything but Jenkins, and knows nothing of the CLI above it; inside it, data flows one
 * way (docs/architecture.md): tool run, evidence, metrics, gate verdict, promoted image.
 */
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

    /**
     * The package graph of docs/architecture.md, as it is: the parsers know no runner, the gate
     * knows no runner and no image, the image repository knows no gate (it reads the gate's report
     * file through its own small reader), and only the pipeline knows them all.
     */
    @ArchTest
    static final ArchRule packagesFollowTheDataFlow = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("evidence").definedBy("io.vaultcube.pipeline.evidence..")
            .layer("exec").definedBy("io.vaultcube.pipeline.exec..")
            .layer("version").definedBy("io.vaultcube.pipeline.version..")
            .layer("yaml").definedBy("io.vaultcube.pipeline.yaml..")
            .layer("parse").definedBy("io.vaultcube.pipeline.parse..")
            .layer("run").definedBy("io.vaultcube.pipeline.run..")
            .layer("gate").definedBy("io.vaultcube.pipeline.gate..")
            .layer("image").definedBy("io.vaultcube.pipeline.image..")
            .layer("pipeline").definedBy("io.vaultcube.pipeline.pipeline..")
            .whereLayer("pipeline").mayNotBeAccessedByAnyLayer()
            .whereLayer("image").mayOnlyBeAccessedByLayers("pipeline")
            .whereLayer("gate").mayOnlyBeAccessedByLayers("pipeline")
            .whereLayer("run").mayOnlyBeAccessedByLayers("image", "pipeline")
            .whereLayer("parse").mayOnlyBeAccessedByLayers("run", "gate", "image", "pipeline")
            .whereLayer("exec").mayOnlyBeAccessedByLayers("run", "image", "pipeline")
            .whereLayer("yaml").mayOnlyBeAccessedByLayers("gate", "pipeline")
            .whereLayer("version").mayOnlyBeAccessedByLayers("parse", "gate", "image", "pipeline")
            .whereLayer("evidence").mayOnlyBeAccessedByLayers("parse", "run", "gate", "image", "pipeline")
            .because("data flows one way: tool run, evidence, metrics, gate verdict, promoted image");
}
