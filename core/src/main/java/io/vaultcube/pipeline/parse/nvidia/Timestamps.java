package io.vaultcube.pipeline.parse.nvidia;

import java.nio.charset.StandardCharsets;

/**
 * nvidia-smi's {@code timestamp} field, {@code YYYY/MM/DD HH:MM:SS.mmm} (milliseconds optional),
 * read from bytes into milliseconds since 1970-01-01 of the same (local) clock. The day is cached:
 * consecutive rows share it, so most rows only parse the time of day. The one rule for every reader
 * of the sampler's telemetry (the parser for the gates, the report's plots): years from 1970, real
 * days of real months, nothing else.
 */
public final class Timestamps {
    private final byte[] lastDate = new byte[10];
    private boolean haveDate;
    private long dayMillis;

    /** Milliseconds, or Long.MIN_VALUE when the text is not such a timestamp. */
    public long millis(String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        return millis(b, 0, b.length);
    }

    /** Milliseconds, or Long.MIN_VALUE when the bytes are not such a timestamp. */
    public long millis(byte[] b, int s, int e) {
        int n = e - s;
        if (n != 19 && n != 23) {
            return Long.MIN_VALUE;
        }
        if (b[s + 4] != '/' || b[s + 7] != '/' || b[s + 10] != ' ' || b[s + 13] != ':' || b[s + 16] != ':'
                || n == 23 && b[s + 19] != '.') {
            return Long.MIN_VALUE;
        }
        if (!haveDate || !sameDate(b, s)) {
            int year = digits(b, s, 4);
            int month = digits(b, s + 5, 2);
            int day = digits(b, s + 8, 2);
            if (year < 1970 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) {
                return Long.MIN_VALUE;
            }
            dayMillis = daysFromCivil(year, month, day) * 86_400_000L;
            System.arraycopy(b, s, lastDate, 0, 10);
            haveDate = true;
        }
        int hh = digits(b, s + 11, 2);
        int mm = digits(b, s + 14, 2);
        int ss = digits(b, s + 17, 2);
        int ms = n == 23 ? digits(b, s + 20, 3) : 0;
        if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 60 || ms < 0) {
            return Long.MIN_VALUE;
        }
        return dayMillis + ((hh * 60L + mm) * 60L + ss) * 1000L + ms;
    }

    private boolean sameDate(byte[] b, int s) {
        for (int i = 0; i < 10; i++) {
            if (lastDate[i] != b[s + i]) {
                return false;
            }
        }
        return true;
    }

    private static int digits(byte[] b, int s, int n) {
        int v = 0;
        for (int i = 0; i < n; i++) {
            int d = b[s + i] - '0';
            if (d < 0 || d > 9) {
                return -1_000_000;
            }
            v = v * 10 + d;
        }
        return v;
    }

    private static int daysIn(int year, int month) {
        switch (month) {
            case 2:
                return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28;
            case 4:
            case 6:
            case 9:
            case 11:
                return 30;
            default:
                return 31;
        }
    }

    /** Days since 1970-01-01 (Howard Hinnant's algorithm). */
    static long daysFromCivil(int y, int m, int d) {
        y -= m <= 2 ? 1 : 0;
        long era = (y >= 0 ? y : y - 399) / 400;
        long yoe = y - era * 400;
        long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }
}
