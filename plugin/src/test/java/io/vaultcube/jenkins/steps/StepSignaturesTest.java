package io.vaultcube.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jenkinsci.Symbol;
import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The steps' Pipeline signatures, pinned: a Jenkinsfile that worked keeps working. Read as
 * structs' {@code DescribableModel} reads a step: the {@code @DataBoundConstructor}'s parameters in
 * order, then every {@code @DataBoundSetter} declared on the class or any superclass. The list was
 * taken from the steps before they shared their bases (commit 6212728); change it only for a
 * deliberate, compatible change, such as a new optional parameter.
 */
class StepSignaturesTest {
    private static final Map<String, String> SIGNATURES = new LinkedHashMap<>();

    static {
        SIGNATURES.put("vaultPackerBuild", "(template String) evidence String; except List<String>; force boolean;"
                + " onError String; only List<String>; packer String; sensitiveVarsFromEnv Map<String, String>;"
                + " sensitiveVarsFromFile Map<String, String>; stage String; timeout String; varFiles List<String>;"
                + " vars Map<String, String>");
        SIGNATURES.put("vaultAnsibleProvision", "(playbook String, inventory String) ansiblePlaybook String;"
                + " become boolean; check boolean; credentialsId String; diff boolean; evidence String;"
                + " extraVars Map<String, String>; extraVarsFiles List<String>; idempotencyRuns int; limit String;"
                + " sensitiveExtraVarsFromEnv Map<String, String>; sensitiveExtraVarsFromFile Map<String, String>;"
                + " skipTags String; stage String; tags String;"
                + " timeout String; user String");
        SIGNATURES.put("vaultGpuValidate", "() evidence String; expectCount Integer; expectDriverMin String;"
                + " expectMemoryMib Integer; expectModel String; expectPcieGen Integer; expectPcieWidth Integer;"
                + " loadCommand List<String>; loadSeconds Integer; loadWarmup Integer; maxIdleTemp Integer;"
                + " noLoad boolean; python String; recorded String; script String; stage String");
        SIGNATURES.put("vaultBenchmark", "(benchmark String) command List<String>; evidence String; interval String;"
                + " recorded String; sampler String; stage String; telemetry boolean; timeout String");
        SIGNATURES.put("vaultStressTest", "(duration String) command List<String>; endGrace String; evidence String;"
                + " interval String; progressEvery String; recorded String; sampler String; stage String;"
                + " stopGrace String");
        SIGNATURES.put("vaultInventory", "() ansiblePlaybook String; become boolean; credentialsId String;"
                + " evidence String; extraVars Map<String, String>; inventory String; limit String;"
                + " pythonEnvs List<String>; root String; script String; stage String; timeout String; user String");
        SIGNATURES.put("vaultGate", "(policy String) archiveRawTelemetry boolean; baseline String; evidence String;"
                + " stage String; stopOnFailure boolean");
        SIGNATURES.put("vaultPromote", "(repo String, image String, version String) allowUnstable boolean;"
                + " channel String; channels List<String>; evidence String; files List<String>; gate String;"
                + " packerManifest String; s3CredentialsId String; s3Endpoint String; s3PathStyle Boolean;"
                + " s3Region String; stage String");
    }

    @Test
    void everyStepKeepsItsFunctionNameAndParameters() throws Exception {
        Map<String, String> found = new LinkedHashMap<>();
        for (Class<? extends VaultStep> step : AllSteps.STEPS) {
            Symbol symbol = Class.forName(step.getName() + "$DescriptorImpl").getAnnotation(Symbol.class);
            found.put(symbol.value()[0], signature(step));
        }
        assertThat(found).containsExactlyEntriesOf(SIGNATURES);
    }

    /** DescribableModel calls a setter declared on a superclass reflectively: that class must be public. */
    @Test
    void everyClassThatDeclaresASetterIsPublic() {
        for (Class<? extends VaultStep> step : AllSteps.STEPS) {
            for (Class<?> c = step; c != null; c = c.getSuperclass()) {
                for (Method m : c.getDeclaredMethods()) {
                    if (m.isAnnotationPresent(DataBoundSetter.class)) {
                        assertThat(Modifier.isPublic(c.getModifiers()) && Modifier.isPublic(m.getModifiers()))
                                .as(m.toString()).isTrue();
                    }
                }
            }
        }
    }

    private static String signature(Class<?> step) {
        List<String> constructor = new ArrayList<>();
        for (Constructor<?> c : step.getConstructors()) {
            if (c.isAnnotationPresent(DataBoundConstructor.class)) {
                for (Parameter p : c.getParameters()) {
                    constructor.add(p.getName() + " " + simple(p.getParameterizedType().getTypeName()));
                }
            }
        }
        Map<String, String> setters = new TreeMap<>();
        for (Class<?> c = step; c != null; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.isAnnotationPresent(DataBoundSetter.class)) {
                    String name = m.getName().substring(3);
                    setters.put(Character.toLowerCase(name.charAt(0)) + name.substring(1),
                            simple(m.getGenericParameterTypes()[0].getTypeName()));
                }
            }
        }
        List<String> optional = new ArrayList<>();
        setters.forEach((name, type) -> optional.add(name + " " + type));
        return "(" + String.join(", ", constructor) + ") " + String.join("; ", optional);
    }

    /** {@code java.util.Map<java.lang.String, java.lang.String>} → {@code Map<String, String>}. */
    private static String simple(String typeName) {
        return typeName.replaceAll("\\b[a-z][a-z0-9]*\\.", "");
    }
}
