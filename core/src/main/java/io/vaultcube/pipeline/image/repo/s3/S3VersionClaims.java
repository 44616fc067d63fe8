package io.vaultcube.pipeline.image.repo.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vaultcube.pipeline.image.ImageJson;
import io.vaultcube.pipeline.image.repo.PromotionRefusedException;
import io.vaultcube.pipeline.image.repo.RepositoryException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Decides which content of a version racing promotions may publish, with nothing but PUT, LIST
 * and DELETE of distinct keys (no conditional writes): Lamport's bakery, with a listing for "every
 * other process" (docs/images.md, "Promotion and the consistency argument").
 *
 * <ol>
 *   <li>doorway: write {@code entering/ATTEMPT.json}; list the tickets; write ticket number
 *       1 + the greatest listed, as {@code tickets/NNNNNNNNNNNN-ATTEMPT.json} with the digest of
 *       this attempt's file list; delete the entering flag;</li>
 *   <li>wait until every entering flag listed after that is gone;</li>
 *   <li>list the tickets again: the smallest key (number, then attempt) is the first claim, and
 *       only its content may ever be published.</li>
 * </ol>
 *
 * Why two promoters never see different first claims: if P's ticket t_P is smaller than Q's, then
 * when Q lists tickets (step 3) either t_P is already written (Q sees it), or P was in its doorway
 * when Q listed the flags (Q waited for it, so it is written now), or P entered its doorway after
 * Q listed the flags, hence after Q's ticket was written, so P's listing saw t_Q and t_P > t_Q,
 * contrary to the assumption. Tickets are never deleted by promoters (only by gc, with the version
 * or once abandoned), so the smallest ticket seen is the same for everyone who decides.
 */
final class S3VersionClaims {
    static final String TICKET_SCHEMA = "vault-s3-ticket/1";
    /** A ticket's number: zero-padded so that key order is number order. */
    static final int NUMBER_DIGITS = 12;
    /** How long a promoter waits for another to leave its doorway (a list and a PUT, normally). */
    static final Duration DOORWAY_WAIT = Duration.ofSeconds(120);

    private S3VersionClaims() {
    }

    /** A ticket: its key, its number, the attempt that wrote it and the content digest it claims. */
    record Ticket(String key, long number, String attempt, String content) {
    }

    /**
     * Takes a ticket for {@code attempt} claiming {@code content}, waits out concurrent doorways,
     * and returns the version's first ticket (possibly this attempt's own).
     */
    static Ticket claim(S3ImageRepository repo, String image, String version, String attempt, String content,
            Consumer<String> say, S3Promoter.Refusal refuse)
            throws IOException, InterruptedException, PromotionRefusedException {
        S3Store store = repo.store();
        S3Layout layout = repo.layout();
        String flag = layout.entering(image, version) + attempt + S3Layout.JSON;
        ObjectNode entering = ImageJson.mapper().createObjectNode();
        entering.put("schema", "vault-s3-entering/1");
        entering.put("attempt", attempt);
        store.put(flag, ImageJson.write(entering));
        try {
            long greatest = 0;
            for (Ticket t : tickets(repo, image, version, false)) {
                greatest = Math.max(greatest, t.number());
            }
            long number = greatest + 1;
            ObjectNode ticket = ImageJson.mapper().createObjectNode();
            ticket.put("schema", TICKET_SCHEMA);
            ticket.put("number", number);
            ticket.put("attempt", attempt);
            ticket.put("content", content);
            store.put(layout.tickets(image, version) + String.format("%0" + NUMBER_DIGITS + "d", number) + "-" + attempt
                    + S3Layout.JSON, ImageJson.write(ticket));
        } finally {
            store.delete(flag);
        }
        awaitDoorways(repo, image, version, flag, say, refuse);
        List<Ticket> all = tickets(repo, image, version, true);
        if (all.isEmpty()) {
            throw new RepositoryException("the claim tickets of " + image + " " + version + " in " + repo.location()
                    + " vanished right after this promotion wrote its own (a concurrent gc?); nothing was published");
        }
        return all.get(0);
    }

