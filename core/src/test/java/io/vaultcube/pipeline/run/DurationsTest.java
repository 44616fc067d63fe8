package io.vaultcube.pipeline.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {
    @ParameterizedTest
    @CsvSource({
        "24h, 86400000",
        "90m, 5400000",
        "20s, 20000",
        "1h30m, 5400000",
        "1h30m15s, 5415000",
        "500ms, 500",
        "1s500ms, 1500",
        "3d, 259200000",
        "1.5h, 5400000",
        "0.5s, 500",
        "0s, 0",
        "' 5s ', 5000",
    })
    void readsWhatPeopleWrite(String text, long millis) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @Test
    void refusesBareNumbersWithAHintAtTheUnit() {
        assertThatThrownBy(() -> Durations.parse("24")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a unit").hasMessageContaining("24h");
    }

    @ParameterizedTest
    @CsvSource({"''", "h", "1x", "1h1h", "30m1h", "1 h", "-5s", "5s junk", "1.h", "0.0001s", "1H"})
    void refusesEverythingElse(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void positiveDurationsNameWhatIsWrong() {
        assertThatThrownBy(() -> Durations.parsePositive("0s", "--duration")).hasMessage(
                "--duration must be longer than zero: '0s'");
        assertThatThrownBy(() -> Durations.parsePositive("5", "--interval")).hasMessageStartingWith("--interval: ");
    }

    @Test
    void printsForPeopleAndForTheSampler() {
        assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(Durations.format(Duration.ofHours(24))).isEqualTo("1d");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(Durations.clock(Duration.ofSeconds(86400))).isEqualTo("24:00:00");
        assertThat(Durations.clock(Duration.ofSeconds(605))).isEqualTo("00:10:05");
        assertThat(Durations.seconds(Duration.ofSeconds(5))).isEqualTo("5");
        assertThat(Durations.seconds(Duration.ofMillis(500))).isEqualTo("0.5");
        assertThat(Durations.seconds(Duration.ofMillis(1250))).isEqualTo("1.25");
        assertThat(Durations.countdown(65)).isEqualTo("1:05");
        assertThat(Durations.countdown(3723)).isEqualTo("1:02:03");
        assertThat(Durations.elapsed(Duration.ofMillis(12_449))).isEqualTo("12.4 s");
        assertThat(Durations.elapsed(Duration.ofMillis(3_723_900))).isEqualTo("1h2m3s");
    }

    @Property
    void formatReadsBackToTheSameDuration(@ForAll @LongRange(min = 0, max = 400L * 86_400_000L) long millis) {
        Duration d = Duration.ofMillis(millis);
        assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
    }
}
