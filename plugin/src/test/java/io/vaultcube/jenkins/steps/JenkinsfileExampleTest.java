package io.vaultcube.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.codehaus.groovy.ast.ASTNode;
import org.codehaus.groovy.ast.CodeVisitorSupport;
import org.codehaus.groovy.ast.builder.AstStringCompiler;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.GStringExpression;
import org.codehaus.groovy.ast.expr.ListExpression;
import org.codehaus.groovy.ast.expr.MapEntryExpression;
import org.codehaus.groovy.ast.expr.MapExpression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.TupleExpression;
import org.codehaus.groovy.control.CompilePhase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The example Jenkinsfiles parse as Groovy, and every {@code vault*} call in them names an existing
 * step with existing parameters of the right kind (text, number, flag, list, map), the required
 * ones included.
 */
class JenkinsfileExampleTest {
    private static final Map<String, Class<? extends VaultStep>> STEPS = new TreeMap<>();

    static {
        for (Class<? extends VaultStep> step : AllSteps.STEPS) {
            try {
                STEPS.put((String) step.getField("FUNCTION").get(null), step);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Jenkinsfile.example", "Jenkinsfile.fleet.example"})
    void everyVaultCallNamesARealStepWithRealParameters(String file) throws Exception {
        String text = Files.readString(Path.of("..").resolve(file));
        List<ASTNode> ast = new AstStringCompiler().compile(text, CompilePhase.CONVERSION, false);
        List<String> problems = new ArrayList<>();
        List<String> calls = new ArrayList<>();
        CodeVisitorSupport visitor = new CodeVisitorSupport() {
            @Override
            public void visitMethodCallExpression(MethodCallExpression call) {
                String name = call.getMethodAsString();
                if (name != null && name.startsWith("vault")) {
                    calls.add(name);
                    check(name, call, problems);
                }
                super.visitMethodCallExpression(call);
            }
        };
        for (ASTNode node : ast) {
            if (node instanceof org.codehaus.groovy.ast.stmt.Statement s) {
                s.visit(visitor);
            } else if (node instanceof org.codehaus.groovy.ast.ClassNode c) {
                c.getMethods().forEach(m -> {
                    if (m.getCode() != null) {
                        m.getCode().visit(visitor);
                    }
                });
            }
        }
        assertThat(problems).isEmpty();
        assertThat(calls).isNotEmpty();
        if (file.equals("Jenkinsfile.example")) {
            assertThat(calls).containsAll(STEPS.keySet());
        }
    }

    private static void check(String name, MethodCallExpression call, List<String> problems) {
        Class<? extends VaultStep> step = STEPS.get(name);
        if (step == null) {
            problems.add(name + ": no such step (steps: " + STEPS.keySet() + ")");
            return;
        }
        Map<String, Type> params = FormBinding.parameters(step);
        List<String> given = new ArrayList<>();
        Expression args = call.getArguments();
        List<Expression> list = args instanceof TupleExpression t ? t.getExpressions() : List.of(args);
        for (Expression e : list) {
            if (!(e instanceof MapExpression map)) {
                problems.add(name + ": arguments must be named, found " + e.getText());
                continue;
            }
            for (MapEntryExpression entry : map.getMapEntryExpressions()) {
                String key = entry.getKeyExpression().getText();
                given.add(key);
                Type type = params.get(key);
                if (type == null) {
                    problems.add(name + ": no parameter " + key + " (parameters: " + params.keySet() + ")");
                } else if (!fits(type, entry.getValueExpression())) {
                    problems.add(name + ": " + key + " takes " + type.getTypeName() + ", found "
                            + entry.getValueExpression().getText());
                }
            }
        }
        for (java.lang.reflect.Parameter p : FormBinding.dataBoundConstructor(step).getParameters()) {
            if (!given.contains(p.getName())) {
                problems.add(name + ": required parameter " + p.getName() + " is missing");
            }
        }
    }

    /** Whether a Groovy value can bind to the parameter's type; a variable or property is taken as text. */
    private static boolean fits(Type type, Expression value) {
        Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
        if (List.class.isAssignableFrom(raw)) {
            return value instanceof ListExpression;
        }
        if (Map.class.isAssignableFrom(raw)) {
            return value instanceof MapExpression;
        }
        if (value instanceof ConstantExpression c) {
            Object v = c.getValue();
            if (raw == boolean.class || raw == Boolean.class) {
                return v instanceof Boolean;
            }
            if (raw == int.class || raw == Integer.class) {
                return v instanceof Integer;
            }
            return raw == String.class && v instanceof String;
        }
        if (value instanceof ListExpression || value instanceof MapExpression) {
            return false;
        }
        return raw == String.class || !(value instanceof GStringExpression);
    }
}