    /** Waits until every promoter now in its doorway has left it; a flag that stays is a refusal. */
    private static void awaitDoorways(S3ImageRepository repo, String image, String version, String own,
            Consumer<String> say, S3Promoter.Refusal refuse)
            throws IOException, InterruptedException, PromotionRefusedException {
        S3Store store = repo.store();
        Set<String> waitingFor = new HashSet<>();
        String prefix = repo.layout().entering(image, version);
        for (S3Object o : store.list(prefix)) {
            if (!o.key().equals(own) && isFlag(o.key(), prefix)) {
                waitingFor.add(o.key());
            }
        }
        long deadline = System.nanoTime() + DOORWAY_WAIT.toNanos();
        long pause = 50;
        boolean said = false;
        while (!waitingFor.isEmpty()) {
            Set<String> still = new HashSet<>();
            for (S3Object o : store.list(prefix)) {
                still.add(o.key());
            }
            waitingFor.retainAll(still);
            if (waitingFor.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                String message = image + " " + version + " is being claimed by another promotion that"
                        + " has not finished choosing its ticket in " + DOORWAY_WAIT.toSeconds() + " s ("
                        + repo.location().relative(waitingFor.iterator().next()) + "); nothing was published and no"
                        + " channel moved. If no promotion is running, vault images gc removes that flag";
                refuse.refuse(message);
                throw new PromotionRefusedException(message);
            }
            if (!said) {
                say.accept("waiting for " + waitingFor.size() + " concurrent promotion(s) of " + image + " " + version
                        + " to take their claim tickets");
                said = true;
            }
            Thread.sleep(pause);
            pause = Math.min(1000, pause * 2);
        }
    }

    /**
     * The version's tickets in key order (number, then attempt). With {@code read}, each one's
     * content is read too (a ticket gc removed meanwhile is left out); keys that are not tickets
     * are ignored.
     */
    static List<Ticket> tickets(S3ImageRepository repo, String image, String version, boolean read)
            throws IOException {
        String prefix = repo.layout().tickets(image, version);
        List<Ticket> found = new ArrayList<>();
        for (S3Object o : repo.store().list(prefix)) {
            Ticket t = parseKey(o.key(), prefix);
            if (t == null) {
                continue;
            }
            if (read) {
                byte[] bytes = repo.store().get(o.key());
                if (bytes == null) {
                    continue;
                }
                JsonNode node = ImageJson.parseObject(bytes, repo.location() + "/" + repo.location().relative(o.key()));
                String content = node.path("content").asText("");
                if (!TICKET_SCHEMA.equals(node.path("schema").asText()) || content.length() != 64
                        || !t.attempt().equals(node.path("attempt").asText())) {
                    throw new IOException(repo.location() + "/" + repo.location().relative(o.key()) + " is not a "
                            + TICKET_SCHEMA + " ticket of attempt " + t.attempt());
                }
                t = new Ticket(t.key(), t.number(), t.attempt(), content);
            }
            found.add(t);
        }
        found.sort(Comparator.comparing(Ticket::key));
        return found;
    }

    /** Every ticket and entering flag of an image, by version (gc and verify). */
    static Map<String, List<S3Object>> claimObjects(S3ImageRepository repo, String image)
            throws RepositoryException {
        String prefix = repo.layout().claims(image);
        Map<String, List<S3Object>> byVersion = new TreeMap<>();
        for (S3Object o : repo.store().list(prefix)) {
            String[] parts = o.key().substring(prefix.length()).split("/", 3);
            // Only flags and tickets: not the directory entries some servers list (S3Proxy's filesystem backend).
            if (parts.length == 3 && ("tickets".equals(parts[1]) && parseKey(o.key(), prefix + parts[0] + "/tickets/") != null
                    || "entering".equals(parts[1]) && isFlag(o.key(), prefix + parts[0] + "/entering/"))) {
                byVersion.computeIfAbsent(parts[0], v -> new ArrayList<>()).add(o);
            }
        }
        return byVersion;
    }

    /** An entering flag: {@code PREFIX/ATTEMPT.json}. */
    static boolean isFlag(String key, String prefix) {
        if (!key.startsWith(prefix) || !key.endsWith(S3Layout.JSON)) {
            return false;
        }
        String name = key.substring(prefix.length(), key.length() - S3Layout.JSON.length());
        return S3Layout.isStamp(name);
    }

    static Ticket parseKey(String key, String prefix) {
        if (!key.startsWith(prefix)) {
            return null;
        }
        String name = key.substring(prefix.length());
        if (!name.endsWith(S3Layout.JSON) || name.length() != NUMBER_DIGITS + 1 + S3Layout.STAMP_LENGTH
                + S3Layout.JSON.length() || name.charAt(NUMBER_DIGITS) != '-') {
            return null;
        }
        String digits = name.substring(0, NUMBER_DIGITS);
        String attempt = name.substring(NUMBER_DIGITS + 1, NUMBER_DIGITS + 1 + S3Layout.STAMP_LENGTH);
        if (!digits.chars().allMatch(c -> c >= '0' && c <= '9') || !S3Layout.isStamp(attempt)) {
            return null;
        }
        return new Ticket(key, Long.parseLong(digits), attempt, null);
    }
}
