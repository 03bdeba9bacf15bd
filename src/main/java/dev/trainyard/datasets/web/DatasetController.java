package dev.trainyard.datasets.web;

import dev.trainyard.datasets.Dataset;
import dev.trainyard.datasets.DatasetStore;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Set;

import dev.trainyard.shared.web.BadRequestException;
import dev.trainyard.shared.web.StoredText;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

@RestController
@RequestMapping("/api/v1/datasets")
@Tag(name = "Datasets")
class DatasetController {

    /** What browsers and curl declare for text files; anything else declared is refused up front. */
    private static final Set<String> TEXT_TYPES = Set.of("application/octet-stream", "application/json", "application/xml",
            "application/csv", "application/x-sh", "application/javascript");

    private final DatasetStore store;

    DatasetController(DatasetStore store) {
        this.store = store;
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(summary = "Upload a text dataset", description = "Multipart `file` (UTF-8 text) and optional `name`. "
            + "Binary files are refused with a 400; files over trainyard.datasets.max-size (10 MB) with a 413. "
            + "A CSV (delimiter, quotes and header detected) comes back with its `schema`; one named .csv or .tsv, or sent "
            + "as text/csv, that is not a table (ragged rows, one column) is refused naming the line. "
            + "Train on it with `\"dataset\": \"dataset:<id>\"`.")
    ResponseEntity<Dataset> upload(@RequestParam("file") MultipartFile file, @RequestParam(value = "name", required = false) String name)
            throws IOException {
        String type = file.getContentType();
        if (type != null && !type.startsWith("text/") && !TEXT_TYPES.contains(type.split(";")[0].strip())) {
            throw new BadRequestException("file", "expected a text file, but it was sent as " + type);
        }
        StoredText.check("name", name);
        StoredText.check("file", file.getOriginalFilename());
        String label = name != null && !name.isBlank() ? name.strip() : labelOf(file.getOriginalFilename());
        if (label.length() > 200) {
            if (name != null && !name.isBlank()) {
                throw new BadRequestException("name", "must be at most 200 characters");
            }
            label = label.substring(0, 200);
        }
        String original = file.getOriginalFilename() == null ? "" : file.getOriginalFilename().toLowerCase(java.util.Locale.ROOT);
        boolean table = original.endsWith(".csv") || original.endsWith(".tsv") || (type != null && type.startsWith("text/csv"));
        Dataset dataset = store.upload(label, file.getInputStream(), table);
        return ResponseEntity.created(URI.create("/api/v1/datasets/" + dataset.id())).body(dataset);
    }

    @GetMapping
    @Operation(summary = "List uploaded datasets, newest first")
    List<Dataset> list() {
        return store.all();
    }

    @GetMapping("/{id}")
    @Operation(summary = "Get an uploaded dataset's description")
    Dataset get(@PathVariable String id) {
        return store.get(id);
    }

    /** The last segment of whatever name the client sent, since it may be a path ("../../x"). */
    private static String labelOf(String filename) {
        if (filename == null || filename.isBlank()) {
            return "upload";
        }
        String last = filename.replace('\\', '/').replaceAll(".*/", "").strip();
        return last.isEmpty() || last.equals("..") || last.equals(".") ? "upload" : last;
    }
}
