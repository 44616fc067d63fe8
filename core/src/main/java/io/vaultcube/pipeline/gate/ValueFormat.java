package io.vaultcube.pipeline.gate;

import io.vaultcube.pipeline.evidence.MetricValue;
import java.math.BigDecimal;
import java.math.MathContext;

/** How reports write values: whole numbers without a decimal point, others to six significant digits. */
public final class ValueFormat {
    private ValueFormat() {
    }

    public static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.toString(value);
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        String text = new BigDecimal(value).round(new MathContext(6)).stripTrailingZeros().toPlainString();
        return text.equals("-0") ? "0" : text;
    }

    /** A number with its unit: {@code 32607 MiB}. */
    public static String number(double value, String unit) {
        return unit == null ? number(value) : number(value) + " " + unit;
    }

    /** A value as reports show it: numbers as above, text quoted, booleans bare. */
    public static String value(MetricValue value, String unit) {
        if (value instanceof MetricValue.Num n) {
            return number(n.value(), unit);
        }
        if (value instanceof MetricValue.Text t) {
            return quote(t.value());
        }
        return value.toString();
    }

    /** Text in double quotes, with quotes, backslashes and control characters escaped, so it stays on one line. */
    public static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
