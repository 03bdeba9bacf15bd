package dev.trainyard.jobs.web;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import dev.trainyard.jobs.TrainedModels;
import dev.trainyard.shared.web.BadRequestException;
import dev.trainyard.shared.web.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRange;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/runs/{id}")
@Tag(name = "Jobs")
class JobController {

    record GenerateRequest(@Size(max = 1000) String prime, @Min(1) @Max(10_000) Integer length,
            @DecimalMin("0") @DecimalMax("10") Double temperature) {
    }

    record Generated(String text) {
    }

    record PredictRequest(@jakarta.validation.constraints.NotNull @Size(min = 1, max = dev.trainyard.training.Predictor.MAX_ROWS)
            java.util.List<java.util.List<Double>> rows) {
    }

    /** Room for {@link dev.trainyard.training.Predictor#MAX_ROWS} rows of a few dozen wide features. */
    private static final int MAX_CSV_BYTES = 8 << 20;

    private final TrainedModels models;

    JobController(TrainedModels models) {
        this.models = models;
    }

    @PostMapping("/generate")
    @Operation(summary = "Generate text with a trained job's model", description = "Greedy when temperature is 0 or "
            + "absent. For seed-rnn with no prime, generation starts from the start marker. Runs off the request thread.")
    CompletableFuture<Generated> generate(@PathVariable String id, @Valid @RequestBody(required = false) GenerateRequest request) {
        var r = request == null ? new GenerateRequest(null, null, null) : request;
        return models.generate(id, r.prime(), r.length(), r.temperature())
                .thenApply(Generated::new)
                .exceptionally(e -> {
                    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    if (cause instanceof IllegalArgumentException bad) {
                        throw new BadRequestException("prime", bad.getMessage());
                    }
                    throw cause instanceof RuntimeException re ? re : new CompletionException(cause);
                });
    }

    @PostMapping("/predict")
    @Operation(summary = "Predict with a dl4j job's model", description = "`rows`: feature values in the order of the "
            + "table's feature columns (the response's `features`). Classification gives each row's class (`label`, `index`) "
            + "and every class's probability; regression each target's value, in the target's own units. A row of the wrong "
            + "width is a 400. Runs off the request thread.")
    CompletableFuture<dev.trainyard.training.Predictor.Predictions> predict(@PathVariable String id,
            @Valid @RequestBody PredictRequest request) {
        return refusingBadInput(models.predict(id, request.rows()), "rows");
    }

    @PostMapping(path = "/predict", consumes = {"text/csv", "application/csv"})
    @Operation(summary = "Predict with a dl4j job's model, from a CSV", description = "With a header, the columns are "
            + "matched to the model's features by name, in any order, and others (such as the label) are left out; without "
            + "one, each row holds the features in the model's order. At most " + dev.trainyard.training.Predictor.MAX_ROWS
            + " rows. A missing column, a ragged row or a value that is not a number is a 400 naming its line and column.")
    CompletableFuture<dev.trainyard.training.Predictor.Predictions> predictCsv(@PathVariable String id, @RequestBody byte[] csv) {
        if (csv.length > MAX_CSV_BYTES) {
            throw new BadRequestException("file", "at most " + MAX_CSV_BYTES + " bytes of CSV a call, not " + csv.length);
        }
        return refusingBadInput(models.predictCsv(id, csv), "file");
    }

    private static CompletableFuture<dev.trainyard.training.Predictor.Predictions> refusingBadInput(
            CompletableFuture<dev.trainyard.training.Predictor.Predictions> predictions, String field) {
        return predictions.exceptionally(e -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof IllegalArgumentException bad) {
                throw new BadRequestException(field, bad.getMessage());
            }
            if (cause instanceof java.io.IOException notTabular) {
                throw new dev.trainyard.shared.web.ConflictException(notTabular.getMessage());
            }
            throw cause instanceof RuntimeException re ? re : new CompletionException(cause);
        });
    }

    @GetMapping("/confusion")
    @Operation(summary = "The confusion matrix of a classification job's last epoch", description = "On the validation "
            + "split: `counts[actual][predicted]` over `classes`. 404 until the job has one (and for regression).")
    dev.trainyard.training.ConfusionMatrix confusion(@PathVariable String id) {
        return models.confusion(id).orElseThrow(() -> new dev.trainyard.shared.web.NotFoundException(
                "run " + id + " has no confusion matrix: only a classification job has one, after its last epoch"));
    }

    @GetMapping("/model")
    @Operation(summary = "Download the trained model", description = "Trainyard's model file: a header naming the "
            + "model and format, the vocabulary, then the parameters; Generator and the dashboard read it back.")
    ResponseEntity<?> model(@PathVariable String id, @RequestHeader(value = HttpHeaders.RANGE, required = false) String range)
            throws java.io.IOException {
        Path file = models.file(id);
        if (range != null && !satisfiable(range, java.nio.file.Files.size(file))) {
            // Spring would set the 416 and then send the whole file anyway.
            return ResponseEntity.status(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                    .header(HttpHeaders.CONTENT_RANGE, "bytes */" + java.nio.file.Files.size(file))
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(Problems.of(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE, "range-not-satisfiable",
                            "the model file has " + java.nio.file.Files.size(file) + " bytes; the range asked for is outside it or malformed",
                            "/api/v1/runs/" + id + "/model"));
        }
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(id + ".model").build().toString())
                .body(new FileSystemResource(file));
    }

    private static boolean satisfiable(String range, long length) {
        try {
            List<HttpRange> ranges = HttpRange.parseRanges(range);
            for (HttpRange r : ranges) {
                if (r.getRangeStart(length) > r.getRangeEnd(length)) {
                    return false;
                }
            }
            return !ranges.isEmpty() && length > 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
