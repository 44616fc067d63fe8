package io.vaultcube.pipeline.image.repo.s3;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * The keys of an S3 repository (docs/images.md, "S3 repository"). No key is ever written twice:
 * data goes under a fresh attempt id, a version is published by a commit record of its own, a
 * channel moves by a new record, every audit event is its own object.
 *
 * <pre>
 * PREFIX/_vault-repository.json                      marker (constant bytes)
 * PREFIX/_audit/STAMP.json                           one audit event per object
 * PREFIX/IMAGE/data/VERSION/ATTEMPT/FILE             image files, manifest.json, SHA256SUMS of one attempt
 * PREFIX/IMAGE/versions/VERSION/ATTEMPT.json         commit record: the manifest, written last
 * PREFIX/IMAGE/channels/CHANNEL/STAMP.json           channel records; the greatest STAMP wins
 * PREFIX/IMAGE/removed/VERSION/ATTEMPT.json          gc tombstone: the manifest of a removed version
 * PREFIX/IMAGE/claims/VERSION/entering/ATTEMPT.json  a promoter choosing its ticket (deleted right after)
 * PREFIX/IMAGE/claims/VERSION/tickets/N-ATTEMPT.json ticket of one promotion attempt; the smallest decides the content
 * PREFIX/IMAGE/claims/VERSION.json                   first claim, written only with If-None-Match: *
 * </pre>
 */
public final class S3Layout {
    public static final String MARKER = "_vault-repository.json";
    public static final String MARKER_SCHEMA = "vault-s3-repository/1";
    public static final String AUDIT = "_audit/";
    public static final String DATA = "data";
    public static final String VERSIONS = "versions";
    public static final String CHANNELS = "channels";
    public static final String REMOVED = "removed";
    public static final String CLAIMS = "claims";
    public static final String JSON = ".json";
    /** yyyyMMdd'T'HHmmssSSS'Z' then '-' and 8 hex digits: sorts by time, unique per writer. */
    public static final int STAMP_LENGTH = 28;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final S3Location location;

    public S3Layout(S3Location location) {
        this.location = location;
    }

    public S3Location location() {
        return location;
    }

    public String root() {
        return location.prefix().isEmpty() ? "" : location.prefix() + "/";
    }

    public String marker() {
        return location.key(MARKER);
    }

    public String audit() {
        return location.key(AUDIT);
    }

    public String image(String image) {
        return location.key(image + "/");
    }

    public String data(String image, String version, String attempt) {
        return location.key(image + "/" + DATA + "/" + version + "/" + attempt + "/");
    }

    public String dataOfImage(String image) {
        return location.key(image + "/" + DATA + "/");
    }

    public String versions(String image) {
        return location.key(image + "/" + VERSIONS + "/");
    }

    public String versionRecords(String image, String version) {
        return location.key(image + "/" + VERSIONS + "/" + version + "/");
    }

    public String commit(String image, String version, String attempt) {
        return versionRecords(image, version) + attempt + JSON;
    }

    public String channels(String image) {
        return location.key(image + "/" + CHANNELS + "/");
    }

    public String channelRecords(String image, String channel) {
        return channels(image) + channel + "/";
    }

    public String removed(String image, String version) {
        return location.key(image + "/" + REMOVED + "/" + version + "/");
    }

    public String claim(String image, String version) {
        return location.key(image + "/" + CLAIMS + "/" + version + JSON);
    }

    public String claims(String image) {
        return location.key(image + "/" + CLAIMS + "/");
    }

    /** Where promoters of a version announce that they are choosing a ticket. */
    public String entering(String image, String version) {
        return claims(image) + version + "/entering/";
    }

    /** The version's tickets: {@code NNNNNNNNNNNN-ATTEMPT.json}, ordered by their keys. */
    public String tickets(String image, String version) {
        return claims(image) + version + "/tickets/";
    }

    /** A fresh, time-ordered, unique id. */
    public static String stamp(Instant time) {
        byte[] random = new byte[4];
        RANDOM.nextBytes(random);
        return TIME.format(time) + "-" + HexFormat.of().formatHex(random);
    }

    public static boolean isStamp(String s) {
        return s.length() == STAMP_LENGTH && s.charAt(8) == 'T' && s.charAt(18) == 'Z' && s.charAt(19) == '-';
    }

    /** The last path element of a key, without {@code .json}. */
    public static String baseName(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        return name.endsWith(JSON) ? name.substring(0, name.length() - JSON.length()) : name;
    }
}
