package io.vaultcube.jenkins;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.constructors;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import hudson.FilePath;
import hudson.model.TaskListener;
import jenkins.MasterToSlaveFileCallable;
import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The binding's rules: the agent side touches no Jenkins beyond remoting (and the two types a file
 * callable is made of), callables are static so that they drag no step or execution along, and
 * core never sees Jenkins.
 */
class ArchitectureTest {
    private static final JavaClasses PLUGIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.vaultcube.jenkins");

    @Test
    void theAgentSideUsesNoJenkinsBeyondRemoting() {
        DescribedPredicate<JavaClass> allowed = JavaClass.Predicates.resideInAnyPackage("java..",
                        "io.vaultcube.pipeline..", "io.vaultcube.jenkins.agent..", "hudson.remoting..",
                        "org.jenkinsci.remoting..", "jenkins.agents..",
                        // the S3 repository's client (the core's dependency), built where the image is
                        "software.amazon.awssdk..")
                .or(JavaClass.Predicates.equivalentTo(MasterToSlaveFileCallable.class))
                .or(JavaClass.Predicates.equivalentTo(TaskListener.class))
                .or(JavaClass.Predicates.equivalentTo(FilePath.FileCallable.class));
        classes().that().resideInAPackage("io.vaultcube.jenkins.agent..")
                .should().onlyDependOnClassesThat(allowed).check(PLUGIN);
    }

    @Test
    void fileCallablesAreTopLevelOrStatic() {
        classes().that().implement(FilePath.FileCallable.class).should().beTopLevelClasses()
                .orShould().beNestedClasses().andShould().notBeInnerClasses()
                .check(PLUGIN);
        noClasses().that().implement(FilePath.FileCallable.class).should().beAnonymousClasses().check(PLUGIN);
    }

    @Test
    void coreNeverSeesJenkins() {
        noClasses().that().resideInAPackage("io.vaultcube.pipeline..").should().dependOnClassesThat()
                .resideInAnyPackage("hudson..", "jenkins..", "org.jenkinsci..", "org.kohsuke..")
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.vaultcube.pipeline"));
    }

    @Test
    void staplerBindsOnlyPublicConstructorsAndSettersOfPublicClasses() {
        constructors().that().areAnnotatedWith(DataBoundConstructor.class).should().bePublic()
                .andShould().beDeclaredInClassesThat().arePublic()
                .because("Stapler instantiates a step from the Pipeline script through this constructor")
                .check(PLUGIN);
        methods().that().areAnnotatedWith(DataBoundSetter.class).should().bePublic()
                .andShould().beDeclaredInClassesThat().arePublic()
                .because("Stapler sets optional step parameters through these setters")
                .check(PLUGIN);
    }

    @Test
    void noCodeCallsTheDeprecatedJenkinsGetInstance() {
        noClasses().should().callMethod("jenkins.model.Jenkins", "getInstance")
                .because("Jenkins.get() states that the controller must be running; getInstance() is deprecated")
                .check(PLUGIN);
    }
}
