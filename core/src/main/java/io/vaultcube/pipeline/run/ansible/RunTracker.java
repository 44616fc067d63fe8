package io.vaultcube.pipeline.run.ansible;

import io.vaultcube.pipeline.exec.LineListener;
import io.vaultcube.pipeline.exec.OutputSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Follows the default callback's output of one ansible-playbook run, the way molecule's idempotence
 * check does: it remembers the last {@code TASK [...]} (or {@code RUNNING HANDLER [...]}) banner
 * and notes, per host, the tasks that reported {@code changed:}, {@code fatal: ... FAILED!} or
 * {@code UNREACHABLE!}, and Ansible's {@code ERROR!} lines. This only names what changed or failed;
 * the counts come from the recap, read by the {@code ansible} parser.
 */
final class RunTracker implements LineListener {
    private static final Pattern TASK = Pattern.compile("^TASK \\[(.*)\\] \\*+\\s*$");
    private static final Pattern HANDLER = Pattern.compile("^RUNNING HANDLER \\[(.*)\\] \\*+\\s*$");
    private static final Pattern CHANGED = Pattern.compile("^changed: \\[([^\\]]+)\\]");
    private static final Pattern FATAL = Pattern.compile("^fatal: \\[([^\\]]+)\\]: (FAILED|UNREACHABLE)! => (.*)$");
    private static final Pattern ERROR = Pattern.compile("^(?:ERROR!|\\[ERROR\\]:) (.*)$");
    private static final int MAX_DETAIL = 300;

    private String task = "(before the first task)";
    private final Map<String, Set<String>> changedByHost = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();
    private final List<String> unreachable = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private boolean ignoringNext;

    @Override
    public void onLine(OutputSource source, String line) {
        Matcher m;
        if ((m = TASK.matcher(line)).matches()) {
            task = m.group(1);
        } else if ((m = HANDLER.matcher(line)).matches()) {
            task = "handler " + m.group(1);
        } else if ((m = CHANGED.matcher(line)).lookingAt()) {
            changedByHost.computeIfAbsent(m.group(1), h -> new LinkedHashSet<>()).add(task);
        } else if ((m = FATAL.matcher(line)).matches()) {
            String detail = m.group(3).length() > MAX_DETAIL ? m.group(3).substring(0, MAX_DETAIL) + "..." : m.group(3);
            String what = "task '" + task + "' on " + m.group(1) + ": " + detail;
            if (m.group(2).equals("UNREACHABLE")) {
                unreachable.add(what);
            } else {
                failures.add(what);
                ignoringNext = true;
                return;
            }
        } else if (ignoringNext && line.equals("...ignoring") && !failures.isEmpty()) {
            // ignore_errors: the failure above does not count.
            failures.remove(failures.size() - 1);
        } else if ((m = ERROR.matcher(line)).matches() && errors.size() < 5) {
            errors.add(m.group(1));
        }
        ignoringNext = false;
    }

    /** Per host, the tasks that reported a change, in the order they ran. */
    Map<String, Set<String>> changedByHost() {
        return changedByHost;
    }

    /** "task 'X' on HOST: {...}" for each failure that was not ignored. */
    List<String> failures() {
        return failures;
    }

    List<String> unreachable() {
        return unreachable;
    }

    /** Ansible's own error lines (a missing playbook, a syntax error). */
    List<String> errors() {
        return errors;
    }

    /** "[host] task, task; [host2] task" for a message. */
    String describeChanges() {
        List<String> parts = new ArrayList<>();
        changedByHost.forEach((host, tasks) -> {
            List<String> quoted = new ArrayList<>();
            tasks.forEach(t -> quoted.add("'" + t + "'"));
            parts.add("[" + host + "] " + String.join(", ", quoted));
        });
        return String.join("; ", parts);
    }
}
