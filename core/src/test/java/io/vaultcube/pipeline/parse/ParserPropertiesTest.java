package io.vaultcube.pipeline.parse;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcube.pipeline.evidence.MetricSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Properties every parser of the registry must have, whatever its format:
 * <ol>
 *   <li>on arbitrary bytes, and on real fixtures mutated at random (lines deleted, duplicated,
 *       swapped, cut short, bytes flipped or inserted, digits changed), the only exception that
 *       escapes is {@link ParseException};</li>
 *   <li>when such an input parses, every metric was seen: see {@link MetricWitness}.</li>
 * </ol>
 * New parsers are covered as soon as they are in {@link ParserRegistry#standard()} and have a
 * fixture directory named after their kind.
 */
class ParserPropertiesTest {
    private static final ParserRegistry REGISTRY = ParserRegistry.standard();
    private static Path dir;

    @BeforeContainer
    static void createDir() throws IOException {
        dir = Files.createTempDirectory("parser-properties");
    }

    @AfterContainer
    static void deleteDir() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    @Example
    void everyKindHasAFixtureThatParses() throws Exception {
        for (String kind : REGISTRY.kinds()) {
            int parsed = 0;
            for (String f : Fixtures.ofKind(kind)) {
                try {
                    MetricSet m = REGISTRY.require(kind).parse(Fixtures.input(f));
                    MetricWitness.check(kind, Files.readAllBytes(Fixtures.path(f)), m);
                    parsed++;
                } catch (ParseException expected) {
                    // Fixtures of refused inputs live beside the good ones.
                }
            }
            assertThat(parsed).as("fixtures of kind %s that parse", kind).isPositive();
        }
    }

    @Property(tries = 400)
    void arbitraryBytesOnlyFailWithParseException(@ForAll("kinds") String kind, @ForAll("noise") byte[] bytes) {
        parseChecked(kind, bytes, List.of());
    }

    @Property(tries = 1500)
    void mutatedFixturesOnlyFailWithParseExceptionAndNeverInventMetrics(@ForAll("fixtures") String fixture,
            @ForAll("mutations") List<Mutation> mutations) throws IOException {
        String kind = fixture.substring(0, fixture.indexOf('/'));
        byte[] bytes = Files.readAllBytes(Fixtures.path(fixture));
        for (Mutation m : mutations) {
            bytes = m.apply(bytes);
        }
        parseChecked(kind, bytes, List.of(fixture));
    }

    private static void parseChecked(String kind, byte[] bytes, List<String> origin) {
        Path file;
        try {
            file = Files.createTempFile(dir, kind, ".in");
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            String fixture = origin.isEmpty() ? null : origin.get(0);
            ParseInput input = new ParseInput(file, "input",
                    fixture == null ? java.util.Map.of() : Fixtures.options(Fixtures.path(fixture)));
            MetricSet metrics;
            try {
                metrics = REGISTRY.require(kind).parse(input);
            } catch (ParseException expected) {
                assertThat(expected.getMessage()).startsWith("input");
                return;
            } catch (IOException e) {
                throw new AssertionError("an IOException on a readable file: " + e, e);
            }
            MetricWitness.check(kind, bytes, metrics);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // The container deletes the directory.
            }
        }
    }

    @Provide
    Arbitrary<String> kinds() {
        return Arbitraries.of(new ArrayList<>(REGISTRY.kinds()));
    }

    @Provide
    Arbitrary<String> fixtures() {
        List<String> all = new ArrayList<>();
        for (String kind : REGISTRY.kinds()) {
            all.addAll(Fixtures.ofKind(kind));
        }
        return Arbitraries.of(all);
    }

    /** Random bytes, and text-like bytes made of the characters tool outputs are made of. */
    @Provide
    Arbitrary<byte[]> noise() {
        Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(3000);
        Arbitrary<byte[]> texty = Arbitraries.strings()
                .withChars("0123456789,.: -=[]{}\"\n\r\tabcdefxGPUNAOKPLAYRECAP#%/\\")
                .ofMaxLength(3000)
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
        return Arbitraries.oneOf(raw, texty);
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        Arbitrary<Double> at = Arbitraries.doubles().between(0, 1);
        Arbitrary<Mutation> one = Arbitraries.oneOf(
                at.map(Mutation::deleteLine),
                at.map(Mutation::duplicateLine),
                Combinators.combine(at, at).as(Mutation::swapLines),
                at.map(Mutation::cutAt),
                Combinators.combine(at, Arbitraries.bytes()).as(Mutation::setByte),
                Combinators.combine(at, Arbitraries.strings().withChars("0123456789,.-\n \"{}[]:=x").ofMaxLength(8))
                        .as(Mutation::insert),
                Combinators.combine(at, Arbitraries.integers().between(0, 9)).as(Mutation::changeDigit));
        return one.list().ofMinSize(1).ofMaxSize(4);
    }

    /** One change to an input. Positions are fractions of the input, so they fit any file. */
    interface Mutation {
        byte[] apply(byte[] in);

        static Mutation deleteLine(double at) {
            return named("deleteLine(" + at + ")", in -> {
                List<byte[]> lines = lines(in);
                if (!lines.isEmpty()) {
                    lines.remove(index(at, lines.size()));
                }
                return join(lines);
            });
        }

        static Mutation duplicateLine(double at) {
            return named("duplicateLine(" + at + ")", in -> {
                List<byte[]> lines = lines(in);
                if (!lines.isEmpty()) {
                    int i = index(at, lines.size());
                    lines.add(i, lines.get(i));
                }
                return join(lines);
            });
        }

        static Mutation swapLines(double a, double b) {
            return named("swapLines(" + a + "," + b + ")", in -> {
                List<byte[]> lines = lines(in);
                if (lines.size() > 1) {
                    int i = index(a, lines.size());
                    int j = index(b, lines.size());
                    byte[] t = lines.get(i);
                    lines.set(i, lines.get(j));
                    lines.set(j, t);
                }
                return join(lines);
            });
        }

        static Mutation cutAt(double at) {
            return named("cutAt(" + at + ")", in -> Arrays.copyOf(in, index(at, in.length + 1)));
        }

        static Mutation setByte(double at, byte value) {
            return named("setByte(" + at + "," + value + ")", in -> {
                if (in.length == 0) {
                    return in;
                }
                byte[] out = in.clone();
                out[index(at, in.length)] = value;
                return out;
            });
        }

        static Mutation insert(double at, String text) {
            return named("insert(" + at + "," + text + ")", in -> {
                byte[] add = text.getBytes(StandardCharsets.UTF_8);
                int i = index(at, in.length + 1);
                byte[] out = new byte[in.length + add.length];
                System.arraycopy(in, 0, out, 0, i);
                System.arraycopy(add, 0, out, i, add.length);
                System.arraycopy(in, i, out, i + add.length, in.length - i);
                return out;
            });
        }

        /** Replaces the digit nearest to a position with another: values change, structure stays. */
        static Mutation changeDigit(double at, int digit) {
            return named("changeDigit(" + at + "," + digit + ")", in -> {
                byte[] out = in.clone();
                for (int k = index(at, Math.max(1, in.length)); k < in.length; k++) {
                    if (out[k] >= '0' && out[k] <= '9') {
                        out[k] = (byte) ('0' + digit);
                        break;
                    }
                }
                return out;
            });
        }

        private static Mutation named(String name, java.util.function.UnaryOperator<byte[]> f) {
            return new Mutation() {
                @Override
                public byte[] apply(byte[] in) {
                    return f.apply(in);
                }

                @Override
                public String toString() {
                    return name;
                }
            };
        }

        private static int index(double at, int size) {
            return Math.min(size - 1, (int) (at * size));
        }

        private static List<byte[]> lines(byte[] in) {
            List<byte[]> out = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < in.length; i++) {
                if (in[i] == '\n') {
                    out.add(Arrays.copyOfRange(in, start, i + 1));
                    start = i + 1;
                }
            }
            if (start < in.length) {
                out.add(Arrays.copyOfRange(in, start, in.length));
            }
            return out;
        }

        private static byte[] join(List<byte[]> lines) {
            int n = 0;
            for (byte[] l : lines) {
                n += l.length;
            }
            byte[] out = new byte[n];
            int p = 0;
            for (byte[] l : lines) {
                System.arraycopy(l, 0, out, p, l.length);
                p += l.length;
            }
            return out;
        }
    }
}
