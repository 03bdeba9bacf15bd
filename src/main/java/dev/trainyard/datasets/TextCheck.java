package dev.trainyard.datasets;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.TreeSet;

import dev.trainyard.shared.web.BadRequestException;

/** Decides whether bytes are text a character model can learn, and what its vocabulary is. */
final class TextCheck {

    record Text(long characters, String vocabulary) {
    }

    private TextCheck() {
    }

    /** Strict UTF-8 with no control characters but tab, line feed, carriage return and form feed. */
    static Text of(byte[] bytes, int maxVocabulary) {
        if (bytes.length == 0) {
            throw new BadRequestException("file", "the file is empty");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new BadRequestException("file", "the file is not UTF-8 text (it looks binary)");
        }
        var vocabulary = new TreeSet<Integer>();
        long characters = 0;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (Character.getType(c) == Character.CONTROL && c != '\t' && c != '\n' && c != '\r' && c != '\f') {
                throw new BadRequestException("file", String.format("the file is not text: it holds control character U+%04X", c));
            }
            vocabulary.add(c);
            characters++;
        }
        if (characters < 2) {
            throw new BadRequestException("file", "a dataset needs at least two characters");
        }
        if (vocabulary.size() > maxVocabulary) {
            throw new BadRequestException("file", "the file has " + vocabulary.size() + " distinct characters; at most "
                    + maxVocabulary + " are allowed (trainyard.datasets.max-vocabulary)");
        }
        var sb = new StringBuilder();
        vocabulary.forEach(sb::appendCodePoint);
        return new Text(characters, sb.toString());
    }
}
