package dev.candor.application.rollout;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Places a user in one of 100 buckets per switch: the first 8 bytes of SHA-256("&lt;switch&gt;:&lt;user id&gt;"),
 * unsigned, mod 100. The same user gets the same bucket on every node and after every restart; the switch's name
 * salts it, so the users inside 10% of one switch are not the users inside 10% of another.
 */
public final class CohortHash {

    private CohortHash() {
    }

    /** The user's bucket of {@code switchName}, 0 to 99: inside a percentage p when the bucket is below p. */
    public static int bucket(String switchName, String userId) {
        byte[] digest = sha256().digest((switchName + ":" + userId).getBytes(StandardCharsets.UTF_8));
        return (int) Long.remainderUnsigned(ByteBuffer.wrap(digest, 0, Long.BYTES).getLong(), 100);
    }

    /** True when {@code userId} is inside {@code percent} of {@code switchName}'s users; a null user only at 100. */
    public static boolean inside(String switchName, String userId, int percent) {
        if (percent >= 100) {
            return true;
        }
        return percent > 0 && userId != null && bucket(switchName, userId) < percent;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
