package dev.trainyard.training;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The text a job trains on, resolved from {@link JobSpec#dataset()}.
 *
 * @param dataset      the spec's name for it
 * @param text         the characters
 * @param singleTarget true when the task is to reproduce this one text (seed-sentence, memorize:N):
 *                     training then runs over the whole text from a start marker to an end marker,
 *                     and samples say whether they reproduce it exactly
 */
record TrainingText(String dataset, String text, boolean singleTarget) {

    /** The alphabet of {@code memorize:N} strings. */
    static final String MEMORIZE_ALPHABET = "abcdefghijklmnopqrstuvwxyz";
    static final String TALES = "builtin:tales";
    private static final String BUILTIN = "builtin:";
    private static final String UPLOAD = "dataset:";
    /** Mixed into the job's seed, so the string and the initial weights come from different streams. */
    private static final long MEMORIZE_STREAM = 0x6D656D6F72697A65L;

    /**
     * @param uploads where uploaded texts live; null when the datasets feature is absent
     * @throws TrainingException for an unknown dataset or an unreadable upload
     */
    static TrainingText resolve(String dataset, long seed, UploadedTexts uploads) {
        if (JobSpec.SEED_SENTENCE.equals(dataset)) {
            return new TrainingText(dataset, SeedSentence.TEXT, true);
        }
        if (dataset.startsWith(JobSpec.MEMORIZE)) {
            String digits = dataset.substring(JobSpec.MEMORIZE.length());
            int length = digits.matches("[0-9]{1,9}") ? Integer.parseInt(digits) : -1;
            if (length < 1 || length > JobSpec.MAX_MEMORIZE_LENGTH) {
                throw new TrainingException("memorize:<length> takes a length from 1 to " + JobSpec.MAX_MEMORIZE_LENGTH
                        + ", was '" + digits + "'");
            }
            return new TrainingText(dataset, memorize(length, seed), true);
        }
        if (TALES.equals(dataset)) {
            return new TrainingText(dataset, Tales.text(), false);
        }
        if (dataset.startsWith(BUILTIN)) {
            throw new TrainingException("unknown builtin dataset '" + dataset + "'; there is " + TALES);
        }
        if (dataset.startsWith(UPLOAD)) {
            String id = dataset.substring(UPLOAD.length());
            Optional<Path> file = uploads == null ? Optional.empty() : uploads.textFile(id);
            if (file.isEmpty()) {
                throw new TrainingException("dataset " + id + " does not exist");
            }
            String text = read(id, file.get());
            if (text.codePointCount(0, text.length()) < 2) {
                throw new TrainingException("dataset " + id + " has fewer than 2 characters; nothing to learn");
            }
            return new TrainingText(dataset, text, false);
        }
        throw new TrainingException("unsupported dataset '" + dataset + "'");
    }

    /** The length in code points. */
    long characters() {
        return text.codePointCount(0, text.length());
    }

    /** The distinct code points. */
    int distinct() {
        return (int) text.codePoints().distinct().count();
    }

    /** A random string over {@link #MEMORIZE_ALPHABET}, the same for the same seed. */
    static String memorize(int length, long seed) {
        SplittableRandom random = new SplittableRandom(seed ^ MEMORIZE_STREAM);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(MEMORIZE_ALPHABET.charAt(random.nextInt(MEMORIZE_ALPHABET.length())));
        }
        return text.toString();
    }

    static String read(String id, Path file) {
        try {
            // malformed bytes become U+FFFD rather than failing the job
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new TrainingException("dataset " + id + " is not UTF-8 text: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new TrainingException("could not read dataset " + id + ": " + e.getMessage(), e);
        }
    }
}
