package dev.trainyard.shared.web;

/**
 * What text may be stored: PostgreSQL refuses NUL (the statement fails) and turns a lone UTF-16
 * surrogate into '?', while H2 keeps both; so neither is accepted on either database.
 */
public final class StoredText {

    private StoredText() {
    }

    /** Why {@code text} may not be stored, or null when it may. */
    public static String flaw(String text) {
        if (text == null) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return "contains a NUL character (U+0000), which cannot be stored";
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "contains a lone UTF-16 surrogate (U+" + String.format("%04X", (int) c) + "), which is not text";
            }
        }
        return null;
    }

    /** A 400 naming {@code field} unless {@code text} may be stored. */
    public static void check(String field, String text) {
        String flaw = flaw(text);
        if (flaw != null) {
            throw new BadRequestException(field, flaw);
        }
    }
}
