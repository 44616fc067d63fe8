package io.vaultcube.pipeline.run.ansible;

/**
 * What ansible-playbook's exit statuses mean (ansible-core 2.14: {@code lib/ansible/cli/__init__.py},
 * {@code executor/task_queue_manager.py}; see the reference's exit-code table).
 */
public final class AnsibleExitCodes {
    private AnsibleExitCodes() {
    }

    /** A sentence for a person; never null. */
    public static String describe(int exitCode) {
        return switch (exitCode) {
            case 0 -> "ansible-playbook succeeded (exit 0)";
            case 1 -> "ansible-playbook stopped on an error (exit 1): the playbook or a file it needs is missing or"
                    + " unreadable, or a handler or role is undefined";
            case 2 -> "a task failed on at least one host (exit 2); exit 2 is also a bad command-line option";
            case 4 -> "at least one host was unreachable, or the playbook could not be parsed (exit 4)";
            case 5 -> "ansible-playbook refused its options (exit 5): bad or incomplete options";
            case 8 -> "a host failed and the play was stopped (exit 8)";
            case 99 -> "ansible-playbook was interrupted (exit 99)";
            case 250 -> "ansible-playbook crashed with an unexpected error (exit 250); the log holds the traceback";
            case 255 -> "ansible-playbook ended with an unknown error (exit 255)";
            default -> exitCode > 128 && exitCode < 160
                    ? "ansible-playbook was killed by signal " + (exitCode - 128) + " (exit " + exitCode + ")"
                    : "ansible-playbook exited with status " + exitCode;
        };
    }
}
