package io.vaultcube.pipeline.run.packer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultcube.pipeline.run.RunSetupException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SensitiveValuesTest {
    @TempDir
    Path tmp;

    private static final String TEMPLATE = """
            # comment with a "quote" and a {
            variable "token" {
              type      = string
              sensitive = true
            }
            variable "password" {
              sensitive = true   // inline comment
              default   = "p4ss,wo\\"rd\\n2"
            }
            variable "heredoc" {
              sensitive = true
              default   = <<-EOT
                line one
                  line two
                EOT
            }
            variable "listed" {
              sensitive = true
              default   = ["first-secret", "second ${upper("x")} secret"]
            }
            /* variable "commented" { sensitive = true } */
            variable "plain" {
              default   = "not secret"
              sensitive = false
            }
            locals {
              x = "${var.plain}-{"
            }
            source "null" "a" {
              communicator = "none"
            }
            build {
              sources = ["source.null.a"]
              provisioner "shell-local" {
                inline = ["echo ${var.token} }"]
              }
            }
            """;

    @Test
    void findsDeclaredSensitiveVariablesAndTheirDefaults() throws Exception {
        Path template = Files.writeString(tmp.resolve("t.pkr.hcl"), TEMPLATE);
        SensitiveValues found = SensitiveValues.of(PackerSettings.builder(template).build(), template, List.of(), Map.of());
        assertThat(found.names()).containsExactly("token", "password", "heredoc", "listed");
        assertThat(found.values()).containsExactlyInAnyOrder("p4ss,wo\"rd\n2", "line one\n  line two\n",
                "first-secret", "second  secret");
    }

    @Test
    void takesValuesFromVarFilesEnvironmentCliAndSensitiveVars() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("tpl"));
        Files.writeString(dir.resolve("vars.pkr.hcl"), TEMPLATE);
        Files.writeString(dir.resolve("x.auto.pkrvars.hcl"), "token = \"from-auto-file\"\nplain = \"visible\"\n");
        Path json = Files.writeString(tmp.resolve("v.json"), "{\"password\": \"from-json\", \"plain\": \"shown\"}");
        Path hcl = Files.writeString(tmp.resolve("v.pkrvars.hcl"), "heredoc = <<EOF\nfrom heredoc\nEOF\n");
        PackerSettings settings = PackerSettings.builder(dir)
                .var("token", "from-cli").var("plain", "plain-cli")
                .sensitiveVar("api_key", "from-sensitive-var")
                .build();
        SensitiveValues found = SensitiveValues.of(settings, dir, List.of(json, hcl), Map.of("PKR_VAR_listed", "from-env"));
        assertThat(found.values()).contains("from-auto-file", "from-json", "from heredoc\n", "from-env", "from-cli",
                "from-sensitive-var").doesNotContain("visible", "shown", "plain-cli", "not secret");
        assertThat(found.names()).contains("api_key");
    }

    @Test
    void readsLegacyAndHclJsonTemplates() throws Exception {
        Path legacy = Files.writeString(tmp.resolve("legacy.json"),
                "{\"variables\": {\"pw\": \"legacy-default\", \"x\": \"y\"}, \"sensitive-variables\": [\"pw\"], \"builders\": []}");
        assertThat(SensitiveValues.of(PackerSettings.builder(legacy).build(), legacy, List.of(), Map.of()).values())
                .containsExactly("legacy-default");
        Path hclJson = Files.writeString(tmp.resolve("t.pkr.json"),
                "{\"variable\": {\"pw\": {\"sensitive\": true, \"default\": \"json-default\"}, \"x\": {\"default\": \"y\"}}}");
        assertThat(SensitiveValues.of(PackerSettings.builder(hclJson).build(), hclJson, List.of(), Map.of()).values())
                .containsExactly("json-default");
    }

    @Test
    void theMaskedFormsCoverPackerAndJsonEscaping() {
        assertThat(SensitiveValues.printedForms("a,b\nc\"d")).contains(
                "a,b\nc\"d",
                "a%!(PACKER_COMMA)b\\nc\"d",
                "a%!(PACKER_COMMA)b",
                "c\"d",
                "a,b\\nc\\\"d",
                "a%!(PACKER_COMMA)b\\nc\\\"d");
    }

    @Test
    void anUnreadableTemplateIsASetupErrorWithTheLine() throws Exception {
        Path template = Files.writeString(tmp.resolve("bad.pkr.hcl"), "variable \"x\" {\n  default = \"open\n}\n");
        assertThatThrownBy(() -> SensitiveValues.of(PackerSettings.builder(template).build(), template, List.of(),
                Map.of())).isInstanceOf(RunSetupException.class).hasMessageContaining("line 2");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("io.vaultcube.pipeline.evidence.JsonProblemsTest#badInputs")
    void badJsonInATemplateOrAVarFileIsSaidWithFileLineAndColumn(String json) throws Exception {
        // Packer (Go's encoding/json) reads a repeated key (the last wins) and ignores nothing after
        // the value the same way Jackson's default reader does: those two are no error here.
        org.junit.jupiter.api.Assumptions.assumeFalse(json.endsWith("} 2") || json.contains("\"a\": 1, \"a\""));
        Path template = Files.writeString(tmp.resolve("bad.pkr.json"), json);
        Path goodTemplate = Files.writeString(tmp.resolve("good.pkr.hcl"),
                "variable \"a\" {\n  type = string\n  sensitive = true\n}\n");
        Path varFile = Files.writeString(tmp.resolve("bad.json"), json);
        for (Throwable failure : List.of(
                org.assertj.core.api.Assertions.catchThrowable(() -> SensitiveValues.of(
                        PackerSettings.builder(template).build(), template, List.of(), Map.of())),
                org.assertj.core.api.Assertions.catchThrowable(() -> SensitiveValues.of(
                        PackerSettings.builder(goodTemplate).build(), goodTemplate, List.of(varFile), Map.of())))) {
            assertThat(failure).isInstanceOf(RunSetupException.class);
            assertThat(failure.getMessage()).containsPattern("bad(\\.pkr)?\\.json:2:\\d+: not valid JSON")
                    .doesNotContain("Json", "Feature", "VALUE_", "com.fasterxml", "Source:", "START_", "END_",
                            "CTRL-CHAR", "token 'null'");
        }
    }
}
