package dev.trainyard.training;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Trainyard's model files: a magic number, a format, the model id ({@code seed-rnn}, {@code rnn},
 * {@code gru}, {@code lstm}), then that model's fields and its flat parameter vector in ND4J's
 * binary format. Format 1 was seed-rnn's only; it is still read.
 */
final class ModelFile {

    static final int MAGIC = 0x54595244; // "TYRD"
    static final int FORMAT_SEED_RNN_ONLY = 1;
    static final int FORMAT = 2;

    /** Writes a model's own fields, after the header. */
    @FunctionalInterface
    interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private ModelFile() {
    }

    /**
     * Writes through a temporary file and an atomic move, so readers never see half a model.
     *
     * @throws TrainingException when the file cannot be written
     */
    static void save(Path modelFile, String modelId, Body body) {
        Path target = modelFile.toAbsolutePath();
        Path temp = null;
        try {
            Files.createDirectories(target.getParent());
            temp = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".tmp");
            try (OutputStream stream = new BufferedOutputStream(Files.newOutputStream(temp))) {
                DataOutputStream out = new DataOutputStream(stream);
                out.writeInt(MAGIC);
                out.writeInt(FORMAT);
                out.writeUTF(modelId);
                body.write(out);
                out.flush();
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temp);
            throw new TrainingException("model could not be saved: " + e.getMessage(), e);
        }
    }

    static TextModel read(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return read(in);
        }
    }

    static TextModel read(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        int format;
        if (in.readInt() != MAGIC || ((format = in.readInt()) != FORMAT && format != FORMAT_SEED_RNN_ONLY)) {
            throw new IOException("not a Trainyard model file (formats " + FORMAT_SEED_RNN_ONLY + " and " + FORMAT + ")");
        }
        String model = in.readUTF();
        try {
            if (JobSpec.SEED_RNN.equals(model)) {
                return SeedRnnModel.read(in, format);
            }
            if (format == FORMAT) {
                return CharLmModel.read(CellType.of(model), in);
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IOException("corrupt " + model + " model file: " + e.getMessage(), e);
        }
        throw new IOException("unsupported model '" + model + "' in model file");
    }

    private static void deleteQuietly(Path temp) {
        if (temp != null) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the save already failed; that error is the one to report
            }
        }
    }
}
