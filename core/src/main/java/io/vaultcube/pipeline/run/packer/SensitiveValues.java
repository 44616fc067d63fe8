package io.vaultcube.pipeline.run.packer;

import com.fasterxml.jackson.databind.JsonNode;
import io.vaultcube.pipeline.evidence.JsonProblems;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultcube.pipeline.run.RunSetupException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the values that must never show: the variables a template declares sensitive, and what is
 * assigned to them (template defaults, the person's variable files, Packer's automatic
 * {@code *.auto.pkrvars.*} files, {@code PKR_VAR_name} environment variables, {@code --var}),
 * plus every {@code --sensitive-var} value. Each value is returned with the forms in which Packer
 * and the tools it runs may print it (see {@link #printedForms(String)}).
 *
 * <p>Where the declarations are read: HCL2 {@code variable "x" { sensitive = true }} blocks in
 * the template file or in each {@code *.pkr.hcl} of a template directory (read by
 * {@link HclScanner}), {@code {"variable": {"x": {"sensitive": true}}}} in {@code *.pkr.json},
 * and {@code "sensitive-variables": [...]} of a legacy JSON template.
 */
final class SensitiveValues {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Set<String> names = new LinkedHashSet<>();
    private final Set<String> values = new LinkedHashSet<>();

    private SensitiveValues() {
    }

    /** Reads the template and the variable sources of a run. */
    static SensitiveValues of(PackerSettings settings, Path template, List<Path> varFiles, Map<String, String> env)
            throws RunSetupException {
        SensitiveValues found = new SensitiveValues();
        List<Path> autoVarFiles = new ArrayList<>();
        for (Path file : templateFiles(template, autoVarFiles)) {
            found.readDeclarations(file);
        }
        found.names.addAll(settings.sensitiveVars().keySet());
        List<Path> allVarFiles = new ArrayList<>(autoVarFiles);
        allVarFiles.addAll(varFiles);
        for (Path file : allVarFiles) {
            found.readAssignments(file);
        }
        for (String name : found.names) {
            String fromEnv = env.get("PKR_VAR_" + name);
            if (fromEnv != null) {
                found.values.add(fromEnv);
            }
            String fromCli = settings.vars().get(name);
            if (fromCli != null) {
                found.values.add(fromCli);
            }
        }
        found.values.addAll(settings.sensitiveVars().values());
        found.values.addAll(settings.process().secrets());
        found.values.removeIf(String::isEmpty);
        return found;
    }

    /** The variable names that are sensitive (declared so, or passed with --sensitive-var). */
    Set<String> names() {
        return names;
    }

    /** The sensitive values as given. */
    Set<String> values() {
        return values;
    }

    /** Every form of every sensitive value to mask. */
    Set<String> maskedForms() {
        Set<String> forms = new LinkedHashSet<>();
        for (String value : values) {
            forms.addAll(printedForms(value));
        }
        return forms;
    }

    /**
     * The forms in which a value can appear in Packer's output: as is (the masker also takes each
     * of its lines), as the machine-readable format escapes it (commas as {@code %!(PACKER_COMMA)},
     * CR and LF as backslash-r and backslash-n), each line so escaped (a multi-line value printed
     * by a script arrives one record per line), and JSON-escaped (a tool that prints JSON, such as
     * Ansible or the manifest), raw and machine-escaped.
     */
    static Set<String> printedForms(String value) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(value);
        forms.add(MachineLine.escape(value));
        for (String line : value.split("\r\n|\r|\n")) {
            if (!line.isBlank()) {
                forms.add(MachineLine.escape(line));
            }
        }
        String json = jsonEscaped(value);
        forms.add(json);
        forms.add(MachineLine.escape(json));
        forms.removeIf(String::isBlank);
        return forms;
    }

    private static String jsonEscaped(String value) {
        try {
            String quoted = JSON.writeValueAsString(value);
            return quoted.substring(1, quoted.length() - 1);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The files of a template: the file itself, or the HCL2 files of a directory (as Packer reads them). */
    private static List<Path> templateFiles(Path template, List<Path> autoVarFiles) throws RunSetupException {
        if (!Files.isDirectory(template)) {
            return List.of(template);
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(template)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (!Files.isRegularFile(p)) {
                    continue;
                }
                if (name.endsWith(".pkr.hcl") || name.endsWith(".pkr.json")) {
                    files.add(p);
                } else if (name.endsWith(".auto.pkrvars.hcl") || name.endsWith(".auto.pkrvars.json")) {
                    autoVarFiles.add(p);
                }
            }
        } catch (IOException e) {
            throw new RunSetupException("cannot read the template directory " + template + ": " + e.getMessage(), e);
        }
        files.sort(null);
        autoVarFiles.sort(null);
        return files;
    }

    private void readDeclarations(Path file) throws RunSetupException {
        String name = file.getFileName().toString();
        String text = read(file);
        try {
            if (name.endsWith(".pkr.json")) {
                JsonNode root = JSON.readTree(text);
                JsonNode variables = root == null ? null : root.get("variable");
                if (variables != null && variables.isObject()) {
                    for (Iterator<Map.Entry<String, JsonNode>> it = variables.fields(); it.hasNext();) {
                        Map.Entry<String, JsonNode> v = it.next();
                        if (v.getValue().path("sensitive").asBoolean(false)) {
                            names.add(v.getKey());
                            strings(v.getValue().get("default"), values);
                        }
                    }
                }
            } else if (name.endsWith(".json")) {
                JsonNode root = JSON.readTree(text);
                JsonNode declared = root == null ? null : root.get("sensitive-variables");
                if (declared != null && declared.isArray()) {
                    for (JsonNode n : declared) {
                        names.add(n.asText());
                        JsonNode def = root.path("variables").get(n.asText());
                        strings(def, values);
                    }
                }
            } else {
                for (HclScanner.Block block : HclScanner.read(text).blocks()) {
                    if (!block.type().equals("variable") || block.labels().size() != 1) {
                        continue;
                    }
                    boolean sensitive = false;
                    List<String> defaults = List.of();
                    for (HclScanner.Attribute a : block.attributes()) {
                        if (a.name().equals("sensitive") && a.firstToken().equals("true")) {
                            sensitive = true;
                        } else if (a.name().equals("default")) {
                            defaults = a.strings();
                        }
                    }
                    if (sensitive) {
                        names.add(block.labels().get(0));
                        values.addAll(defaults);
                    }
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new RunSetupException("cannot read the template file to find its sensitive variables: "
                    + JsonProblems.describe(file.toString(), e), e);
        } catch (IOException | IllegalArgumentException e) {
            throw new RunSetupException("cannot read the template file " + file + " to find its sensitive variables: "
                    + e.getMessage(), e);
        }
    }

    private void readAssignments(Path file) throws RunSetupException {
        String text = read(file);
        try {
            if (file.getFileName().toString().endsWith(".json")) {
                JsonNode root = JSON.readTree(text);
                if (root != null && root.isObject()) {
                    for (String name : names) {
                        strings(root.get(name), values);
                    }
                }
            } else {
                for (HclScanner.Attribute a : HclScanner.read(text).attributes()) {
                    if (names.contains(a.name())) {
                        values.addAll(a.strings());
                    }
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new RunSetupException("cannot read the variable file " + JsonProblems.describe(file.toString(), e), e);
        } catch (IOException | IllegalArgumentException e) {
            throw new RunSetupException("cannot read the variable file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Every string inside a JSON value. */
    private static void strings(JsonNode node, Set<String> into) {
        if (node == null || node.isNull()) {
            return;
        }
        if (node.isTextual()) {
            into.add(node.asText());
            return;
        }
        for (JsonNode child : node) {
            strings(child, into);
        }
    }

    private static String read(Path file) throws RunSetupException {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RunSetupException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
