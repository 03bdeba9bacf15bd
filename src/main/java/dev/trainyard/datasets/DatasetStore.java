package dev.trainyard.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import dev.trainyard.shared.web.BodyTooLargeException;
import dev.trainyard.shared.Ids;
import dev.trainyard.shared.web.NotFoundException;
import dev.trainyard.shared.TrainyardProperties;
import dev.trainyard.training.UploadedTexts;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

/**
 * Uploaded datasets: the text under {@code <data-dir>/datasets/<id>.txt}, its metadata in the
 * database. The client's file name is only ever a label, never part of a path.
 */
@Component
public class DatasetStore implements UploadedTexts {

    private static final RowMapper<Dataset> ROW = (rs, i) -> new Dataset(rs.getString("id"), rs.getString("name"),
            rs.getLong("bytes"), rs.getLong("characters"), rs.getString("vocabulary"),
            rs.getTimestamp("created_at").toInstant());

    private final JdbcTemplate jdbc;
    private final Path dir;
    private final DatasetSettings settings;
    private final Clock clock;

    DatasetStore(JdbcTemplate jdbc, TrainyardProperties properties, DatasetSettings settings, Clock clock) {
        this.jdbc = jdbc;
        this.dir = properties.dataDir().resolve("datasets");
        this.settings = settings;
        this.clock = clock;
    }

    /** Checks and stores an upload. The file is complete on disk before its row commits. */
    public Dataset upload(String name, InputStream content) throws IOException {
        byte[] bytes = content.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, settings.maxSize().toBytes() + 1));
        if (bytes.length > settings.maxSize().toBytes()) {
            throw new BodyTooLargeException("a dataset may be at most " + settings.maxSize().toBytes()
                    + " bytes (trainyard.datasets.max-size)");
        }
        TextCheck.Text text = TextCheck.of(bytes, settings.maxVocabulary());
        String id = Ids.newId();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, id, ".part");
        try {
            Files.write(temp, bytes);
            Files.move(temp, fileOf(id), StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        var dataset = new Dataset(id, name, bytes.length, text.characters(), text.vocabulary(), clock.instant());
        try {
            jdbc.update("insert into dataset (id, name, bytes, characters, vocabulary, created_at) values (?, ?, ?, ?, ?, ?)",
                    id, name, dataset.bytes(), dataset.characters(), dataset.vocabulary(), Timestamp.from(dataset.createdAt()));
        } catch (RuntimeException e) {
            Files.deleteIfExists(fileOf(id));
            throw e;
        }
        return dataset;
    }

    public List<Dataset> all() {
        return jdbc.query("select * from dataset order by created_at desc", ROW);
    }

    public Dataset get(String id) {
        return find(id).orElseThrow(() -> new NotFoundException("dataset", id));
    }

    private Optional<Dataset> find(String id) {
        return jdbc.query("select * from dataset where id = ?", ROW, id).stream().findFirst();
    }

    @Override
    public Optional<Path> textFile(String datasetId) {
        return find(datasetId).map(d -> fileOf(d.id())).filter(Files::isRegularFile);
    }

    /** From the metadata, without reading the text. */
    @Override
    public Optional<Shape> shape(String datasetId) {
        return find(datasetId).map(d -> new Shape(d.characters(), d.vocabulary().codePointCount(0, d.vocabulary().length())));
    }

    private Path fileOf(String id) {
        return dir.resolve(id + ".txt");
    }
}
