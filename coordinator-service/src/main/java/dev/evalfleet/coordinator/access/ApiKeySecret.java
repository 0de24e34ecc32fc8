package dev.evalfleet.coordinator.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * An API key as it is stored: its first characters, to find it, and the SHA-256 of the whole key. A
 * key is 43 characters of which 40 are random (238 bits), so a fast hash suffices: there is nothing to
 * guess that a slow one would protect.
 */
record ApiKeySecret(String prefix, byte[] hash) {

    static final String KEY_START = "ef_";
    static final int PREFIX_LENGTH = 12;
    static final int MIN_LENGTH = 32;
    private static final int RANDOM_CHARACTERS = 40;
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new random key: {@code ef_} and 40 letters and digits. */
    static String newKey() {
        StringBuilder key = new StringBuilder(KEY_START);
        for (int i = 0; i < RANDOM_CHARACTERS; i++) {
            key.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return key.toString();
    }

    /** What is stored of {@code key}; {@code null} for a string too short to be a key. */
    static ApiKeySecret of(String key) {
        if (key == null || key.length() < MIN_LENGTH) {
            return null;
        }
        return new ApiKeySecret(key.substring(0, PREFIX_LENGTH), sha256(key));
    }

    /** Whether {@code stored} is the hash of this key, compared in constant time. */
    boolean matches(byte[] stored) {
        return MessageDigest.isEqual(hash, stored);
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
