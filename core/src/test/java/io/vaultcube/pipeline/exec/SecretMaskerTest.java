package io.vaultcube.pipeline.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecretMaskerTest {
    @Test
    void masksTheLongestSecretFirstAndEveryLineOfAMultiLineSecret() {
        SecretMasker masker = SecretMasker.of(List.of("pass", "password123", "-----BEGIN KEY-----\nAAAABBBB\n-----END KEY-----\n"));

        assertThat(masker.mask("password123 and pass")).isEqualTo("**** and ****");
        assertThat(masker.mask("line: AAAABBBB")).isEqualTo("line: ****");
        assertThat(masker.mask("nothing here")).isEqualTo("nothing here");
    }

    @Test
    void ignoresBlankValuesAndRendersQuotedCommandLines() {
        SecretMasker masker = SecretMasker.of(java.util.Arrays.asList("", "  ", null, "hunter2"));
        assertThat(masker.isEmpty()).isFalse();
        assertThat(SecretMasker.of(List.of("", " ")).isEmpty()).isTrue();

        assertThat(CommandLines.display(List.of("ansible-playbook", "-e", "pw=hunter2", "it's here", ""), masker))
                .isEqualTo("ansible-playbook -e pw=**** 'it'\\''s here' ''");
    }
}
